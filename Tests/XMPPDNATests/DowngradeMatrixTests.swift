import Foundation
import Testing
@testable import XMPPDNA
@testable import XMPPDNACore
@testable import XMPPDNANet
@testable import XMPPDNAOpenSSL
@testable import XMPPDNAResolver

private let world = DNSWorld.shared

/// One way DNSSEC can fail (or deny), and what must follow from it.
private struct Downgrade: Sendable, CustomStringConvertible {
    let failure: String
    let domain: String
    /// "strip": answers pass through the hostile server with every RRSIG removed.
    let strip: Bool
    let names: String
    let dane: String
    let verdict: String
    /// An attack of Tests/DNSWorld/replay_dns.py: genuine records, wrong question.
    var replay: String? = nil
    /// Another mode of Tests/DNSWorld/hostile_dns.py, and what it does in transit.
    var hostile: (mode: String, note: String)? = nil

    var description: String { failure }
}

/// For each way DNSSEC can fail: the name list, the DANE outcome and the
/// verdict for the hosting provider's certificate (host1.example.net), with
/// DANE then PKI. None may widen the names or accept through the failure.
private let matrix: [Downgrade] = [
    .init(failure: "expired signatures", domain: "bogus.example", strip: false,
          names: "bogus (EDE 7 Signature Expired)", dane: "not applicable", verdict: "rejected"),
    .init(failure: "signatures not yet valid", domain: "notyet.example", strip: false,
          names: "bogus (EDE 8 Signature Not Yet Valid)", dane: "not applicable", verdict: "rejected"),
    .init(failure: "wrong DS", domain: "wrongds.example", strip: false,
          names: "bogus (EDE 9 DNSKEY Missing)", dane: "not applicable", verdict: "rejected"),
    .init(failure: "tampered rdata", domain: "tampered.example.com", strip: false,
          names: "bogus (EDE 6 DNSSEC Bogus)", dane: "not applicable", verdict: "rejected"),
    .init(failure: "stripped signatures", domain: "example.com", strip: true,
          names: "bogus (EDE 10 RRSIGs Missing)", dane: "not applicable", verdict: "rejected"),
    .init(failure: "unsigned delegation", domain: "unsigned.example.net", strip: false,
          names: "insecure", dane: "not applicable", verdict: "rejected"),
    .init(failure: "algorithm or digest unsupported", domain: "unknownds.example", strip: false,
          names: "insecure", dane: "not applicable", verdict: "rejected"),
    // The signed CNAME names its target, so that name is acceptable; the
    // target's addresses are insecure, so its endpoint's TLSA does not count.
    .init(failure: "CNAME into an insecure zone (the CNAME itself is signed)", domain: "toinsecure.example.com", strip: false,
          names: "secure", dane: "not applicable", verdict: "rejected"),
    .init(failure: "CNAME into a bogus zone", domain: "tobogus.example.com", strip: false,
          names: "bogus (EDE 7 Signature Expired)", dane: "not applicable", verdict: "rejected"),
    .init(failure: "NSEC denial of the SRV", domain: "nosrv2.example.com", strip: false,
          names: "secure, no SRV", dane: "not applicable", verdict: "rejected"),
    .init(failure: "NSEC3 opt-out denial of the SRV", domain: "host1.example.net", strip: false,
          names: "insecure, no SRV", dane: "not applicable", verdict: "accepted by pki"),
    .init(failure: "denial of the TLSA", domain: "alias.example.com", strip: false,
          names: "secure", dane: "not applicable", verdict: "accepted by pki"),
    // Issue #16: an on-path resolver that replays genuine signed records.
    .init(failure: "DS denied by another zone's opt-out NSEC3", domain: "example.com", strip: false,
          names: "bogus (EDE 12 NSEC Missing)", dane: "not applicable", verdict: "rejected", replay: "foreign-optout-ds"),
    .init(failure: "DS of a signed child denied by the parent's NSEC3 at it", domain: "s1.optout", strip: false,
          names: "bogus (EDE 12 NSEC Missing)", dane: "not applicable", verdict: "rejected", replay: "child-nsec3-ds"),
    .init(failure: "SRV denied by another zone's last NSEC", domain: "example.com", strip: false,
          names: "bogus (EDE 12 NSEC Missing)", dane: "not applicable", verdict: "rejected", replay: "last-nsec-srv"),
    .init(failure: "TLSA denied by another zone's last NSEC", domain: "example.com", strip: false,
          names: "secure", dane: "rejected", verdict: "rejected", replay: "last-nsec-tlsa"),
    .init(failure: "wildcard replayed onto an existing SRV name (NSEC)", domain: "wc.example.com", strip: false,
          names: "bogus (EDE 12 NSEC Missing)", dane: "not applicable", verdict: "rejected", replay: "wildcard-nsec"),
    .init(failure: "wildcard replayed onto an existing SRV name (NSEC3)", domain: "wc.example.net", strip: false,
          names: "bogus (EDE 12 NSEC Missing)", dane: "not applicable", verdict: "rejected", replay: "wildcard-nsec3"),
    .init(failure: "unsigned child under real NSEC3 opt-out (wrap-around span)", domain: "u1.optout", strip: false,
          names: "insecure", dane: "not applicable", verdict: "rejected"),
    // Issue #17: the path is secure but its TLSA lookup never completes.
    .init(failure: "TLSA lookup times out on a secure path", domain: "example.com", strip: false,
          names: "secure", dane: "rejected", verdict: "rejected",
          hostile: ("tlsasilent", "TLSA questions dropped in transit")),
    .init(failure: "TLSA lookup answered SERVFAIL on a secure path", domain: "example.com", strip: false,
          names: "secure", dane: "rejected", verdict: "rejected",
          hostile: ("tlsaservfail", "TLSA questions answered SERVFAIL")),
]

private func observe(_ row: Downgrade) async throws -> DNAObservation {
    try await DNAObservation(domain: row.domain, hostileMode: row.strip ? "strip" : row.hostile?.mode,
                       replayAttack: row.replay)
}

/// The downgrade matrix of #8, on the loopback world. The README's security
/// section shows the table this test renders (XMPPDNA_WRITE_README=1 writes
/// it), and the test fails when the two differ, so the README cannot drift.
@Suite(.serialized) struct DowngradeMatrixTests {
    @Test func everyDowngradeFailsClosed() async throws {
        try #require(world.started, "DNS world did not start: \(world.failure ?? "")")
        var rows: [String] = []
        for row in matrix {
            let seen = try await observe(row)
            #expect(seen.names == row.names, "\(row.failure): names \(seen.names)")
            #expect(seen.dane == row.dane, "\(row.failure): DANE \(seen.dane)")
            #expect(seen.verdict == row.verdict, "\(row.failure): verdict \(seen.verdict)")
            #expect(!seen.widened, "\(row.failure): names widened on a path that is not secure")
            rows.append("| \(row.failure) | `\(row.domain)`\(row.strip ? " (RRSIGs stripped in transit)" : "")\(row.hostile.map { " (\($0.note))" } ?? "")\(row.replay.map { " (replayed: `\($0)`)" } ?? "") | \(seen.names) | \(seen.dane) | \(seen.verdict) |")
        }
        let table = (["| DNSSEC failure | domain in the world | name list | DANE | verdict for host1.example.net's certificate |",
                      "|---|---|---|---|---|"] + rows).joined(separator: "\n")
        try RenderedReadmeTable.check(table, marker: "downgrade-matrix", renderedBy: "DowngradeMatrixTests")
    }
}
