import Foundation
import Testing
@testable import XMPPDNA
@testable import XMPPDNACore
@testable import XMPPDNANet
@testable import XMPPDNAOpenSSL
@testable import XMPPDNAResolver

private let world = DNSWorld.shared

/// Issue #16's smaller validator rules, on zones of the world built to break
/// each one: a DS that matches only a revoked KSK or a KSK without the zone
/// key flag vouches for nothing, a SHA-1 DS does not count beside a SHA-256
/// DS, an RRSIG that counts more labels than its owner has is no signature,
/// and no answer is kept past the signatures it rests on.
@Suite struct ValidatorRulesTests {
    private func status(_ domain: String) async throws -> DNSSECStatus {
        try await DelegationResolver(world.configuration(world.nsd)).nameList(for: try DNSName(domain), service: .xmppServer).status
    }

    @Test func aRevokedKSKVouchesForNothing() async throws {
        try #require(world.started, "DNS world did not start: \(world.failure ?? "")")
        // RFC 5011 section 2.1: a revoked key is not used for anything but its
        // own revocation. (The world's Unbound 1.17 still accepts this one.)
        #expect(try await status("revoked.example").tag == "bogus")
    }

    @Test func aKSKWithoutTheZoneKeyFlagVouchesForNothing() async throws {
        try #require(world.started, "DNS world did not start: \(world.failure ?? "")")
        let seen = try await status("nozonebit.example")
        #expect(seen.tag == "bogus", "\(seen)")
        let oracle = try await DelegationResolver(world.configuration(world.unbound, mode: .trustAD))
            .nameList(for: try DNSName("nozonebit.example"), service: .xmppServer).status
        #expect(oracle.tag == "bogus", "Unbound answers SERVFAIL with a DNSSEC EDE: \(oracle)")
    }

    @Test func aSHA1DSDoesNotCountBesideSHA256() async throws {
        try #require(world.started, "DNS world did not start: \(world.failure ?? "")")
        // RFC 4509 section 3 (Unbound only with harden-algo-downgrade).
        let seen = try await status("sha1ds.example")
        #expect(seen.tag == "bogus", "\(seen)")
    }

    @Test func anRRSIGCountingMoreLabelsThanItsOwnerIsNoSignature() async throws {
        try #require(world.started, "DNS world did not start: \(world.failure ?? "")")
        // A genuine signature by example.com's key, with labels 6 over a
        // 5-label owner (Tests/DNSWorld/resign_labels.py): RFC 4035 section 5.3.1.
        let seen = try await status("badlabels.example.com")
        #expect(seen.tag == "bogus", "\(seen)")
        let oracle = try await DelegationResolver(world.configuration(world.unbound, mode: .trustAD))
            .nameList(for: try DNSName("badlabels.example.com"), service: .xmppServer).status
        #expect(oracle.tag == "bogus", "Unbound: \(oracle)")
    }

    @Test func noAnswerOutlivesItsSignatures() async throws {
        try #require(world.started, "DNS world did not start: \(world.failure ?? "")")
        let env = (try? String(contentsOf: world.state.appendingPathComponent("env"), encoding: .utf8)) ?? ""
        let validTo = try #require(env.split(separator: "\n").first { $0.hasPrefix("SIGNATURES_VALID_TO=") }
            .flatMap { Int64($0.dropFirst("SIGNATURES_VALID_TO=".count)) })
        let transport = DNSTransport(servers: [world.nsd], timeoutMilliseconds: 1500, retries: 1)
        let anchors = try TrustAnchors.parse(world.anchor).get()
        // 100 s before every signature of the world expires; the records' TTL is 300 s.
        let answer = await DNSSECValidator(transport: transport, anchors: anchors, time: validTo - 100)
            .lookup("_xmpp-server._tcp.example.com", DNSType.srv)
        #expect(answer.status == .secure)
        #expect(answer.ttl > 0 && answer.ttl <= 100, "cached for \(answer.ttl) s")
    }
}
