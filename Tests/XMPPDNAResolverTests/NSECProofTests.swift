import Testing
@testable import XMPPDNAResolver

private func nsec(_ owner: String, _ next: String, _ types: String) -> String {
    "\(owner). 3600 IN NSEC \(next). \(types)"
}

private func isProven(_ outcome: NSECProof.NoData) -> Bool {
    if case .proven = outcome { return true }
    return false
}

private func wildcardEncloser(_ outcome: NSECProof.NoData) -> String? {
    if case .provenByWildcard(let encloser) = outcome { return encloser.text }
    return nil
}

private func isBogus(_ outcome: NSECProof.NoDS) -> Bool {
    if case .bogus = outcome { return true }
    return false
}

/// RFC 4035 sections 3.1.3 and 5.4 and RFC 4592 with NSEC: one record at a
/// time, as the validator asks, on the names of RFC 4035 Appendix A
/// (example with the delegations a.example, signed, and b.example,
/// unsigned, and the wildcard *.w.example).
@Suite struct NSECProofTests {
    // MARK: - The record

    @Test func readsOwnerNextNameAndBitmap() throws {
        try withNSEC(nsec("ai.Example", "b.example", "A HINFO AAAA RRSIG NSEC")) { record in
            #expect(record.owner.text == "ai.example")
            #expect(record.next.text == "b.example")
            #expect(record.has(DNSType.a) && record.has(DNSType.aaaa) && record.has(13))
            #expect(!record.has(DNSType.ns) && !record.has(DNSType.cname) && !record.has(DNSType.ds))
            #expect(!record.isDelegation)
        }
    }

    @Test func onlyNSECRecordsAreRead() throws {
        let list = try records(["example. 3600 IN NSEC3 1 0 0 - 0p9mhaveqvm6t7vbl5lop2u3t2rp3tom A",
                                "example. 3600 IN A 192.0.2.1"])
        withExtendedLifetime(list) {
            #expect(NSECProof.Record(list[0]) == nil)
            #expect(NSECProof.Record(list[1]) == nil)
        }
    }

    @Test func aDelegationIsNSWithoutSOA() throws {
        try withNSEC(nsec("b.example", "ns1.example", "NS RRSIG NSEC")) { #expect($0.isDelegation) }
        try withNSEC(nsec("a.example", "ai.example", "NS DS RRSIG NSEC")) { #expect($0.isDelegation) }
        try withNSEC(nsec("example", "a.example", "NS SOA MX RRSIG NSEC DNSKEY")) { #expect(!$0.isDelegation) }
    }

    // MARK: - Name error

    /// RFC 4035 Appendix B.2: ml.example lies between b.example and ns1.example.
    @Test func coversStrictlyBetweenOwnerAndNext() throws {
        try withNSEC(nsec("b.example", "ns1.example", "NS RRSIG NSEC")) { record in
            #expect(NSECProof.provesNameError(record, n("ml.example")))
            #expect(NSECProof.provesNameError(record, n("MX.Example")))
            #expect(!NSECProof.provesNameError(record, n("b.example")), "the owner exists")
            #expect(!NSECProof.provesNameError(record, n("ns1.example")), "the next name exists")
            #expect(!NSECProof.provesNameError(record, n("a.example")), "before the span")
            #expect(!NSECProof.provesNameError(record, n("xx.example")), "after the span")
            #expect(!NSECProof.provesNameError(record, n("example")))
        }
    }

    /// Canonical order (RFC 4034 section 6.1) sorts a name's children right
    /// after it: x.ai.example lies between ai.example and b.example.
    @Test func coversNamesBelowAnOrdinaryOwner() throws {
        try withNSEC(nsec("ai.example", "b.example", "A HINFO AAAA RRSIG NSEC")) { record in
            #expect(NSECProof.provesNameError(record, n("x.ai.example")))
            #expect(NSECProof.provesNameError(record, n("a.b.c.ai.example")))
        }
    }

    @Test func aDelegationOrDNAMEProvesNothingBelowIt() throws {
        // Below a zone cut the parent's NSEC speaks for no name: the child zone does.
        try withNSEC(nsec("b.example", "ns1.example", "NS RRSIG NSEC")) { record in
            #expect(!NSECProof.provesNameError(record, n("x.b.example")))
            #expect(NSECProof.provesNameError(record, n("ba.example")), "a sibling is still covered")
        }
        try withNSEC(nsec("a.example", "ai.example", "NS DS RRSIG NSEC")) { record in
            #expect(!NSECProof.provesNameError(record, n("x.a.example")))
        }
        try withNSEC(nsec("ai.example", "b.example", "DNAME RRSIG NSEC")) { record in
            #expect(!NSECProof.provesNameError(record, n("x.ai.example")))
        }
        // The apex has NS and SOA: it is no cut, and covers names below it.
        try withNSEC(nsec("example", "a.example", "NS SOA MX RRSIG NSEC DNSKEY")) { record in
            #expect(NSECProof.provesNameError(record, n("0.example")))
        }
    }

    /// The last NSEC points back to the apex; it covers only what sorts
    /// after it inside the zone, never names of other zones.
    @Test func theLastNSECCoversOnlyItsZone() throws {
        try withNSEC(nsec("xx.example", "example", "A HINFO AAAA RRSIG NSEC")) { record in
            #expect(NSECProof.provesNameError(record, n("z.example")))
            #expect(NSECProof.provesNameError(record, n("a.xx.example")))
            #expect(!NSECProof.provesNameError(record, n("a.example")), "before the owner")
            #expect(!NSECProof.provesNameError(record, n("zz")), "after the owner, but not in the zone")
            #expect(!NSECProof.provesNameError(record, n("example.org")))
            #expect(!NSECProof.provesNameError(record, n("example")))
        }
    }

    @Test func theOnlyNSECOfAZoneCoversEverythingBelowTheApex() throws {
        try withNSEC(nsec("example", "example", "NS SOA RRSIG NSEC DNSKEY")) { record in
            #expect(NSECProof.provesNameError(record, n("a.example")))
            #expect(NSECProof.provesNameError(record, n("a.b.example")))
            #expect(!NSECProof.provesNameError(record, n("example")))
            #expect(!NSECProof.provesNameError(record, n("org")))
            #expect(!NSECProof.provesNameError(record, n("a.example.org")))
        }
    }

    // MARK: - Closest encloser and wildcards

    @Test func theClosestEncloserIsTheDeepestAncestorSharedWithOwnerOrNext() throws {
        try withNSEC(nsec("b.example", "ns1.example", "NS RRSIG NSEC")) { record in
            #expect(NSECProof.closestEncloser(of: n("ml.example"), from: record).text == "example")
        }
        // a.c.x.w.example between x.w.example and x.y.w.example: x.w.example by the owner.
        try withNSEC(nsec("x.w.example", "x.y.w.example", "MX RRSIG NSEC")) { record in
            #expect(NSECProof.closestEncloser(of: n("a.c.x.w.example"), from: record).text == "x.w.example")
        }
        // q.y.w.example between x.w.example and x.y.w.example: y.w.example by the next name.
        try withNSEC(nsec("x.w.example", "x.y.w.example", "MX RRSIG NSEC")) { record in
            #expect(NSECProof.closestEncloser(of: n("q.y.w.example"), from: record).text == "y.w.example")
        }
    }

    /// RFC 4035 Appendix B.2: the apex NSEC (example to a.example) denies *.example.
    @Test func noWildcardAtTheClosestEncloser() throws {
        try withNSEC(nsec("example", "a.example", "NS SOA MX RRSIG NSEC DNSKEY")) { record in
            #expect(NSECProof.provesNoWildcard(record, n("ml.example")))
        }
        // b.example to ns1.example: the wildcard *.example sorts before b.example.
        try withNSEC(nsec("b.example", "ns1.example", "NS RRSIG NSEC")) { record in
            #expect(!NSECProof.provesNoWildcard(record, n("ml.example")))
        }
        // x.ai.example: closest encloser ai.example, and *.ai.example lies in ai.example to b.example.
        try withNSEC(nsec("ai.example", "b.example", "A HINFO AAAA RRSIG NSEC")) { record in
            #expect(NSECProof.provesNoWildcard(record, n("x.ai.example")))
        }
    }

    @Test func aNameThatIsItsOwnClosestEncloserHasNoWildcardToDeny() throws {
        try withNSEC(nsec("example", "a.example", "NS SOA MX RRSIG NSEC DNSKEY")) { record in
            #expect(!NSECProof.provesNoWildcard(record, n("example")))
        }
    }

    /// RFC 4035 Appendix B.6: a.z.w.example from *.w.example; the NSEC
    /// x.y.w.example to xx.example shows z.w.example absent, and its closest encloser w.example.
    @Test func wildcardExpansionNeedsTheNameAbsentAndTheRightEncloser() throws {
        try withNSEC(nsec("x.y.w.example", "xx.example", "MX RRSIG NSEC")) { record in
            #expect(NSECProof.provesWildcardExpansion(record, n("a.z.w.example"), encloser: n("w.example")))
            #expect(!NSECProof.provesWildcardExpansion(record, n("a.z.w.example"), encloser: n("example")),
                    "an answer from *.example would skip the existing w.example")
            #expect(!NSECProof.provesWildcardExpansion(record, n("x.y.w.example"), encloser: n("w.example")),
                    "the name exists")
        }
        // An NSEC that does not cover the name proves no expansion.
        try withNSEC(nsec("b.example", "ns1.example", "NS RRSIG NSEC")) { record in
            #expect(!NSECProof.provesWildcardExpansion(record, n("a.z.w.example"), encloser: n("w.example")))
        }
    }

    // MARK: - Insecure delegation

    @Test func anUnsignedDelegationAtOrAboveTheName() throws {
        try withNSEC(nsec("b.example", "ns1.example", "NS RRSIG NSEC")) { record in
            #expect(NSECProof.provesInsecureDelegation(record, n("b.example"), type: DNSType.a))
            #expect(NSECProof.provesInsecureDelegation(record, n("host.b.example"), type: DNSType.a))
            #expect(NSECProof.provesInsecureDelegation(record, n("host.b.example"), type: DNSType.ds))
            #expect(!NSECProof.provesInsecureDelegation(record, n("b.example"), type: DNSType.ds),
                    "the DS of b.example itself is the parent's: a NODATA, not a cut above")
            #expect(!NSECProof.provesInsecureDelegation(record, n("ba.example"), type: DNSType.a), "not below the cut")
        }
    }

    @Test func aSignedDelegationOrAnApexIsNoInsecureDelegation() throws {
        try withNSEC(nsec("a.example", "ai.example", "NS DS RRSIG NSEC")) { record in
            #expect(!NSECProof.provesInsecureDelegation(record, n("host.a.example"), type: DNSType.a))
        }
        try withNSEC(nsec("example", "a.example", "NS SOA MX RRSIG NSEC DNSKEY")) { record in
            #expect(!NSECProof.provesInsecureDelegation(record, n("host.example"), type: DNSType.a))
        }
        try withNSEC(nsec("ai.example", "b.example", "A RRSIG NSEC")) { record in
            #expect(!NSECProof.provesInsecureDelegation(record, n("ai.example"), type: DNSType.a))
        }
    }

    // MARK: - No data

    /// RFC 4035 Appendix B.3: ns1.example has an A record, no MX.
    @Test func noDataAtTheName() throws {
        try withNSEC(nsec("ns1.example", "ns2.example", "A RRSIG NSEC")) { record in
            #expect(isProven(NSECProof.provesNoData(record, n("ns1.example"), type: 15)))
            #expect(isProven(NSECProof.provesNoData(record, n("NS1.example"), type: DNSType.aaaa)))
            #expect(!isProven(NSECProof.provesNoData(record, n("ns1.example"), type: DNSType.a)), "the type is listed")
            #expect(!isProven(NSECProof.provesNoData(record, n("ns2.example"), type: 15)), "another name")
        }
        try withNSEC(nsec("ns1.example", "ns2.example", "CNAME RRSIG NSEC")) { record in
            #expect(!isProven(NSECProof.provesNoData(record, n("ns1.example"), type: 15)), "a CNAME answers every type")
        }
    }

    @Test func aDelegationProvesNoDataOnlyForDS() throws {
        try withNSEC(nsec("b.example", "ns1.example", "NS RRSIG NSEC")) { record in
            #expect(!isProven(NSECProof.provesNoData(record, n("b.example"), type: DNSType.a)), "a referral, not NODATA")
            #expect(isProven(NSECProof.provesNoData(record, n("b.example"), type: DNSType.ds)))
        }
        try withNSEC(nsec("a.example", "ai.example", "NS DS RRSIG NSEC")) { record in
            #expect(!isProven(NSECProof.provesNoData(record, n("a.example"), type: DNSType.ds)), "DS is listed")
        }
    }

    /// A child zone's apex NSEC (SOA) answers for the child, never for the
    /// parent's DS; the root has no parent.
    @Test func theChildsApexNSECDeniesNoDS() throws {
        try withNSEC(nsec("a.example", "ns1.a.example", "NS SOA RRSIG NSEC DNSKEY")) { record in
            #expect(!isProven(NSECProof.provesNoData(record, n("a.example"), type: DNSType.ds)))
            #expect(isProven(NSECProof.provesNoData(record, n("a.example"), type: DNSType.a)))
        }
        try withNSEC(". 3600 IN NSEC aaa. NS SOA RRSIG NSEC DNSKEY") { record in
            #expect(isProven(NSECProof.provesNoData(record, n("."), type: DNSType.ds)))
        }
    }

    /// y.w.example, an empty non-terminal of RFC 4035 Appendix A: the NSEC
    /// x.w.example to x.y.w.example shows it has children and no data.
    @Test func noDataAtAnEmptyNonTerminal() throws {
        try withNSEC(nsec("x.w.example", "x.y.w.example", "MX RRSIG NSEC")) { record in
            #expect(isProven(NSECProof.provesNoData(record, n("y.w.example"), type: DNSType.a)))
            #expect(!isProven(NSECProof.provesNoData(record, n("z.w.example"), type: DNSType.a)), "no child of z.w.example follows")
        }
        // The next name below, but the owner after the name: not this name's span.
        try withNSEC(nsec("z.example", "a.y.example", "A RRSIG NSEC")) { record in
            #expect(!isProven(NSECProof.provesNoData(record, n("y.example"), type: DNSType.a)))
        }
    }

    /// RFC 4035 Appendix B.7: a.z.w.example AAAA from *.w.example, which has only MX.
    @Test func wildcardNoDataNeedsTheWildcardsEncloserConfirmed() throws {
        try withNSEC(nsec("*.w.example", "x.w.example", "MX RRSIG NSEC")) { record in
            #expect(wildcardEncloser(NSECProof.provesNoData(record, n("a.z.w.example"), type: DNSType.aaaa)) == "w.example")
            #expect(wildcardEncloser(NSECProof.provesNoData(record, n("a.z.w.example"), type: 15)) == nil, "MX is listed")
            #expect(wildcardEncloser(NSECProof.provesNoData(record, n("a.example"), type: DNSType.aaaa)) == nil,
                    "not below the wildcard's encloser")
        }
        for types in ["CNAME RRSIG NSEC", "NS RRSIG NSEC"] {
            try withNSEC(nsec("*.w.example", "x.w.example", types)) { record in
                #expect(wildcardEncloser(NSECProof.provesNoData(record, n("a.z.w.example"), type: DNSType.aaaa)) == nil, "\(types)")
            }
        }
    }

    // MARK: - No DS

    @Test func noDSAtTheName() throws {
        try withNSEC(nsec("b.example", "ns1.example", "NS RRSIG NSEC")) { record in
            guard case .insecureDelegation = NSECProof.provesNoDS(record, n("b.example")) else {
                Issue.record("b.example is an unsigned delegation")
                return
            }
        }
        try withNSEC(nsec("ai.example", "b.example", "A HINFO AAAA RRSIG NSEC")) { record in
            guard case .notACut = NSECProof.provesNoDS(record, n("ai.example")) else {
                Issue.record("ai.example is no zone cut")
                return
            }
        }
        try withNSEC(nsec("a.example", "ai.example", "NS DS RRSIG NSEC")) { record in
            #expect(isBogus(NSECProof.provesNoDS(record, n("a.example"))), "DS is listed")
        }
        try withNSEC(nsec("a.example", "ns1.a.example", "NS SOA RRSIG NSEC DNSKEY")) { record in
            #expect(isBogus(NSECProof.provesNoDS(record, n("a.example"))), "the child's own NSEC")
        }
    }
}
