import Testing
@testable import XMPPDNACore

private struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}

private func name(_ text: String) -> DNSName { try! DNSName(text) }
private func ip(_ text: String) -> IPAddress { try! IPAddress(text) }
private let domain = name("example.com")
private let host1 = name("host1.example.net")
private let host2 = name("host2.example.net")

private func srv(_ records: [SRVRecord], _ status: DNSSECStatus, cnames: [CNAMELink] = []) -> DNSAnswer<SRVRecord> {
    DNSAnswer(.records(records), status: status, cnames: cnames)
}

private func addresses(_ v4: String, _ v6: String, _ status: DNSSECStatus, cnames: [CNAMELink] = []) -> AddressAnswers {
    AddressAnswers(a: DNSAnswer(.records([ip(v4)]), status: status, cnames: cnames),
                   aaaa: DNSAnswer(.records([ip(v6)]), status: status, cnames: cnames))
}

private func build(_ service: XMPPService = .xmppServer, srv: [XMPPService: DNSAnswer<SRVRecord>],
                   addresses: [DNSName: AddressAnswers] = [:], seed: UInt64 = 1) -> NameList {
    var generator = SplitMix64(state: seed)
    return NameListBuilder.build(domain: domain, service: service, srv: srv, addresses: addresses, using: &generator)
}

private func texts(_ list: NameList) -> [String] { list.acceptableNames.map(\.text) }

@Suite struct NameListBuilderTests {
    @Test func secureSRVDelegatesToItsTargetsAndSecureAddresses() {
        let list = build(srv: [.xmppServer: srv([SRVRecord(priority: 5, weight: 0, port: 5269, target: host1)], .secure)],
                         addresses: [host1: addresses("192.0.2.1", "2001:db8::1", .secure)])
        #expect(list.status == .secure)
        #expect(texts(list) == ["example.com", "host1.example.net", "192.0.2.1", "2001:db8::1"])
        #expect(list.acceptableNames[1].source == "SRV _xmpp-server._tcp.example.com 5 0 5269 host1.example.net.")
        #expect(list.candidates.map(\.host) == [host1])
        #expect(list.candidates[0].status == .secure)
        #expect(list.referenceIdentifiers.contains(.dns(host1)))
    }

    @Test func insecureSRVAddsNothingButKeepsCandidates() {
        let list = build(srv: [.xmppServer: srv([SRVRecord(priority: 5, weight: 0, port: 5269, target: host1)], .insecure)],
                         addresses: [host1: addresses("192.0.2.1", "2001:db8::1", .secure)])
        #expect(list.status == .insecure)
        #expect(texts(list) == ["example.com"])
        #expect(list.candidates.map(\.host) == [host1])
        #expect(list.candidates[0].status == .insecure)
    }

    @Test func bogusSRVFailsWithItsReason() {
        let reason = BogusReason.signatureExpired("RRSIG over _xmpp-server._tcp.example.com SRV expired")
        let list = build(srv: [.xmppServer: srv([SRVRecord(priority: 5, weight: 0, port: 5269, target: host1)], .bogus(reason))])
        #expect(list.status == .bogus(reason))
        #expect(texts(list) == ["example.com"])
        #expect(list.candidates.isEmpty)
    }

    @Test func bogusAddressAnywhereFailsTheWholeList() {
        let reason = BogusReason.dnssecBogus("bad signature")
        let list = build(srv: [.xmppServer: srv([SRVRecord(priority: 5, weight: 0, port: 5269, target: host1)], .secure)],
                         addresses: [host1: AddressAnswers(a: DNSAnswer(.records([ip("192.0.2.1")]), status: .bogus(reason)))])
        #expect(list.status == .bogus(reason))
        #expect(texts(list) == ["example.com"])
    }

    @Test func insecureAddressesAddNoAddressButKeepTheHost() {
        let list = build(srv: [.xmppServer: srv([SRVRecord(priority: 5, weight: 0, port: 5269, target: host1)], .secure)],
                         addresses: [host1: addresses("192.0.2.1", "2001:db8::1", .insecure)])
        #expect(texts(list) == ["example.com", "host1.example.net"])
        #expect(list.candidates[0].addresses.count == 2)
    }

    @Test func lonelyDotTargetMeansServiceUnavailable() {
        let list = build(srv: [.xmppServer: srv([SRVRecord(priority: 0, weight: 0, port: 0, target: nil)], .secure)])
        #expect(list.kind == .serviceUnavailable)
        #expect(list.candidates.isEmpty)
        #expect(texts(list) == ["example.com"])
    }

    @Test func noSRVFallsBackToTheDomainItself() {
        let list = build(srv: [.xmppServer: DNSAnswer(.noData, status: .secure), .xmppsServer: DNSAnswer(.nameError, status: .secure)])
        #expect(list.kind == .noSRV)
        #expect(list.candidates.map(\.host) == [domain])
        #expect(list.candidates[0].port == 5269)
        #expect(!list.candidates[0].directTLS)
        #expect(list.candidates[0].records.map(\.record) == ["no SRV at _xmpp-server._tcp.example.com", "no SRV at _xmpps-server._tcp.example.com"])
    }

    @Test func failedLookupIsIndeterminateWithoutFallback() {
        let list = build(srv: [.xmppServer: DNSAnswer(.failure, status: .indeterminate("timeout"))])
        #expect(list.status == .indeterminate("timeout"))
        #expect(list.candidates.isEmpty)
    }

    @Test func secureCNAMEChainAddsEveryNameOnIt() {
        let alias = name("xmpp.alias.example.com")
        let hop = CNAMELink(owner: alias.text, target: host1.text, status: .secure)
        let list = build(srv: [.xmppServer: srv([SRVRecord(priority: 0, weight: 0, port: 5269, target: alias)], .secure)],
                         addresses: [alias: addresses("192.0.2.1", "2001:db8::1", .secure, cnames: [hop])])
        #expect(texts(list) == ["example.com", "xmpp.alias.example.com", "host1.example.net", "192.0.2.1", "2001:db8::1"])
    }

    @Test func insecureCNAMEHopStopsTheChain() {
        let alias = name("xmpp.toinsecure.example.com")
        let hop = CNAMELink(owner: alias.text, target: "host.insecure.example", status: .insecure)
        let list = build(srv: [.xmppServer: srv([SRVRecord(priority: 0, weight: 0, port: 5269, target: alias)], .secure)],
                         addresses: [alias: AddressAnswers(a: DNSAnswer(.records([ip("192.0.2.9")]), status: .insecure, cnames: [hop]))])
        #expect(texts(list) == ["example.com", "xmpp.toinsecure.example.com"])
    }

    @Test func xep0368MergesDirectTLSAndStartTLSByPriority() {
        let list = build(srv: [
            .xmppServer: srv([SRVRecord(priority: 10, weight: 0, port: 5269, target: host2),
                              SRVRecord(priority: 5, weight: 0, port: 5269, target: host1)], .secure),
            .xmppsServer: srv([SRVRecord(priority: 1, weight: 0, port: 5270, target: host1)], .secure),
        ])
        #expect(list.candidates.map(\.port) == [5270, 5269, 5269])
        #expect(list.candidates.map(\.directTLS) == [true, false, false])
        #expect(list.candidates.map(\.host) == [host1, host1, host2])
    }

    @Test func weightsOrderWithinOnePriority() {
        var firstCounts = [DNSName: Int]()
        for seed in UInt64(1)...400 {
            let list = build(srv: [.xmppServer: srv([SRVRecord(priority: 0, weight: 90, port: 5269, target: host1),
                                                     SRVRecord(priority: 0, weight: 10, port: 5269, target: host2)], .secure)],
                             seed: seed)
            firstCounts[list.candidates[0].host, default: 0] += 1
        }
        #expect(firstCounts[host1, default: 0] > 300)
        #expect(firstCounts[host2, default: 0] > 10)
    }
}
