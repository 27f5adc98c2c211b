import Foundation
import Testing
@testable import XMPPDNA
@testable import XMPPDNACore
@testable import XMPPDNANet
@testable import XMPPDNAOpenSSL
@testable import XMPPDNAResolver

private let world = DNSWorld.shared

/// One scripted bad answer: from Tests/DNSWorld/hostile_dns.py in front of
/// the world's NSD (mode), or from a zone of the world built to misbehave.
private struct Fault: Sendable, CustomStringConvertible {
    let fault: String
    let domain: String
    let mode: String?
    let names: String
    let dane: String
    let verdict: String

    var description: String { fault }
}

/// #8's hostile-DNS list. Every row must end in a clear status; none may be
/// secure except where the data really is signed by the domain (the last
/// three), and even there nothing unproven joins the list.
private let faults: [Fault] = [
    .init(fault: "no answer (timeout)", domain: "example.com", mode: "silent",
          names: "indeterminate, no SRV", dane: "not applicable", verdict: "rejected"),
    .init(fault: "TC bit, then a truncated TCP answer", domain: "example.com", mode: "tcptruncate",
          names: "indeterminate, no SRV", dane: "not applicable", verdict: "rejected"),
    .init(fault: "SERVFAIL", domain: "example.com", mode: "servfail",
          names: "indeterminate, no SRV", dane: "not applicable", verdict: "rejected"),
    .init(fault: "REFUSED", domain: "example.com", mode: "refused",
          names: "indeterminate, no SRV", dane: "not applicable", verdict: "rejected"),
    .init(fault: "FORMERR", domain: "example.com", mode: "formerr",
          names: "indeterminate, no SRV", dane: "not applicable", verdict: "rejected"),
    .init(fault: "wrong ID", domain: "example.com", mode: "wrongid",
          names: "indeterminate, no SRV", dane: "not applicable", verdict: "rejected"),
    .init(fault: "wrong question", domain: "example.com", mode: "wrongquestion",
          names: "indeterminate, no SRV", dane: "not applicable", verdict: "rejected"),
    .init(fault: "response for a different type", domain: "example.com", mode: "wrongtype",
          names: "bogus (EDE 12 NSEC Missing), no SRV", dane: "not applicable", verdict: "rejected"),
    .init(fault: "compression-pointer loop", domain: "example.com", mode: "pointerloop",
          names: "indeterminate, no SRV", dane: "not applicable", verdict: "rejected"),
    .init(fault: "oversized answer (64 KB of unsigned records)", domain: "example.com", mode: "oversized",
          names: "bogus (EDE 10 RRSIGs Missing)", dane: "not applicable", verdict: "rejected"),
    .init(fault: "RRSIGs stripped", domain: "example.com", mode: "strip",
          names: "bogus (EDE 10 RRSIGs Missing)", dane: "not applicable", verdict: "rejected"),
    .init(fault: "DS present, DNSKEY missing", domain: "nokey.example", mode: nil,
          names: "bogus (EDE 9 DNSKEY Missing)", dane: "not applicable", verdict: "rejected"),
    .init(fault: "NSEC that covers the wrong range (a replayed sibling denial)", domain: "example.com", mode: "wrongnsec",
          names: "bogus (EDE 12 NSEC Missing), no SRV", dane: "not applicable", verdict: "rejected"),
    .init(fault: "NSEC expanded from a wildcard, offered as its own proof", domain: "wildsrv.example.com", mode: "expandednsec",
          names: "bogus (EDE 12 NSEC Missing)", dane: "not applicable", verdict: "rejected"),
    .init(fault: "NSEC3 with 500 iterations (RFC 9276: insecure)", domain: "iter.example", mode: nil,
          names: "insecure, no SRV", dane: "not applicable", verdict: "rejected"),
    .init(fault: "CNAME loop behind a signed SRV", domain: "loop.example.com", mode: nil,
          names: "secure", dane: "not applicable", verdict: "rejected"),
    .init(fault: "signed SRV with 1,000 targets (16 count)", domain: "many.example.com", mode: nil,
          names: "secure", dane: "not applicable", verdict: "rejected"),
    .init(fault: "signed TLSA with a SHA-256 digest of 16 octets", domain: "badlen.example.com", mode: nil,
          names: "secure", dane: "not applicable", verdict: "rejected"),
]

@Suite(.serialized) struct HostileDNSMatrixTests {
    @Test func everyHostileAnswerEndsInAClearStatus() async throws {
        try #require(world.started, "DNS world did not start: \(world.failure ?? "")")
        for row in faults {
            let seen = try await DNAObservation(domain: row.domain, hostileMode: row.mode)
            let seconds = seen.seconds
            #expect(seen.names == row.names, "\(row.fault): names \(seen.names)")
            #expect(seen.dane == row.dane, "\(row.fault): DANE \(seen.dane)")
            #expect(seen.verdict == row.verdict, "\(row.fault): verdict \(seen.verdict)")
            #expect(!seen.widened, "\(row.fault): names widened on a path that is not secure")
            // Bounded work: no row may hang until the lookup deadline (300 s here). Alone a row
            // takes a few seconds (the whole matrix 13 s, 16 s under ThreadSanitizer), but under
            // ThreadSanitizer beside every other suite on two cores the 64 KB row took 27 s in CI.
            #expect(seconds < 60, "\(row.fault) took \(seconds) s")
            // Only names the signed SRV itself (and its signed CNAMEs) name; no address without a secure path.
            for name in seen.list.acceptableNames.dropFirst() { #expect(name.status == .secure, "\(row.fault): \(name.text)") }
        }
    }

    @Test func aCNAMELoopEndsWithoutAddresses() async throws {
        let list = try await DNAObservation(domain: "loop.example.com", hostileMode: nil).list
        #expect(list.candidates.count == 1)
        #expect(list.candidates.first?.status != .secure, "\(String(describing: list.candidates.first?.status))")
        #expect(!list.acceptableNames.contains { if case .ip = $0.value { true } else { false } })
    }

    @Test func aThousandTargetsCountAsSixteen() async throws {
        let list = try await DNAObservation(domain: "many.example.com", hostileMode: nil).list
        #expect(list.candidates.count == NameListBuilder.defaultMaxTargets)
        #expect(list.acceptableNames.count == 1 + NameListBuilder.defaultMaxTargets)
    }

    @Test func aShortDigestIsUnusableNotAMatch() async throws {
        var configuration = world.configuration(world.unbound)
        configuration.timeoutMilliseconds = 1500
        let answer = try await DelegationResolver(configuration).tlsa(host: try DNSName("badlen.example.com"), port: 5269)
        #expect(answer.status == .secure)
        #expect(answer.records.map(\.data.count) == [16])
    }
}
