import Foundation
import Testing
@testable import XMPPDNA
@testable import XMPPDNACore
@testable import XMPPDNANet
@testable import XMPPDNAOpenSSL
@testable import XMPPDNAResolver

private let world = DNSWorld.shared

/// Issue #16: an on-path resolver that forges nothing, only serves genuine
/// signed records (Tests/DNSWorld/replay_dns.py) to the wrong question. Each
/// answer is one Unbound calls bogus; none may become secure, insecure or a
/// secure denial here. Each test first shows the honest world's answer, so a
/// pass cannot come from a world that lacks the data.
@Suite(.serialized) struct OnPathReplayTests {
    private func names(_ domain: String, attack: String? = nil) async throws -> NameList {
        try await DNAObservation(domain: domain, hostileMode: nil, replayAttack: attack).list
    }

    private func hostNames(_ list: NameList) -> [String] {
        list.acceptableNames.compactMap { if case .dns(let name) = $0.value { name.text } else { nil } }
    }

    private func tag(_ status: DNSSECStatus) -> String {
        if case .bogus(let reason) = status { return "bogus (EDE \(reason.extendedErrorCode))" }
        return status.tag
    }

    @Test func aDSDenialMadeOfAnotherZonesOptOutNSEC3IsBogus() async throws {
        try #require(world.started, "DNS world did not start: \(world.failure ?? "")")
        await #expect(try names("example.com").status == .secure)
        let attacked = try await names("example.com", attack: "foreign-optout-ds")
        #expect(tag(attacked.status).hasPrefix("bogus"), "example.com DS denied by example.net's NSEC3: \(attacked.status)")
    }

    @Test func theParentsNSEC3AtASignedChildIsNoProofOfNoDS() async throws {
        try #require(world.started, "DNS world did not start: \(world.failure ?? "")")
        await #expect(try names("s1.optout").status == .secure)
        let attacked = try await names("s1.optout", attack: "child-nsec3-ds")
        #expect(tag(attacked.status).hasPrefix("bogus"), "s1.optout DS denied by its own NSEC3 (DS in the bitmap): \(attacked.status)")
    }

    @Test func anotherZonesLastNSECDeniesNoTLSA() async throws {
        try #require(world.started, "DNS world did not start: \(world.failure ?? "")")
        // example.com's certificate is PKI-valid, but its key is not in the
        // TLSA of host1.example.net, the SRV target: DANE vetoes it.
        let honest = try await DNAObservation(domain: "example.com", hostileMode: nil, chain: "full-chain.pem")
        #expect(honest.dane == "rejected")
        #expect(honest.verdict == "rejected")
        let attacked = try await DNAObservation(domain: "example.com", hostileMode: nil,
                                          replayAttack: "last-nsec-tlsa", chain: "full-chain.pem")
        #expect(attacked.verdict == "rejected", "the TLSA denied by the zone example.'s last NSEC: \(attacked.verdict), DANE \(attacked.dane)")
        #expect(attacked.dane != "not applicable", "a denial from another zone removed the DANE veto")
    }

    @Test func anotherZonesLastNSECDeniesNoSRV() async throws {
        try #require(world.started, "DNS world did not start: \(world.failure ?? "")")
        let attacked = try await names("example.com", attack: "last-nsec-srv")
        #expect(tag(attacked.status).hasPrefix("bogus"), "the SRV denied by the zone example.'s last NSEC: \(attacked.status), \(attacked.kind)")
    }

    @Test func theParentsNSEC3AtADelegationIsNoClosestEncloserForTheChildsData() async throws {
        try #require(world.started, "DNS world did not start: \(world.failure ?? "")")
        let attacked = try await names("s1.optout", attack: "parent-nsec3")
        #expect(tag(attacked.status).hasPrefix("bogus"), "the SRV of s1.optout denied by optout's NSEC3 chain: \(attacked.status), \(attacked.kind)")
    }

    @Test(arguments: [("wc.example.com", "wildcard-nsec"), ("wc.example.net", "wildcard-nsec3")])
    func aWildcardReplayedOntoAnExistingNameIsBogus(domain: String, attack: String) async throws {
        try #require(world.started, "DNS world did not start: \(world.failure ?? "")")
        let honest = try await names(domain)
        #expect(honest.status == .secure)
        #expect(hostNames(honest) == [domain, "host1.example.net"])
        let attacked = try await names(domain, attack: attack)
        #expect(tag(attacked.status).hasPrefix("bogus"), "\(attack): \(attacked.status)")
        #expect(!hostNames(attacked).contains("host2.example.net"), "\(attack): the wildcard's target became acceptable")
    }

    /// Real opt-out (the unsigned children have no NSEC3), in every span:
    /// insecure, as the world's Unbound says.
    @Test(arguments: ["u1.optout", "u2.optout", "u3.optout", "u9.optout"])
    func anUnsignedChildUnderOptOutIsInsecure(domain: String) async throws {
        try #require(world.started, "DNS world did not start: \(world.failure ?? "")")
        let validated = try await names(domain)
        #expect(validated.status == .insecure, "\(domain): \(validated.status)")
        let oracle = try await DelegationResolver(world.configuration(world.unbound, mode: .trustAD))
            .nameList(for: try DNSName(domain), service: .xmppServer)
        #expect(oracle.status == .insecure, "Unbound on \(domain): \(oracle.status)")
    }
}
