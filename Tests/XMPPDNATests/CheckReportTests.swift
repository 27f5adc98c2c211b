import Testing
@testable import XMPPDNA
@testable import XMPPDNACore
@testable import XMPPDNANet
@testable import XMPPDNAOpenSSL
@testable import XMPPDNAResolver

private let pki = FixturePKI.shared

/// The diagnosis sentences of `xmppdna check`, from reports built by hand.
@Suite struct CheckReportTests {
    private func report(names: NameList, tlsa: [TLSARecord], time: Int64, chain: String = "host1-chain.pem") async throws -> CheckReport {
        let certificates = pki.chain(chain)
        let candidate = names.candidates[0]
        var request = DNARequest(direction: .outbound, domain: names.domain, service: .xmppServer)
        request.endpoint = (candidate.host, candidate.port)
        let verifier = PKIVerifier()
        try verifier.updateTrust { $0.caFile = "\(pki.directory)/root.pem" }
        verifier.update { $0.time = time }
        let sources = DNASources(names: names, tlsa: { _ in DNSAnswer(.records(tlsa), status: .secure) })
        let verdict = try await DNAVerification.verify(request, chain: certificates, sources: sources, pki: verifier)
        let probe = XMPPProbe.Result(address: try IPAddress("127.0.0.1"), port: 5269, directTLS: false, chain: certificates,
                                     tlsVersion: "TLSv1.3", cipher: "TLS_AES_256_GCM_SHA384", alpn: nil)
        return CheckReport(domain: names.domain, service: .xmppServer, names: names, tlsa: [:],
                           endpoints: [.init(candidate: candidate, address: probe.address, outcome: .probed(probe, verdict))],
                           time: time)
    }

    private func names(_ status: DNSSECStatus) throws -> NameList {
        let srv = RecordProvenance(record: "SRV _xmpp-server._tcp.example.com 5 0 5269 host1.example.net.", status: status)
        let candidate = ConnectionCandidate(host: try DNSName("host1.example.net"), port: 5269, directTLS: false,
                                            service: .xmppServer, priority: 5, weight: 0, records: [srv], addresses: [])
        return NameList(domain: try DNSName("example.com"), service: .xmppServer, kind: .srv, status: status,
                        acceptableNames: [AcceptableName(value: .dns(try DNSName("example.com")), status: nil,
                                                         source: "the domain itself")],
                        candidates: [candidate])
    }

    @Test func insecureDelegationSaysWhatToDo() async throws {
        let checked = try await report(names: try names(.insecure), tlsa: [], time: FixturePKI.time)
        let lines = checked.diagnosis(checked.endpoints[0])
        #expect(lines.contains("certificate names host1.example.net; expected example.com; delegation via SRV is insecure "
                               + "(example.com is not signed), so host1.example.net is not acceptable — sign the zone or "
                               + "obtain a certificate for example.com"), "\(lines)")
        #expect(checked.status == .someFailed)
    }

    @Test func tlsaMismatchPointsAtARollover() async throws {
        let stale = try TLSARecord(presentation: "3 1 1 " + String(repeating: "00", count: 32))
        let checked = try await report(names: try names(.secure), tlsa: [stale], time: FixturePKI.time)
        #expect(checked.diagnosis(checked.endpoints[0]).contains { $0.contains("after a certificate rollover?") })
    }

    @Test func certificateCloseToExpiryIsFlagged() async throws {
        let key = try TLSARecord(presentation: "3 1 1 " + pki.spkiDigest("host1.pem"))
        // The fixtures expire on 2035-01-01 (2051222400); six and a half days before.
        let checked = try await report(names: try names(.secure), tlsa: [key], time: 2_051_222_400 - 6 * 86_400 - 43_200)
        let lines = checked.diagnosis(checked.endpoints[0])
        #expect(checked.status == .allVerified)
        #expect(lines.contains("certificate expires in 6 days"), "\(lines)")
    }
}
