import CLDNS
import Testing
@testable import XMPPDNAResolver

private func isBogus(_ status: NSEC3Proof.Status) -> Bool {
    if case .bogus = status { return true }
    return false
}

private func isBogus(_ answer: NSEC3Proof.NoDS) -> Bool {
    if case .bogus = answer { return true }
    return false
}

/// The raw bytes of a base32hex hash as written in an NSEC3 owner.
private func base32hex(_ text: String) throws -> [UInt8] {
    var raw = [UInt8](repeating: 0, count: 64)
    let count = ldns_b32_pton_extended_hex(text, text.utf8.count, &raw, raw.count)
    try #require(count > 0)
    return Array(raw[0..<Int(count)])
}

/// RFC 5155 sections 7.2 and 8 on the zone of its Appendix A, with the
/// records a server puts in each denial of Appendix B, and each way a
/// denial must fail when one of them is missing, foreign or says too much.
@Suite struct NSEC3ProofTests {
    // MARK: - The record set

    @Test func ldnsHashesTheNamesAsRFC5155AppendixAPublishes() throws {
        let published = [
            "example": "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom", "a.example": "35mthgpgcu1qg68fab165klnsnk3dpvl",
            "ai.example": "gjeqe526plbf1g8mklp59enfd789njgi", "ns1.example": "2t7b4g4vsa5smi47k61mv5bv1a22bojr",
            "ns2.example": "q04jkcevqvmu85r014c7dkba38o0ji5r", "w.example": "k8udemvp1j2f7eg6jebps17vp3n8i58h",
            "*.w.example": "r53bq7cc2uvmubfu5ocmm6pers9tk9en", "x.w.example": "b4um86eghhds6nea196smvmlo4ors995",
            "y.w.example": "ji6neoaepv8b5o6k4ev33abha8ht9fgc", "x.y.w.example": "2vptu5timamqttgl4luu9kg21e0aor3s",
            "xx.example": "t644ebqk9bibcna874givr6joj62mlhv",
        ]
        for (owner, hash) in published { #expect(try NSEC3Chain.hash(owner) == hash, "H(\(owner))") }
    }

    @Test func theProofHashesWithTheZonesSaltAndIterations() throws {
        let chain = try rfc5155Chain()
        let published = try base32hex("2vptu5timamqttgl4luu9kg21e0aor3s")
        try chain.withProof([chain.text(0)]) { proof in
            #expect(proof.iterations == 12)
            #expect(proof.hash(n("x.y.w.example")) == published)
            #expect(proof.hash(n("X.Y.W.Example")) == proof.hash(n("x.y.w.example")))
        }
        // The same owner names hashed without the salt are other hashes.
        let unsalted = try NSEC3Chain(zone: "example", saltHex: "-", iterations: 0, names: [("example", "SOA")])
        try unsalted.withProof([unsalted.text(0)]) { proof in
            #expect(proof.hash(n("x.y.w.example")) != published)
        }
    }

    @Test func theWholeChainIsUsable() throws {
        let chain = try rfc5155Chain()
        try chain.withProof(chain.links.indices.map { chain.text($0) }) { proof in
            #expect(proof.records.count == 11)
            #expect(proof.zone.text == "example")
            for link in chain.links { #expect(proof.matching(n(link.name)) != nil, "\(link.name)") }
        }
    }

    @Test func recordsOfAnotherZoneAreNotUsed() throws {
        let chain = try rfc5155Chain()
        // The right hashes and parameters, owned under another zone or below this one.
        #expect(try chain.refusal([chain.text(0, zone: "other")])?.contains("no NSEC3 record of example is usable") == true)
        #expect(try chain.refusal([chain.text(0, zone: "a.example")]) != nil)
        #expect(try chain.refusal([chain.text(0, zone: "org")], zone: "example") != nil)
        // The same record owned inside the zone is used.
        #expect(try chain.refusal([chain.text(0)]) == nil)
    }

    @Test func unknownHashAlgorithmsAndFlagsAreNotUsed() throws {
        let chain = try rfc5155Chain()
        #expect(try chain.refusal([chain.text(0, algorithm: 2)]) != nil)
        #expect(try chain.refusal([chain.text(0, flags: 2)]) != nil)
        #expect(try chain.refusal([chain.text(0, flags: 0x81)]) != nil)
        #expect(try chain.refusal([chain.text(0, flags: 1)]) == nil, "opt-out is a known flag")
        // An unusable record beside usable ones is left out, not fatal.
        try chain.withProof([chain.text(0, algorithm: 2), chain.text(1)]) { proof in #expect(proof.records.count == 1) }
    }

    @Test func anOwnerThatIsNotAHashIsNotUsed() throws {
        let chain = try rfc5155Chain()
        let next = chain.links[1].hash
        // "w", "x", "y", "z" are outside the base32hex alphabet.
        let notAHash = "wxyzwxyzwxyzwxyzwxyzwxyzwxyzwxyz.example. 3600 IN NSEC3 1 0 12 aabbccdd \(next) A"
        #expect(try chain.refusal([notAHash]) != nil)
        // A next hash of another length than the owner's.
        let shortNext = "\(chain.links[0].hash).example. 3600 IN NSEC3 1 0 12 aabbccdd 0p9mhave A"
        #expect(try chain.refusal([shortNext]) != nil)
        try chain.withProof([notAHash, shortNext, chain.text(0)]) { proof in #expect(proof.records.count == 1) }
    }

    @Test func mixedParameterSetsProveNothing() throws {
        let chain = try rfc5155Chain()
        let otherSalt = try NSEC3Chain(zone: "example", saltHex: "aabbccde", names: [("example", "SOA")])
        let otherIterations = try NSEC3Chain(zone: "example", iterations: 11, names: [("example", "SOA")])
        for other in [otherSalt.text(0), otherIterations.text(0)] {
            #expect(try chain.refusal([chain.text(0), other])?.contains("mix parameter sets") == true)
        }
    }

    // MARK: - Matching and covering

    @Test func coversStrictlyBetweenOwnerAndNextHash() throws {
        let chain = try rfc5155Chain()
        // The span of ns1.example (2t7b...) runs to x.y.w.example (2vpt...).
        let index = try #require(chain.links.firstIndex { $0.name == "ns1.example" })
        #expect(chain.links[index + 1].name == "x.y.w.example")
        let inside = try #require(try nameHashing(in: chain, after: chain.links[index].hash, before: chain.links[index + 1].hash))
        try chain.withProof([chain.text(index)]) { proof in
            #expect(proof.covering(n(inside)) != nil)
            #expect(proof.covering(n("ns1.example")) == nil, "the owner is matched, not covered")
            #expect(proof.covering(n("x.y.w.example")) == nil, "the next hash is not covered")
            #expect(proof.matching(n("ns1.example")) != nil)
            #expect(proof.matching(n(inside)) == nil)
            #expect(proof.covering(n("xx.example")) == nil, "outside the span")
        }
    }

    @Test func theLastRecordOfTheChainWrapsToTheFirst() throws {
        let chain = try rfc5155Chain()
        let last = chain.links.count - 1
        #expect(chain.links[last].name == "xx.example" && chain.links[0].name == "example")
        let above = try #require(try nameHashing(in: chain, after: chain.links[last].hash, before: nil))
        let below = try #require(try nameHashing(in: chain, after: nil, before: chain.links[0].hash))
        try chain.withProof([chain.text(last)]) { proof in
            #expect(proof.covering(n(above)) != nil)
            #expect(proof.covering(n(below)) != nil)
            #expect(proof.covering(n("example")) == nil)
            #expect(proof.covering(n("ns1.example")) == nil, "the middle of the chain is not the last span's")
        }
    }

    @Test func theOnlyRecordOfAChainCoversEverythingButItsOwner() throws {
        let chain = try NSEC3Chain(zone: "example", names: [("example", "NS SOA")])
        #expect(chain.text(0).contains(" \(chain.links[0].hash) NS SOA"), "its next hash is its own")
        try chain.withProof([chain.text(0)]) { proof in
            #expect(proof.covering(n("a.example")) != nil)
            #expect(proof.covering(n("b.c.example")) != nil)
            #expect(proof.covering(n("example")) == nil)
            #expect(proof.matching(n("example")) != nil)
        }
    }

    // MARK: - Closest encloser and name error (RFC 5155 sections 8.3 and 8.4)

    /// Appendix B.1: a.c.x.w.example does not exist; x.w.example is its closest encloser.
    @Test func nameErrorOfAppendixB1() throws {
        let chain = try rfc5155Chain()
        let lines = [try chain.matching("x.w.example"), try chain.covering("c.x.w.example"), try chain.covering("*.x.w.example")]
        try chain.withProof(lines) { proof in
            let (status, encloser) = proof.closestEncloser(of: try dname("a.c.x.w.example"))
            #expect(status == .secure)
            #expect(encloser?.name.text == "x.w.example")
            #expect(encloser?.nextCloser.text == "c.x.w.example")
            #expect(proof.provesNameError(n("a.c.x.w.example")) == .secure)
        }
    }

    @Test func anOptOutSpanOverTheNextCloserNameMakesTheNameErrorInsecure() throws {
        let chain = try rfc5155Chain()
        let lines = [try chain.matching("x.w.example"), try chain.covering("c.x.w.example", optOut: true),
                     try chain.covering("*.x.w.example")]
        #expect(try chain.coveringIndex("c.x.w.example") != chain.coveringIndex("*.x.w.example"))
        try chain.withProof(lines) { proof in
            #expect(proof.provesNameError(n("a.c.x.w.example")) == .insecure)
        }
    }

    @Test func withoutAMatchingClosestEncloserThereIsNoProof() throws {
        let chain = try rfc5155Chain()
        // Every covering record, not the one matching x.w.example.
        let lines = [try chain.covering("c.x.w.example", optOut: true), try chain.covering("*.x.w.example")]
        try chain.withProof(lines) { proof in
            let (status, encloser) = proof.closestEncloser(of: try dname("a.c.x.w.example"))
            #expect(isBogus(status))
            #expect(encloser == nil)
            #expect(isBogus(proof.provesNameError(n("a.c.x.w.example"))))
        }
    }

    /// The closest encloser is found, but the record offered for the next
    /// closer name covers another name: c.x.w.example might exist.
    @Test func aCoverOfAnotherNameIsNoNextCloserProof() throws {
        let chain = try rfc5155Chain()
        let nextCloser = try chain.coveringIndex("c.x.w.example")
        let wildcard = try chain.coveringIndex("*.x.w.example")
        let encloser = try #require(chain.links.firstIndex { $0.name == "x.w.example" })
        try #require(nextCloser != wildcard && nextCloser != encloser)
        let others = chain.links.indices.filter { ![nextCloser, wildcard, encloser].contains($0) }
        try #require(!others.isEmpty)
        let lines = [chain.text(encloser), chain.text(wildcard)] + others.map { chain.text($0) }
        try chain.withProof(lines) { proof in
            let (status, _) = proof.closestEncloser(of: try dname("a.c.x.w.example"))
            #expect(isBogus(status))
            #expect(isBogus(proof.provesNameError(n("a.c.x.w.example"))))
        }
        try chain.withProof(lines + [chain.text(nextCloser)]) { proof in
            #expect(proof.provesNameError(n("a.c.x.w.example")) == .secure, "the control: with the cover it holds")
        }
    }

    @Test func aCoverOwnedByAnotherZoneProvesNothingHere() throws {
        let chain = try rfc5155Chain()
        let cover = try chain.coveringIndex("c.x.w.example")
        // The right span and parameters, owned under another zone: as if another zone's chain were replayed.
        let foreign = chain.text(cover, zone: "other")
        let lines = [try chain.matching("x.w.example"), try chain.covering("*.x.w.example")]
        try #require(try chain.coveringIndex("*.x.w.example") != cover)
        try #require(chain.links[cover].name != "x.w.example")
        try chain.withProof(lines + [foreign]) { proof in
            #expect(isBogus(proof.provesNameError(n("a.c.x.w.example"))))
        }
    }

    @Test func theWildcardAtTheClosestEncloserMustBeDenied() throws {
        let chain = try rfc5155Chain()
        try #require(try chain.coveringIndex("c.x.w.example") != chain.coveringIndex("*.x.w.example"))
        try #require(chain.links[try chain.coveringIndex("*.x.w.example")].name != "x.w.example")
        try chain.withProof([try chain.matching("x.w.example"), try chain.covering("c.x.w.example")]) { proof in
            #expect(proof.closestEncloser(of: n("a.c.x.w.example")).0 == .secure)
            #expect(isBogus(proof.provesNameError(n("a.c.x.w.example"))))
        }
    }

    /// *.w.example exists, so q.w.example is a wildcard answer, never NXDOMAIN.
    @Test func aWildcardThatExistsCannotBeDenied() throws {
        let chain = try rfc5155Chain()
        let lines = [try chain.matching("w.example"), try chain.covering("q.w.example"), try chain.matching("*.w.example")]
        try chain.withProof(lines) { proof in
            #expect(proof.closestEncloser(of: n("q.w.example")).0 == .secure)
            #expect(isBogus(proof.provesNameError(n("q.w.example"))))
        }
    }

    @Test func aMatchingRecordProvesTheNameExists() throws {
        let chain = try rfc5155Chain()
        try chain.withProof([try chain.matching("xx.example"), try chain.matching("example")]) { proof in
            #expect(isBogus(proof.closestEncloser(of: n("xx.example")).0))
            #expect(isBogus(proof.provesNameError(n("xx.example"))))
        }
    }

    @Test func aClosestEncloserThatIsAnUnsignedDelegationMakesTheAnswerInsecure() throws {
        let chain = try rfc5155Chain()
        let below = "q.a.example"
        try chain.withProof([try chain.matching("a.example", types: "NS RRSIG"), try chain.covering(below)]) { proof in
            #expect(proof.closestEncloser(of: n(below)).0 == .insecure)
            #expect(proof.provesNameError(n(below)) == .insecure)
        }
    }

    /// a.example is a signed delegation (NS and DS): names below it are the
    /// child zone's to deny, never the parent's.
    @Test func aClosestEncloserThatIsASignedDelegationIsBogus() throws {
        let chain = try rfc5155Chain()
        let below = "q.a.example"
        let lines = [try chain.matching("a.example"), try chain.covering(below), try chain.covering("*.a.example")]
        try chain.withProof(lines) { proof in
            #expect(isBogus(proof.closestEncloser(of: n(below)).0))
            #expect(isBogus(proof.provesNameError(n(below))))
        }
    }

    @Test func aClosestEncloserThatIsADNAMEIsBogus() throws {
        let chain = try rfc5155Chain()
        let lines = [try chain.matching("ai.example", types: "DNAME RRSIG"), try chain.covering("q.ai.example"),
                     try chain.covering("*.ai.example")]
        try chain.withProof(lines) { proof in
            #expect(isBogus(proof.closestEncloser(of: n("q.ai.example")).0))
            #expect(isBogus(proof.provesNameError(n("q.ai.example"))))
        }
        let plain = [try chain.matching("ai.example"), try chain.covering("q.ai.example"), try chain.covering("*.ai.example")]
        try chain.withProof(plain) { proof in
            #expect(proof.provesNameError(n("q.ai.example")) == .secure, "the control: without DNAME it holds")
        }
    }

    @Test func aNameOutsideTheZoneHasNoClosestEncloserInIt() throws {
        let chain = try rfc5155Chain()
        try chain.withProof(chain.links.indices.map { chain.text($0) }) { proof in
            #expect(isBogus(proof.closestEncloser(of: n("a.example.org")).0))
            #expect(isBogus(proof.provesNameError(n("org"))))
        }
    }

    // MARK: - No data (RFC 5155 sections 8.5 and 8.7)

    /// Appendix B.2: ns1.example has an A record, no MX.
    @Test func noDataOfAppendixB2() throws {
        let chain = try rfc5155Chain()
        try chain.withProof([try chain.matching("ns1.example")]) { proof in
            #expect(proof.provesNoData(n("ns1.example"), type: DNSType.srv) == .secure)
            #expect(proof.provesNoData(n("ns1.example"), type: 15) == .secure)
        }
    }

    @Test func aMatchingRecordListingTheTypeOrACNAMEIsBogus() throws {
        let chain = try rfc5155Chain()
        try chain.withProof([try chain.matching("ns1.example")]) { proof in
            #expect(isBogus(proof.provesNoData(n("ns1.example"), type: DNSType.a)))
        }
        try chain.withProof([try chain.matching("ns1.example", types: "CNAME RRSIG")]) { proof in
            #expect(isBogus(proof.provesNoData(n("ns1.example"), type: DNSType.aaaa)))
        }
    }

    /// Appendix B.2.1: y.w.example is an empty non-terminal.
    @Test func noDataAtAnEmptyNonTerminal() throws {
        let chain = try rfc5155Chain()
        try chain.withProof([try chain.matching("y.w.example")]) { proof in
            #expect(proof.provesNoData(n("y.w.example"), type: DNSType.a) == .secure)
        }
    }

    @Test func aMatchingDelegationIsInsecureWithoutDSAndBogusWithIt() throws {
        let chain = try rfc5155Chain()
        try chain.withProof([try chain.matching("a.example", types: "NS RRSIG")]) { proof in
            #expect(proof.provesNoData(n("a.example"), type: DNSType.a) == .insecure)
        }
        try chain.withProof([try chain.matching("a.example")]) { proof in
            #expect(isBogus(proof.provesNoData(n("a.example"), type: DNSType.a)))
        }
    }

    /// Appendix B.5: a.z.w.example would come from *.w.example, which has no AAAA.
    @Test func wildcardNoDataOfAppendixB5() throws {
        let chain = try rfc5155Chain()
        let lines = [try chain.matching("w.example"), try chain.covering("z.w.example"), try chain.matching("*.w.example")]
        try chain.withProof(lines) { proof in
            #expect(proof.provesNoData(n("a.z.w.example"), type: DNSType.aaaa) == .secure)
            #expect(isBogus(proof.provesNoData(n("a.z.w.example"), type: 15)), "the wildcard has MX")
        }
    }

    @Test func aWildcardWithACNAMEOrADelegationProvesNoNoData() throws {
        let chain = try rfc5155Chain()
        for types in ["CNAME RRSIG", "NS RRSIG"] {
            let lines = [try chain.matching("w.example"), try chain.covering("z.w.example"),
                         try chain.matching("*.w.example", types: types)]
            try chain.withProof(lines) { proof in
                #expect(isBogus(proof.provesNoData(n("a.z.w.example"), type: DNSType.aaaa)), "\(types)")
            }
        }
    }

    @Test func withoutTheWildcardOnlyAnOptOutSpanLeavesAnInsecureAnswer() throws {
        let chain = try rfc5155Chain()
        // c.example: the unsigned delegation the appendix opts out of the chain.
        try #require(chain.links[try chain.coveringIndex("c.example")].name != "example")
        try #require(try chain.coveringIndex("c.example") != chain.coveringIndex("*.example"))
        try chain.withProof([try chain.matching("example"), try chain.covering("c.example")]) { proof in
            #expect(isBogus(proof.provesNoData(n("c.example"), type: DNSType.a)))
        }
        try chain.withProof([try chain.matching("example"), try chain.covering("c.example", optOut: true)]) { proof in
            #expect(proof.provesNoData(n("c.example"), type: DNSType.a) == .insecure)
        }
    }

    /// Opt-out counts only after a closest-encloser proof: an opt-out span
    /// alone says nothing about a name whose encloser is not shown to exist.
    @Test func optOutWithoutAClosestEncloserProvesNothing() throws {
        let chain = try rfc5155Chain()
        // Neither record is an ancestor's (example's or c.example's own).
        for covered in ["mc.c.example", "c.example"] {
            try #require(chain.links[try chain.coveringIndex(covered)].name != "example")
        }
        let optOutCovers = [try chain.covering("mc.c.example", optOut: true), try chain.covering("c.example", optOut: true)]
        try chain.withProof(optOutCovers) { proof in
            #expect(isBogus(proof.provesNoData(n("mc.c.example"), type: DNSType.a)))
            #expect(isBogus(proof.provesNameError(n("mc.c.example"))))
            #expect(isBogus(proof.provesNoDS(n("c.example"))))
        }
    }

    // MARK: - No DS (RFC 5155 section 8.6)

    @Test func aMatchingDelegationWithoutDSIsAnInsecureDelegation() throws {
        let chain = try rfc5155Chain()
        try chain.withProof([try chain.matching("a.example", types: "NS RRSIG")]) { proof in
            #expect(proof.provesNoDS(n("a.example")) == .insecureDelegation)
        }
    }

    @Test func aMatchingRecordWithoutNSIsNotACut() throws {
        let chain = try rfc5155Chain()
        try chain.withProof([try chain.matching("ai.example")]) { proof in
            #expect(proof.provesNoDS(n("ai.example")) == .notACut)
        }
    }

    @Test func aMatchingRecordListingDSOrSOADeniesNoDS() throws {
        let chain = try rfc5155Chain()
        try chain.withProof([try chain.matching("a.example")]) { proof in
            #expect(isBogus(proof.provesNoDS(n("a.example"))), "a.example lists DS")
        }
        // The child's apex record (SOA): the parent must answer a DS question.
        try chain.withProof([try chain.matching("a.example", types: "NS SOA RRSIG DNSKEY")]) { proof in
            #expect(isBogus(proof.provesNoDS(n("a.example"))))
        }
    }

    /// Appendix B.3's delegation c.example: no NSEC3 matches it, the span
    /// over it is opt-out, so it may be an unsigned delegation.
    @Test func noDSUnderAnOptOutSpan() throws {
        let chain = try rfc5155Chain()
        try #require(chain.links[try chain.coveringIndex("c.example")].name != "example")
        try chain.withProof([try chain.matching("example"), try chain.covering("c.example", optOut: true)]) { proof in
            #expect(proof.provesNoDS(n("c.example")) == .optOut)
        }
        try chain.withProof([try chain.matching("example"), try chain.covering("c.example")]) { proof in
            #expect(isBogus(proof.provesNoDS(n("c.example"))), "without opt-out the span proves c.example absent")
        }
    }

    @Test func aDSBelowAnUnsignedDelegationIsNotTheParentsToDeny() throws {
        let chain = try rfc5155Chain()
        let lines = [try chain.matching("a.example", types: "NS RRSIG"), try chain.covering("b.a.example", optOut: true)]
        try chain.withProof(lines) { proof in
            #expect(isBogus(proof.provesNoDS(n("b.a.example"))))
        }
    }

    // MARK: - Wildcard expansion (RFC 5155 section 8.8)

    /// Appendix B.4: a.z.w.example answered from *.w.example; z.w.example must not exist.
    @Test func wildcardExpansionOfAppendixB4() throws {
        let chain = try rfc5155Chain()
        try chain.withProof([try chain.covering("z.w.example")]) { proof in
            #expect(proof.provesWildcardExpansion(n("a.z.w.example"), encloser: n("w.example")) == .secure)
        }
        try chain.withProof([try chain.covering("z.w.example", optOut: true)]) { proof in
            #expect(proof.provesWildcardExpansion(n("a.z.w.example"), encloser: n("w.example")) == .insecure)
        }
    }

    @Test func wildcardExpansionNeedsTheNextCloserNameCovered() throws {
        let chain = try rfc5155Chain()
        let nextCloser = try chain.coveringIndex("z.w.example")
        let others = chain.links.indices.filter { $0 != nextCloser }.map { chain.text($0) }
        try chain.withProof(others) { proof in
            #expect(isBogus(proof.provesWildcardExpansion(n("a.z.w.example"), encloser: n("w.example"))))
        }
    }

    /// A wildcard answer claimed from *.example for q.w.example: the next
    /// closer name w.example exists, so the wildcard cannot apply.
    @Test func aWildcardBelowAnExistingNameDoesNotApply() throws {
        let chain = try rfc5155Chain()
        try chain.withProof(chain.links.indices.map { chain.text($0) }) { proof in
            #expect(isBogus(proof.provesWildcardExpansion(n("q.w.example"), encloser: n("example"))))
            #expect(proof.provesWildcardExpansion(n("q.w.example"), encloser: n("w.example")) == .secure)
        }
    }
}

/// The first of "h0.<zone>", "h1.<zone>", ... whose hash lies strictly
/// between `after` and `before` (nil: unbounded), or nil in 10,000 tries.
private func nameHashing(in chain: NSEC3Chain, after: String?, before: String?) throws -> String? {
    for i in 0..<10_000 {
        let candidate = "h\(i).\(chain.zone)"
        let hash = try chain.hash(candidate)
        if let after, hash <= after { continue }
        if let before, hash >= before { continue }
        return candidate
    }
    return nil
}
