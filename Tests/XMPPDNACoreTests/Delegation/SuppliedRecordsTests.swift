import Testing
@testable import XMPPDNACore

// Records a server resolved itself (xmppdna_request_set_names) turned
// into the answers NameListBuilder takes: the same rules as the library's
// own resolver, with every supplied record checked.

private let srvType: UInt16 = 33, aType: UInt16 = 1, aaaaType: UInt16 = 28, cnameType: UInt16 = 5, txtType: UInt16 = 16

private func name(_ text: String) -> DNSName { try! DNSName(text) }
private let domain = name("example.com")
private let host1 = name("host1.example.net")
private let host2 = name("host2.example.net")

private func record(_ owner: String, _ type: UInt16, _ data: String?, _ status: DNSSECStatus = .secure) -> SuppliedRecord {
    SuppliedRecord(owner: owner, type: type, status: status, data: data)
}

private func nameList(_ records: [SuppliedRecord], service: XMPPService = .xmppServer) throws(IdentityInputError) -> NameList {
    try SuppliedRecords.nameList(domain: domain, service: service, records: records)
}

private func refusal(_ records: [SuppliedRecord]) -> String? {
    do {
        _ = try nameList(records)
        return nil
    } catch {
        return error.description
    }
}

/// A secure SRV RRset for example.com to host1 with secure addresses.
private let delegation = [
    record("_xmpp-server._tcp.example.com", srvType, "5 0 5269 host1.example.net."),
    record("_xmpps-server._tcp.example.com", srvType, nil),
    record("host1.example.net", aType, "192.0.2.1"),
    record("host1.example.net", aaaaType, "2001:db8::1"),
]

@Suite struct SuppliedRecordsTests {
    @Test func secureSRVAndAddressesMakeTheSameListAsTheResolver() throws {
        let list = try nameList(delegation)
        #expect(list.kind == .srv && list.status == .secure)
        #expect(list.acceptableNames.map(\.text) == ["example.com", "host1.example.net", "192.0.2.1", "2001:db8::1"])
        #expect(list.acceptableNames[1].source == "SRV _xmpp-server._tcp.example.com 5 0 5269 host1.example.net.")
        #expect(list.candidates.count == 1)
        let candidate = try #require(list.candidates.first)
        #expect(candidate.host == host1 && candidate.port == 5269 && !candidate.directTLS && candidate.status == .secure)
        #expect(candidate.records.map(\.record) == ["SRV _xmpp-server._tcp.example.com 5 0 5269 host1.example.net.",
                                                    "A host1.example.net 192.0.2.1", "AAAA host1.example.net 2001:db8::1"])
        #expect(list.trustMode == "supplied")
    }

    /// DNS names compare case-insensitively and without the root's dot.
    @Test func ownersAndTargetsAreNormalised() throws {
        let shouting = [
            record("_XMPP-Server._TCP.Example.COM.", srvType, "5 0 5269 HOST1.Example.NET."),
            record("HOST1.example.net.", aType, "192.0.2.1"),
            record("host1.EXAMPLE.net", aaaaType, nil),
        ]
        #expect(shouting[0].owner == "_xmpp-server._tcp.example.com")
        let list = try nameList(shouting)
        #expect(list.acceptableNames.map(\.text) == ["example.com", "host1.example.net", "192.0.2.1"])
        #expect(list.candidates.map(\.host) == [host1])
    }

    @Test func insecureSRVKeepsItsTargetsAsCandidatesOnly() throws {
        let list = try nameList([record("_xmpp-server._tcp.example.com", srvType, "5 0 5269 host1.example.net.", .insecure),
                                 record("_xmpps-server._tcp.example.com", srvType, nil, .insecure),
                                 record("host1.example.net", aType, "192.0.2.1", .insecure),
                                 record("host1.example.net", aaaaType, nil, .insecure)])
        #expect(list.status == .insecure)
        #expect(list.acceptableNames.map(\.text) == ["example.com"])
        #expect(list.candidates.map(\.host) == [host1] && list.candidates[0].status == .insecure)
    }

    /// A data-less record is a denial with its status: no SRV falls back to
    /// the domain itself (RFC 6120 section 3.2.2).
    @Test func aDenialFallsBackToTheDomain() throws {
        let list = try nameList([record("_xmpp-server._tcp.example.com", srvType, nil),
                                 record("_xmpps-server._tcp.example.com", srvType, nil)])
        #expect(list.kind == .noSRV && list.status == .secure)
        #expect(list.candidates.map(\.host) == [domain] && list.candidates[0].port == 5269)
    }

    /// Nothing supplied is not "none": the lookup failed, and nothing falls back.
    @Test func nothingSuppliedIsIndeterminate() throws {
        let list = try nameList([])
        #expect(list.status == .indeterminate("no records were supplied for _xmpp-server._tcp.example.com type 33"))
        #expect(list.candidates.isEmpty)
    }

    @Test func aLoneDotTargetMeansTheServiceIsNotOffered() throws {
        let list = try nameList([record("_xmpp-server._tcp.example.com", srvType, "0 0 0 ."),
                                 record("_xmpps-server._tcp.example.com", srvType, nil)])
        #expect(list.kind == .serviceUnavailable && list.candidates.isEmpty)
    }

    @Test func aBogusRecordFailsTheList() throws {
        let reason = BogusReason.signatureExpired("RRSIG over host1.example.net A expired")
        var records = delegation
        records[2] = record("host1.example.net", aType, "192.0.2.1", .bogus(reason))
        let list = try nameList(records)
        #expect(list.status == .bogus(reason))
        #expect(list.acceptableNames.map(\.text) == ["example.com"] && list.candidates.isEmpty)
    }

    /// XEP-0368: the xmpps-server records merge into the same role.
    @Test func directTLSRecordsJoinTheSameRole() throws {
        let list = try nameList([record("_xmpp-server._tcp.example.com", srvType, nil),
                                 record("_xmpps-server._tcp.example.com", srvType, "5 0 5270 host2.example.net."),
                                 record("host2.example.net", aType, "192.0.2.2"),
                                 record("host2.example.net", aaaaType, nil)])
        #expect(list.kind == .srv && list.status == .secure)
        #expect(list.candidates.map(\.host) == [host2])
        #expect(list.candidates[0].directTLS && list.candidates[0].port == 5270 && list.candidates[0].service == .xmppsServer)
    }

    /// Records of one RRset with different statuses: the weakest counts.
    @Test func recordsAtOneOwnerCombineTheirStatuses() throws {
        let answer = try SuppliedRecords.lookup("host1.example.net", aType,
                                                in: [record("host1.example.net", aType, "192.0.2.1"),
                                                     record("host1.example.net", aType, "192.0.2.2", .insecure)],
                                                parse: SuppliedRecords.parseIPv4)
        let (first, second) = (try IPAddress("192.0.2.1"), try IPAddress("192.0.2.2"))
        #expect(answer.records == [first, second])
        #expect(answer.status == .insecure)
    }

    @Test func cnamesAreFollowedWithTheirOwnStatus() throws {
        let records = [record("xmpp.example.com", cnameType, "Host1.Example.NET.", .secure),
                       record("host1.example.net", aType, "192.0.2.1", .secure)]
        let answer = try SuppliedRecords.lookup("xmpp.example.com", aType, in: records, parse: SuppliedRecords.parseIPv4)
        let address = try IPAddress("192.0.2.1")
        #expect(answer.outcome == .records([address]))
        #expect(answer.cnames == [CNAMELink(owner: "xmpp.example.com", target: "host1.example.net", status: .secure)])

        // A CNAME to nowhere supplied is a failed lookup at its target.
        let dangling = try SuppliedRecords.lookup("xmpp.example.com", aType, in: [records[0]], parse: SuppliedRecords.parseIPv4)
        #expect(dangling.outcome == .failure)
        #expect(dangling.status == .indeterminate("no records were supplied for host1.example.net type 1"))
        #expect(dangling.cnames.count == 1)
    }

    /// A CNAME loop ends after eight hops as a failed lookup, never a hang.
    @Test func aCNAMELoopEndsAsAFailure() throws {
        let loop = [record("a.example.com", cnameType, "b.example.com"), record("b.example.com", cnameType, "a.example.com")]
        let answer = try SuppliedRecords.lookup("a.example.com", aType, in: loop, parse: SuppliedRecords.parseIPv4)
        #expect(answer.outcome == .failure)
        #expect(answer.cnames.count == 8)
        #expect(answer.cnames.first == CNAMELink(owner: "a.example.com", target: "b.example.com", status: .secure))
    }

    /// A caller's bad record is a bug to report, needed or not.
    @Test(arguments: [
        (record("xmpp-server._tcp.example.com", srvType, nil), "is not an SRV owner"),
        (record("_xmpp-server.example.com", srvType, nil), "is not an SRV owner"),
        (record("_._tcp.example.com", srvType, nil), "is not an SRV owner"),
        (record("_xmpp-server._tcp.example.com", srvType, "5 0 5269"), "is not SRV data"),
        (record("_xmpp-server._tcp.example.com", srvType, "5 0 70000 host1.example.net."), "is not SRV data"),
        (record("_xmpp-server._tcp.example.com", srvType, "5 0 5269 -bad-.example."), "hyphen"),
        (record("host1.example.net", aType, "2001:db8::1"), "is not an IPv4 address"),
        (record("host1.example.net", aaaaType, "192.0.2.1"), "is not an IPv6 address"),
        (record("unrelated.example.org", aType, "192.0.2.300"), "is not an IPv4 or IPv6 address"),
        (record("bad_owner.example.org", txtType, "anything"), "character"),
        (record("alias.example.org", cnameType, "not a name"), "character"),
    ])
    func malformedRecordsAreRefused(_ bad: SuppliedRecord, _ expected: String) {
        let why = refusal(delegation + [bad])
        #expect(why != nil, "accepted \(bad)")
        #expect(why?.contains(expected) == true, "\(why ?? "accepted")")
    }

    @Test func recordsOfOtherTypesAreCheckedOnlyForTheirOwner() throws {
        let list = try nameList(delegation + [record("example.com", txtType, "v=spf1 -all")])
        #expect(list.status == .secure)
    }
}
