import Testing
@testable import XMPPDNA
@testable import XMPPDNACore
@testable import XMPPDNANet
@testable import XMPPDNAOpenSSL
@testable import XMPPDNAResolver

private let world = DNSWorld.shared

private func resolver() throws -> DelegationResolver { try DelegationResolver(world.configuration(world.unbound)) }

/// The fixture root: the PKIX store that usages 0 and 1 would need.
private let store = try! TrustStore(TrustSource(caFile: "\(FixturePKI.shared.directory)/root.pem"))

/// TLSA records fetched and validated on the loopback world, then matched.
@Suite(.serialized) struct DANEWorldTests {
    @Test func signedTLSAForTheHostingProviderMatchesItsCertificate() async throws {
        let answer = try await resolver().tlsa(host: try DNSName("host1.example.net"), port: 5271)
        #expect(answer.status == .secure)
        #expect(answer.records.count == 1)
        let outcome = DANE.evaluate(records: answer.records, status: answer.status,
                                    chain: FixturePKI.shared.chain("host1-chain.pem"),
                                    names: [.dns(try DNSName("example.com")), .dns(try DNSName("host1.example.net"))],
                                    time: FixturePKI.time, direction: .outbound, pkixStore: store)
        #expect(outcome.result == .accepted, "\(outcome.reason)")
    }

    @Test func signedTLSAOfAnotherKeyRejects() async throws {
        // host2's placeholder record names no real key.
        let answer = try await resolver().tlsa(host: try DNSName("host2.example.net"), port: 5269)
        #expect(answer.status == .secure)
        let outcome = DANE.evaluate(records: answer.records, status: answer.status,
                                    chain: FixturePKI.shared.chain("host1-chain.pem"), names: [],
                                    time: FixturePKI.time, direction: .outbound, pkixStore: store)
        #expect(outcome.result == .rejected)
    }

    @Test func tlsaNameThatIsACNAMEIsFollowedSecurely() async throws {
        let answer = try await resolver().tlsa(host: try DNSName("host1.example.net"), port: 5272)
        #expect(answer.status == .secure)
        #expect(answer.cnames.map(\.target) == ["tlsa.host1.example.net"])
        let outcome = DANE.evaluate(records: answer.records, status: answer.pathStatus,
                                    chain: FixturePKI.shared.chain("host1-chain.pem"), names: [],
                                    time: FixturePKI.time, direction: .outbound, pkixStore: store)
        #expect(outcome.result == .accepted, "\(outcome.reason)")
    }

    @Test func bogusTLSARejectsWithTheReason() async throws {
        let answer = try await resolver().tlsa(host: try DNSName("host.bogus.example"), port: 5269)
        guard case .bogus = answer.status else {
            Issue.record("\(answer.status)")
            return
        }
        let outcome = DANE.evaluate(records: answer.records, status: answer.status,
                                    chain: FixturePKI.shared.chain("host1-chain.pem"), names: [],
                                    time: FixturePKI.time, direction: .outbound, pkixStore: store)
        #expect(outcome.result == .rejected)
        #expect(outcome.reason.contains("Signature Expired"))
    }

    /// Old and new key published side by side during a rollover: either matches.
    @Test func rolloverWithTwoKeysAcceptsTheNewOne() async throws {
        let answer = try await resolver().tlsa(host: try DNSName("host1.example.net"), port: 5269)
        #expect(answer.status == .secure && answer.records.count == 2)
        let outcome = DANE.evaluate(records: answer.records, status: answer.status,
                                    chain: FixturePKI.shared.chain("host1-chain.pem"), names: [],
                                    time: FixturePKI.time, direction: .outbound, pkixStore: store)
        #expect(outcome.result == .accepted, "\(outcome.reason)")
    }

    @Test func daneTAFromTheWorldBuildsTheChainAndChecksTheName() async throws {
        let answer = try await resolver().tlsa(host: try DNSName("host1.example.net"), port: 5273)
        #expect(answer.status == .secure)
        let chain = FixturePKI.shared.chain("host1-chain.pem")
        let named = DANE.evaluate(records: answer.records, status: answer.status, chain: chain,
                                  names: [.dns(try DNSName("host1.example.net"))], time: FixturePKI.time,
                                  direction: .outbound, pkixStore: store)
        #expect(named.result == .accepted, "\(named.reason)")
        let unnamed = DANE.evaluate(records: answer.records, status: answer.status, chain: chain,
                                    names: [.dns(try DNSName("example.com"))], time: FixturePKI.time,
                                    direction: .outbound, pkixStore: store)
        #expect(unnamed.result == .rejected)
    }

    /// A SHA-512 record beside the matching SHA-256 one makes the SHA-256 one unusable (RFC 7671 section 9).
    @Test func digestAgilityIgnoresTheWeakerDigestFromTheWorld() async throws {
        let answer = try await resolver().tlsa(host: try DNSName("host1.example.net"), port: 5274)
        #expect(answer.status == .secure && answer.records.count == 2)
        let outcome = DANE.evaluate(records: answer.records, status: answer.status,
                                    chain: FixturePKI.shared.chain("host1-chain.pem"), names: [],
                                    time: FixturePKI.time, direction: .outbound, pkixStore: store)
        #expect(outcome.result == .rejected)
        #expect(outcome.usable.count == 1)
    }

    @Test func absentTLSAUnderOptOutIsInsecureSoDANEDoesNotApply() async throws {
        let answer = try await resolver().tlsa(host: try DNSName("host1.example.net"), port: 443)
        #expect(answer.records.isEmpty)
        #expect(answer.status == .insecure)
        let outcome = DANE.evaluate(records: answer.records, status: answer.status,
                                    chain: FixturePKI.shared.chain("host1-chain.pem"), names: [],
                                    time: FixturePKI.time, direction: .outbound, pkixStore: store)
        #expect(outcome.result == .notApplicable)
    }
}
