import Foundation
import Testing
@testable import XMPPDNA
@testable import XMPPDNACore
@testable import XMPPDNANet
@testable import XMPPDNAOpenSSL
@testable import XMPPDNAResolver

private let world = DNSWorld.shared

private func names(_ domain: String, _ service: XMPPService = .xmppServer,
                   server: DNSServerAddress = world.unbound) async throws -> NameList {
    try await DelegationResolver(world.configuration(server)).nameList(for: try DNSName(domain), service: service)
}

private func texts(_ list: NameList) -> [String] { list.acceptableNames.map(\.text) }

/// Name lists built by the in-library validator on the signed loopback world.
@Suite(.serialized) struct DelegationWorldTests {
    @Test func worldIsUp() {
        #expect(world.started, "DNS world did not start: \(world.failure ?? "")")
    }

    @Test(arguments: [world.unbound, world.nsd])
    func secureSRVDelegatesToTheHostingProvider(_ server: DNSServerAddress) async throws {
        let list = try await names("example.com", server: server)
        #expect(list.status == .secure)
        #expect(texts(list).starts(with: ["example.com", "host1.example.net", "127.0.0.1", "::1", "host2.example.net"]))
        #expect(list.acceptableNames[1].source == "SRV _xmpp-server._tcp.example.com 5 0 5269 host1.example.net.")
        #expect(list.candidates.map(\.port).sorted() == [5269, 5269, 5270])
    }

    @Test func dnskeyFormAnchorsWorkLikeDS() async throws {
        var configuration = world.configuration(world.unbound)
        configuration.anchorText = try String(contentsOf: world.state.appendingPathComponent("root.key"), encoding: .utf8)
        let list = try await DelegationResolver(configuration).nameList(for: try DNSName("example.com"), service: .xmppServer)
        #expect(list.status == .secure)
        #expect(list.trustMode == "validate")
    }

    @Test func foreignAnchorsMakeEverythingBogus() async throws {
        // The IANA root KSKs do not sign this world's root.
        var configuration = world.configuration(world.unbound)
        configuration.anchorText = nil
        let list = try await DelegationResolver(configuration).nameList(for: try DNSName("example.com"), service: .xmppServer)
        guard case .bogus(let reason) = list.status else {
            Issue.record("\(list.status)")
            return
        }
        #expect(reason.extendedErrorCode == 9, "\(reason)")
    }

    @Test func directTLSRecordsAreMergedByPriority() async throws {
        let list = try await names("example.com", .xmppClient)
        #expect(list.candidates.count == 2)
        #expect(Set(list.candidates.map(\.directTLS)) == [true, false])
        #expect(list.candidates.allSatisfy { $0.host.text == "host1.example.net" })
    }

    @Test func ipv6AddressesOfSecureTargetsAreAcceptable() async throws {
        let list = try await names("example.com", server: DNSServerAddress(address: try IPAddress("::1"), port: world.unbound.port))
        #expect(list.acceptableNames.contains { $0.value == .ip(try! IPAddress("::1")) })
    }

    @Test func secureCNAMEChainAddsEveryName() async throws {
        let list = try await names("alias.example.com")
        #expect(list.status == .secure)
        #expect(texts(list).starts(with: ["alias.example.com", "xmpp.alias.example.com", "host1.example.net"]))
    }

    @Test func insecureDelegationAddsNothing() async throws {
        let list = try await names("insecure.example")
        #expect(list.status == .insecure)
        #expect(texts(list) == ["insecure.example"])
        #expect(list.candidates.map(\.host.text) == ["host1.example.net"])
    }

    @Test(arguments: [("bogus.example", UInt16(7)), ("notyet.example", 8), ("wrongds.example", 9),
                      ("tampered.example.com", 6), ("tobogus.example.com", 7)])
    func bogusAnswersFailWithTheirReason(_ domain: String, _ extendedError: UInt16) async throws {
        let list = try await names(domain)
        guard case .bogus(let reason) = list.status else {
            Issue.record("\(domain): \(list.status)")
            return
        }
        #expect(reason.extendedErrorCode == extendedError, "\(reason)")
        #expect(texts(list) == [domain])
        #expect(list.candidates.isEmpty)
    }

    @Test func validationTimeDecidesSignatureValidity() async throws {
        // The world signs with inception now-1d and expiration now+30d.
        let now = Int64(Date().timeIntervalSince1970)
        for (offset, code) in [(Int64(60 * 86_400), UInt16(7)), (Int64(-10 * 86_400), UInt16(8))] {
            var configuration = world.configuration(world.nsd)
            configuration.time = now + offset
            let list = try await DelegationResolver(configuration).nameList(for: try DNSName("example.com"), service: .xmppServer)
            guard case .bogus(let reason) = list.status else {
                Issue.record("at now\(offset > 0 ? "+" : "")\(offset)s: \(list.status)")
                continue
            }
            #expect(reason.extendedErrorCode == code, "\(reason)")
        }
    }

    @Test func dotTargetMeansServiceUnavailable() async throws {
        let list = try await names("nosrv.example.com")
        #expect(list.kind == .serviceUnavailable)
        #expect(list.candidates.isEmpty)
    }

    @Test func noSRVFallsBackToTheDomain() async throws {
        let list = try await names("nosrv2.example.com")
        #expect(list.kind == .noSRV)
        #expect(list.status == .secure)
        #expect(list.candidates.map(\.host.text) == ["nosrv2.example.com"])
    }

    @Test func nsec3OptOutMakesAbsenceInsecure() async throws {
        // example.net is signed with NSEC3 opt-out: the NSEC3 covering the
        // name could hide an unsigned delegation (RFC 5155 section 9.2).
        let list = try await names("nothere.example.net")
        #expect(list.kind == .noSRV)
        #expect(list.status == .insecure)
    }

    @Test func nsec3OptOutDelegationIsInsecure() async throws {
        let list = try await names("unsigned.example.net")
        #expect(list.status == .insecure)
        #expect(texts(list) == ["unsigned.example.net"])
    }

    @Test func unknownDSDigestMakesTheZoneInsecureNotBogus() async throws {
        let list = try await names("unknownds.example")
        #expect(list.status == .insecure)
        #expect(list.candidates.map(\.host.text) == ["host1.example.net"])
    }

    @Test func wildcardSynthesisedTargetIsSecureWithItsProof() async throws {
        let list = try await names("wildsrv.example.com")
        #expect(list.status == .secure)
        #expect(texts(list) == ["wildsrv.example.com", "xmpp.wild.example.com", "127.0.0.9"])
    }

    @Test func trustADModeBelievesTheLoopbackResolver() async throws {
        let resolver = try DelegationResolver(world.configuration(world.unbound, mode: .trustAD))
        let secure = await resolver.nameList(for: try DNSName("example.com"), service: .xmppServer)
        #expect(secure.status == .secure)
        #expect(texts(secure).contains("host1.example.net"))
        let insecure = await resolver.nameList(for: try DNSName("insecure.example"), service: .xmppServer)
        #expect(insecure.status == .insecure)
        let bogus = await resolver.nameList(for: try DNSName("bogus.example"), service: .xmppServer)
        #expect(texts(bogus) == ["bogus.example"])
    }

    @Test func trustADModeRefusesANonLoopbackResolver() {
        var configuration = world.configuration(DNSServerAddress(address: try! IPAddress("192.0.2.53")), mode: .trustAD)
        #expect(throws: DNSConfigurationError.self) { try DelegationResolver(configuration) }
        configuration.trustedResolvers = [DNSServerAddress(address: try! IPAddress("192.0.2.53"))]
        #expect(throws: Never.self) { try DelegationResolver(configuration) }
    }

    @Test func silentServerIsIndeterminateNotSecure() async throws {
        // Nothing listens on this loopback port.
        var configuration = world.configuration(DNSServerAddress(address: try IPAddress("127.0.0.1"), port: world.unbound.port + 2))
        configuration.timeoutMilliseconds = 200
        configuration.retries = 0
        let list = try await DelegationResolver(configuration).nameList(for: try DNSName("example.com"), service: .xmppServer)
        guard case .indeterminate = list.status else {
            Issue.record("\(list.status)")
            return
        }
        #expect(texts(list) == ["example.com"])
    }

    @Test func aBogusSRVAnswerIsShownNeverUsed() async throws {
        let resolver = try DelegationResolver(world.configuration(world.unbound))
        let refused = await resolver.refusedSRV(at: "_xmpp-server._tcp.bogus.example")
        guard case .bogus(let reason) = refused.status else { Issue.record("\(refused.status)"); return }
        #expect(reason.extendedErrorCode == 7)
        #expect(refused.records.map(\.description) == ["5 0 5269 host1.example.net."])
        // A good answer has nothing refused.
        let secure = await resolver.refusedSRV(at: "_xmpp-server._tcp.example.com")
        #expect(secure.status == .secure && secure.records.isEmpty)
    }
}
