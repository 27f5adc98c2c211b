import Testing
@testable import XMPPDNACore
@testable import XMPPDNAResolver

private let world = DNSWorld.shared

private func chain(_ names: [String], server: DNSServerAddress = world.unbound) async throws -> [String: ZoneTrustLink] {
    let links = try await DelegationResolver(world.configuration(server)).chainOfTrust(above: names)
    return Dictionary(links.map { ($0.zone, $0) }, uniquingKeysWith: { first, _ in first })
}

/// The chain of trust `xmppdna check` draws, read from the signed loopback
/// world: every zone from the root down, and the broken link where there is one.
@Suite(.serialized) struct ChainOfTrustWorldTests {
    @Test func everyZoneOnTheWayFromTheRootDown() async throws {
        let links = try await DelegationResolver(world.configuration(world.unbound))
            .chainOfTrust(above: ["_xmpp-server._tcp.example.com", "host1.example.net"])
        #expect(links.map(\.zone) == [".", "com", "net", "example.com", "example.net"])
        #expect(links.map(\.parent) == [nil, ".", ".", "com", "net"])
        #expect(links.allSatisfy { $0.status == .secure })
        #expect(links[0].anchored && !links[1].anchored)
        let zone = links[3]
        // Each DS matches a key, the KSK signs the key set, the parent's key signs the DS.
        #expect(!zone.delegations.isEmpty && zone.delegations.allSatisfy { $0.matchesKey })
        let ksk = try #require(zone.keys.first { $0.isKeySigningKey })
        #expect(zone.delegations.contains { $0.keyTag == ksk.keyTag })
        #expect(zone.keySignatures.contains { $0.keyTag == ksk.keyTag && $0.problem == nil && $0.signer == "example.com" })
        #expect(zone.delegationSignatures.allSatisfy { $0.signer == "com" && $0.problem == nil })
        #expect(zone.delegationSignatures.allSatisfy { $0.inception < $0.expiration })
    }

    @Test func expiredSignaturesAreTheBrokenLink() async throws {
        let links = try await chain(["host.bogus.example"])
        let bogus = try #require(links["bogus.example"])
        guard case .bogus(let reason) = bogus.status else { Issue.record("\(bogus.status)"); return }
        #expect(reason.extendedErrorCode == 7, "\(reason)")
        #expect(!bogus.keySignatures.isEmpty)
        #expect(bogus.keySignatures.allSatisfy { $0.problem == "DNSSEC signature has expired" })
        #expect(bogus.delegations.allSatisfy { $0.matchesKey })
        #expect(links["example"]?.status == .secure)
    }

    @Test func aDSMatchingNoKeyIsTheBrokenLink() async throws {
        let link = try #require(try await chain(["wrongds.example"])["wrongds.example"])
        guard case .bogus(let reason) = link.status else { Issue.record("\(link.status)"); return }
        #expect(reason.extendedErrorCode == 9, "\(reason)")
        #expect(!link.delegations.isEmpty && link.delegations.allSatisfy { !$0.matchesKey })
        #expect(link.keySignatures.allSatisfy { $0.problem == nil })
    }

    @Test func anUnsignedDelegationHasNoDS() async throws {
        let links = try await chain(["_xmpp-server._tcp.insecure.example"])
        let link = try #require(links["insecure.example"])
        #expect(link.status == .insecure)
        #expect(link.delegations.isEmpty && link.keys.isEmpty)
        #expect(link.parent == "example")
    }

    @Test func aCNAMEBelongsToTheZoneOfItsOwner() async throws {
        // xmpp.alias.example.com is a CNAME to host1.example.net.
        let links = try await chain(["xmpp.alias.example.com"])
        #expect(links["example.com"] != nil)
        #expect(links["example.net"] == nil)
    }

    @Test func trustADModeSeesNoKeys() async throws {
        let configuration = world.configuration(world.unbound, mode: .trustAD)
        #expect(try await DelegationResolver(configuration).chainOfTrust(above: ["example.com"]).isEmpty)
    }
}
