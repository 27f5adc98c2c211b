import Testing
@testable import XMPPDNACore

// `DNAVerifier.decide` over evidence built by hand, as the edge would hand
// it over: the rules of RFC 7712 (prooftypes in order, first acceptance
// wins), RFC 7673 (which TLSA records count, no PKIX fallback after a DANE
// rejection) and the README's "Which TLSA records count" and "Prooftypes by
// deployment" tables.

private func name(_ text: String) -> DNSName { try! DNSName(text) }
private let domain = name("example.com")
private let host1 = name("host1.example.net")
private let host2 = name("host2.example.net")
private let wellKnown = "https://example.com/.well-known/posh/xmpp-server.json"

private func dnsID(_ text: String) -> PresentedIdentifier { PresentedIdentifier(type: .dns, raw: Array(text.utf8)) }

private func chain(_ names: [String], _ status: ChainStatus = .valid) -> ChainEvidence {
    ChainEvidence(leafIdentifiers: names.map(dnsID), path: PathVerification(status: status, constraints: []))
}

private let eeKey = TLSARecord(usage: 3, selector: 1, matchingType: 1, data: Array(repeating: 0xAB, count: 32))
private let taKey = TLSARecord(usage: 2, selector: 1, matchingType: 1, data: Array(repeating: 0xCD, count: 32))
private let expiredSignature = BogusReason.signatureExpired("RRSIG over the TLSA RRset expired")

private func srvRecord(_ host: DNSName, _ port: UInt16) -> String {
    "SRV _xmpp-server._tcp.example.com 0 0 \(port) \(host.text)."
}

/// A candidate reached through an SRV record and an A record of the given statuses.
private func candidate(_ host: DNSName, _ port: UInt16 = 5269, srv: DNSSECStatus = .secure,
                       address: DNSSECStatus = .secure) -> ConnectionCandidate {
    ConnectionCandidate(host: host, port: port, directTLS: false, service: .xmppServer, priority: 0, weight: 0,
                        records: [RecordProvenance(record: srvRecord(host, port), status: srv),
                                  RecordProvenance(record: "A \(host.text) 192.0.2.1", status: address)],
                        addresses: [try! IPAddress("192.0.2.1")])
}

/// A name list as NameListBuilder makes it: a secure SRV RRset adds its
/// targets to L; an insecure one adds nothing but keeps the candidates.
private func srvNames(_ candidates: [ConnectionCandidate], status: DNSSECStatus) -> NameList {
    var acceptable = [AcceptableName(value: .dns(domain), status: nil, source: "the domain itself")]
    if status == .secure {
        for candidate in candidates {
            acceptable.append(AcceptableName(value: .dns(candidate.host), status: .secure,
                                             source: srvRecord(candidate.host, candidate.port)))
        }
    }
    return NameList(domain: domain, service: .xmppServer, kind: .srv, status: status,
                    acceptableNames: acceptable, candidates: candidates)
}

/// No SRV records, with a denial of the given status: the domain itself at 5269.
private func noSRVNames(_ status: DNSSECStatus) -> NameList {
    NameList(domain: domain, service: .xmppServer, kind: .noSRV, status: status,
             acceptableNames: [AcceptableName(value: .dns(domain), status: nil, source: "the domain itself")],
             candidates: [ConnectionCandidate(host: domain, port: 5269, directTLS: false, service: .xmppServer, priority: 0,
                                              weight: 0, records: [RecordProvenance(record: "no SRV at _xmpp-server._tcp.example.com",
                                                                                    status: status)],
                                              addresses: [])])
}

private func request(_ direction: PeerDirection = .outbound, endpoint: DNSName? = nil, port: UInt16 = 5269,
                     prooftypes: [Prooftype] = Prooftype.defaultOrder) -> DNARequest {
    var request = DNARequest(direction: direction, domain: domain, service: .xmppServer)
    if let endpoint { request.endpoint = (endpoint, port) }
    request.prooftypes = prooftypes
    return request
}

private func tlsa(_ records: [TLSARecord], _ status: DNSSECStatus = .secure, check: DANECheck?,
                  cnames: [CNAMELink] = []) -> TLSAEvidence {
    TLSAEvidence(answer: DNSAnswer(records.isEmpty ? .noData : .records(records), status: status, cnames: cnames), check: check)
}

private func matched(_ record: TLSARecord, depth: Int = 0, constraints: [NameConstraints] = []) -> DANECheck {
    .matched(DANEMatch(record: record, depth: depth, constraints: constraints))
}

private func poshDocument(_ digests: [POSHHash: [UInt8]]) -> POSHDocument {
    POSHDocument(body: .fingerprints([POSHFingerprint(digests: digests)]), expires: 3600)
}

private func posh(_ document: POSHDocument, _ leaf: LeafDigests) -> POSHEvidence {
    POSHEvidence(result: .success(POSHFetched(document: document, source: wellKnown, expires: 3600)), leafDigests: leaf)
}

private let published = Array(repeating: UInt8(0x11), count: 32)
private let other = Array(repeating: UInt8(0x22), count: 32)

private func digests(_ subject: POSH.Subject, _ value: [UInt8]) -> LeafDigests {
    var digests = LeafDigests()
    digests[subject, .sha256] = value
    return digests
}

/// No fetcher here: POSH says it is not applicable, so the verdict moves on.
private let noPOSH = POSHEvidence(result: nil, leafDigests: LeafDigests())

private func decide(_ request: DNARequest, _ evidence: DNAEvidence) -> DNADecision {
    DNAVerifier.decide(request, evidence: evidence, matcher: IdentityMatcher())
}

private func verdictOf(_ request: DNARequest, _ evidence: DNAEvidence,
                     sourceLocation: SourceLocation = #_sourceLocation) -> DNAVerdict? {
    switch decide(request, evidence) {
    case .verdict(let verdict): return verdict
    case .needsPOSH:
        Issue.record("asked for POSH evidence", sourceLocation: sourceLocation)
        return nil
    case .needsChainPath:
        Issue.record("asked for the chain's path", sourceLocation: sourceLocation)
        return nil
    }
}

private func needsPOSH(_ decision: DNADecision) -> Bool {
    if case .needsPOSH = decision { return true }
    return false
}

private struct Step: Equatable, CustomStringConvertible {
    let prooftype: Prooftype
    let outcome: DNAAttempt.Outcome
    init(_ prooftype: Prooftype, _ outcome: DNAAttempt.Outcome) {
        self.prooftype = prooftype
        self.outcome = outcome
    }
    var description: String { "\(prooftype.rawValue) \(outcome.rawValue)" }
}

private func steps(_ verdict: DNAVerdict) -> [Step] { verdict.attempts.map { Step($0.prooftype, $0.outcome) } }

private func attempt(_ verdict: DNAVerdict, _ prooftype: Prooftype) -> DNAAttempt? {
    verdict.attempts.first { $0.prooftype == prooftype }
}

@Suite struct DNAVerifierTests {
    // MARK: DANE first

    @Test func daneAcceptsFirstAndTheRestAreNotTried() throws {
        var evidence = DNAEvidence(names: srvNames([candidate(host1)], status: .secure), chain: chain(["host1.example.net"]),
                                   dialback: .verified)
        evidence.tlsa[TLSALocation(host1, 5269)] = tlsa([eeKey], check: matched(eeKey))
        // No POSH evidence: DANE accepted, so none is asked for.
        let verdict = try #require(verdictOf(request(endpoint: host1), evidence))
        #expect(verdict.accepted && verdict.prooftype == .dane)
        #expect(verdict.tlsaMatch == eeKey)
        #expect(steps(verdict) == [Step(.dane, .accepted), Step(.pki, .notTried), Step(.posh, .notTried), Step(.dialback, .notTried)])
        #expect(verdict.attempts.dropFirst().allSatisfy { $0.reason == "dane already accepted" })
        #expect(verdict.summary == "accepted by dane: _5269._tcp.host1.example.net: the leaf matches TLSA \(eeKey) (DANE-EE)")
        // Dialback was not run, so it has no strength to report.
        #expect(verdict.dialbackStrength == nil)
    }

    @Test func secureTLSAMismatchRejectsEvenWhenPKIWouldAccept() throws {
        var evidence = DNAEvidence(names: srvNames([candidate(host1)], status: .secure), chain: chain(["example.com"]),
                                   dialback: .verified)
        evidence.tlsa[TLSALocation(host1, 5269)] = tlsa([eeKey], check: .noMatch)
        let decision = decide(request(endpoint: host1), evidence)
        #expect(!needsPOSH(decision), "a DANE rejection ends the verdict; POSH must not be fetched")
        let verdict = try #require(verdictOf(request(endpoint: host1), evidence))
        #expect(verdict.pki.accepted, "the PKI name check alone accepts this chain")
        #expect(!verdict.accepted && verdict.prooftype == nil && verdict.tlsaMatch == nil)
        #expect(steps(verdict) == [Step(.dane, .rejected), Step(.pki, .notTried), Step(.posh, .notTried), Step(.dialback, .notTried)])
        #expect(verdict.attempts.dropFirst().allSatisfy { $0.reason == "DANE rejected the chain" })
        #expect(verdict.summary == "rejected by DANE: _5269._tcp.host1.example.net: secure TLSA records exist (\(eeKey)) "
                + "and no certificate of the chain matches any of them")
        #expect(verdict.dialbackStrength == nil)
    }

    /// RFC 7673 leaves no PKIX fallback: DANE vetoes wherever the caller put it.
    @Test func daneLaterInTheOrderStillVetoesAnEarlierAcceptance() throws {
        var evidence = DNAEvidence(names: srvNames([candidate(host1)], status: .secure), chain: chain(["example.com"]))
        evidence.tlsa[TLSALocation(host1, 5269)] = tlsa([eeKey], check: .noMatch)
        let vetoed = try #require(verdictOf(request(endpoint: host1, prooftypes: [.pki, .dane, .posh]), evidence))
        #expect(!vetoed.accepted && vetoed.prooftype == nil)
        #expect(steps(vetoed) == [Step(.pki, .accepted), Step(.dane, .rejected), Step(.posh, .notTried)])
        #expect(vetoed.summary.hasPrefix("rejected by DANE: _5269._tcp.host1.example.net: secure TLSA records exist"))

        // A later DANE that matches leaves the acceptance with PKI, and reports no TLSA match.
        evidence.tlsa[TLSALocation(host1, 5269)] = tlsa([eeKey], check: matched(eeKey))
        let kept = try #require(verdictOf(request(endpoint: host1, prooftypes: [.pki, .dane]), evidence))
        #expect(kept.accepted && kept.prooftype == .pki && kept.tlsaMatch == nil)
        #expect(steps(kept) == [Step(.pki, .accepted), Step(.dane, .accepted)])
    }

    static let unusableTLSAStatuses: [(DNSSECStatus, String)] = [
        (.bogus(expiredSignature), "the TLSA records are bogus: Signature Expired: RRSIG over the TLSA RRset expired"),
        (.indeterminate("timeout"), "the TLSA lookup did not complete (timeout), so the DANE state is unknown"),
    ]

    @Test(arguments: unusableTLSAStatuses)
    func bogusOrIndeterminateTLSARejects(_ status: DNSSECStatus, _ reason: String) throws {
        var evidence = DNAEvidence(names: srvNames([candidate(host1)], status: .secure), chain: chain(["example.com"]))
        evidence.tlsa[TLSALocation(host1, 5269)] = TLSAEvidence(answer: DNSAnswer(.failure, status: status), check: nil)
        let verdict = try #require(verdictOf(request(endpoint: host1), evidence))
        #expect(!verdict.accepted)
        #expect(steps(verdict) == [Step(.dane, .rejected), Step(.pki, .notTried), Step(.posh, .notTried), Step(.dialback, .notTried)])
        #expect(verdict.summary.hasPrefix("rejected by DANE: _5269._tcp.host1.example.net: \(reason)"), "\(verdict.summary)")
    }

    /// A bogus CNAME on the way to the TLSA RRset taints the RRset (the path status counts).
    @Test func bogusCNAMEBeforeASecureTLSARejects() throws {
        var evidence = DNAEvidence(names: srvNames([candidate(host1)], status: .secure), chain: chain(["example.com"]))
        let hop = CNAMELink(owner: "_5269._tcp.host1.example.net", target: "_5269._tcp.tlsa.example.net", status: .bogus(expiredSignature))
        evidence.tlsa[TLSALocation(host1, 5269)] = tlsa([eeKey], check: matched(eeKey), cnames: [hop])
        let verdict = try #require(verdictOf(request(endpoint: host1), evidence))
        #expect(!verdict.accepted && attempt(verdict, .dane)?.outcome == .rejected)
    }

    /// An insecure CNAME hop makes the TLSA RRset behind it insecure: DANE does not apply.
    @Test func tlsaBehindAnInsecureCNAMEDoesNotCount() throws {
        var evidence = DNAEvidence(names: srvNames([candidate(host1)], status: .secure), chain: chain(["example.com"]))
        let hop = CNAMELink(owner: "_5269._tcp.host1.example.net", target: "_5269._tcp.tlsa.example.org", status: .insecure)
        evidence.tlsa[TLSALocation(host1, 5269)] = tlsa([eeKey], check: .noMatch, cnames: [hop])
        let verdict = try #require(verdictOf(request(endpoint: host1), evidence))
        #expect(verdict.accepted && verdict.prooftype == .pki)
        #expect(attempt(verdict, .dane)?.outcome == .notApplicable)
        #expect(attempt(verdict, .dane)?.reason.contains("not DNSSEC-signed") == true)
    }

    /// A lookup that failed where the domain is proven unsigned hides nothing;
    /// without that proof the DANE state is unknown and the chain is refused.
    @Test func failedTLSALookupOnAProvenUnsignedDomainLeavesDANEOut() throws {
        var evidence = DNAEvidence(names: noSRVNames(.insecure), chain: chain(["example.com"]))
        evidence.tlsa[TLSALocation(domain, 5269)] = TLSAEvidence(answer: DNSAnswer(.failure, status: .indeterminate("timeout")),
                                                                 check: nil)
        let unsigned = try #require(verdictOf(request(.inbound), evidence))
        #expect(unsigned.accepted && unsigned.prooftype == .pki)
        #expect(attempt(unsigned, .dane)?.outcome == .notApplicable)
        #expect(attempt(unsigned, .dane)?.reason
                == "_5269._tcp.example.com: no TLSA answer (timeout), but example.com is proven unsigned, so DANE does not apply")

        evidence.names = nil
        let unknown = try #require(verdictOf(request(.inbound), evidence))
        #expect(!unknown.accepted && attempt(unknown, .dane)?.outcome == .rejected)
    }

    @Test func secureDenialOfTLSALeavesDANEOut() throws {
        var evidence = DNAEvidence(names: srvNames([candidate(host1)], status: .secure), chain: chain(["example.com"]))
        evidence.tlsa[TLSALocation(host1, 5269)] = tlsa([], check: nil)
        let verdict = try #require(verdictOf(request(endpoint: host1), evidence))
        #expect(verdict.accepted && verdict.prooftype == .pki)
        #expect(attempt(verdict, .dane)?.outcome == .notApplicable)
        #expect(attempt(verdict, .dane)?.reason == "_5269._tcp.host1.example.net: no TLSA records")
    }

    /// `DNAEvidence.chain` is nil "when no chain was presented", as for an
    /// inbound peer that authenticates by dialback alone. Its signed domain
    /// publishes no TLSA records, so DANE has nothing to say and dialback
    /// should decide; DANE.evaluate instead rejects for the missing
    /// certificate, and its veto ends the verdict. (The edge always passes a
    /// ChainEvidence, empty for no chain, so it does not meet this today.)
    @Test func secureDenialOfTLSAWithoutAChainLeavesDialbackToDecide() throws {
        var evidence = DNAEvidence(names: noSRVNames(.secure), chain: nil, dialback: .verified)
        evidence.tlsa[TLSALocation(domain, 5269)] = tlsa([], check: nil)
        evidence.posh = noPOSH
        let verdict = try #require(verdictOf(request(.inbound), evidence))
        #expect(attempt(verdict, .dane)?.outcome == .notApplicable, "\(verdict.summary)")
        #expect(verdict.accepted && verdict.prooftype == .dialback)
        // With an empty chain, as the edge passes it, dialback decides.
        evidence.chain = chain([])
        let empty = try #require(verdictOf(request(.inbound), evidence))
        #expect(empty.accepted && empty.prooftype == .dialback && empty.dialbackStrength == .strong)
    }

    /// RFC 7673 section 3: a DANE-TA match needs the leaf to name the SRV
    /// target or the source domain; the caller's extra names count too.
    @Test func daneTAMatchNeedsTheTargetTheDomainOrAnExtraName() throws {
        var evidence = DNAEvidence(names: srvNames([candidate(host1)], status: .secure), chain: chain(["host1.example.net"]))
        evidence.tlsa[TLSALocation(host1, 5269)] = tlsa([taKey], check: matched(taKey, depth: 1))
        var byTarget = try #require(verdictOf(request(endpoint: host1), evidence))
        #expect(byTarget.accepted && byTarget.prooftype == .dane && byTarget.tlsaMatch == taKey)
        #expect(attempt(byTarget, .dane)?.reason
                == "_5269._tcp.host1.example.net: the chain verifies by TLSA \(taKey), matched at depth 1 (DANE-TA)")

        evidence.chain = chain(["example.com"])
        byTarget = try #require(verdictOf(request(endpoint: host1), evidence))
        #expect(byTarget.accepted && byTarget.prooftype == .dane, "the source domain is a name DANE-TA accepts")

        evidence.chain = chain(["xmpp.hosting.example"])
        let unnamed = try #require(verdictOf(request(endpoint: host1), evidence))
        #expect(!unnamed.accepted && attempt(unnamed, .dane)?.outcome == .rejected)
        #expect(attempt(unnamed, .dane)?.reason.contains("matches at depth 1, but the leaf names none of") == true)

        var extra = request(endpoint: host1)
        extra.extraNames = [.dns(name("xmpp.hosting.example"))]
        let named = try #require(verdictOf(extra, evidence))
        #expect(named.accepted && named.prooftype == .dane)
    }

    // MARK: When POSH is asked for

    /// The virtual host on an unsigned zone (README, "Prooftypes by
    /// deployment"): PKI refuses the hosting name, POSH is asked for, and
    /// a matching document accepts.
    @Test func needsPOSHWhenNoEarlierProoftypeAccepted() throws {
        var evidence = DNAEvidence(names: srvNames([candidate(host1, srv: .insecure)], status: .insecure),
                                   chain: chain(["host1.example.net"]))
        #expect(needsPOSH(decide(request(), evidence)))

        evidence.posh = posh(poshDocument([.sha256: published]), digests(.certificate, published))
        let verdict = try #require(verdictOf(request(), evidence))
        #expect(verdict.accepted && verdict.prooftype == .posh)
        #expect(steps(verdict) == [Step(.dane, .notApplicable), Step(.pki, .rejected), Step(.posh, .accepted), Step(.dialback, .notTried)])
        #expect(attempt(verdict, .dane)?.reason == "no connection candidate has a secure SRV, A and AAAA path")
        #expect(attempt(verdict, .pki)?.reason.hasSuffix(
            "; delegation via SRV is insecure, so SRV targets are not acceptable names") == true)
        #expect(verdict.summary == "accepted by posh: the presented certificate matches sha-256 fingerprint 0 of \(wellKnown)")
    }

    @Test func pkiAcceptanceNeverAsksForPOSH() throws {
        let evidence = DNAEvidence(names: noSRVNames(.insecure), chain: chain(["example.com"]))
        let verdict = try #require(verdictOf(request(), evidence))
        #expect(verdict.accepted && verdict.prooftype == .pki)
        #expect(attempt(verdict, .posh)?.outcome == .notTried)
        #expect(attempt(verdict, .posh)?.reason == "pki already accepted")
    }

    @Test func poshFirstInTheOrderIsAskedForAtOnce() {
        let evidence = DNAEvidence(names: noSRVNames(.insecure), chain: chain(["example.com"]))
        #expect(needsPOSH(decide(request(prooftypes: [.posh, .pki]), evidence)))
    }

    @Test func anOrderWithoutPOSHNeverAsksForIt() throws {
        let evidence = DNAEvidence(names: noSRVNames(.insecure), chain: chain(["other.example"]))
        let verdict = try #require(verdictOf(request(prooftypes: [.dane, .pki, .dialback]), evidence))
        #expect(!verdict.accepted)
        #expect(steps(verdict) == [Step(.dane, .notApplicable), Step(.pki, .rejected), Step(.dialback, .notApplicable)])
    }

    @Test func poshThatCouldNotBeFetchedIsNotApplicable() throws {
        var evidence = DNAEvidence(names: noSRVNames(.insecure), chain: chain(["other.example"]))
        evidence.posh = noPOSH
        let none = try #require(verdictOf(request(), evidence))
        #expect(attempt(none, .posh)?.outcome == .notApplicable)
        #expect(attempt(none, .posh)?.reason == "POSH is not available here (no fetcher and no document)")

        evidence.posh = POSHEvidence(result: .failure(.fetch("connection refused")), leafDigests: LeafDigests())
        let failed = try #require(verdictOf(request(), evidence))
        #expect(attempt(failed, .posh)?.outcome == .notApplicable)
        #expect(attempt(failed, .posh)?.reason == "POSH fetch failed: connection refused")
        #expect(!failed.evidence.contains { $0.what.hasPrefix("POSH") }, "a failed fetch is no evidence")
    }

    // MARK: POSH

    @Test(arguments: POSH.Subject.allCases)
    func poshAcceptsAMatchingDigest(_ subject: POSH.Subject) throws {
        var evidence = DNAEvidence(names: noSRVNames(.insecure), chain: chain(["other.example"]))
        evidence.posh = posh(poshDocument([.sha256: published]), digests(subject, published))
        let verdict = try #require(verdictOf(request(), evidence))
        #expect(verdict.accepted && verdict.prooftype == .posh)
        #expect(attempt(verdict, .posh)?.reason == "the presented \(subject.rawValue) matches sha-256 fingerprint 0 of \(wellKnown)")
        #expect(verdict.evidence.last == DNAEvidenceUse("POSH \(wellKnown) (expires 3600 s)", nil))
    }

    @Test func poshRejectsWhenNoFingerprintMatches() throws {
        var evidence = DNAEvidence(names: noSRVNames(.insecure), chain: chain(["other.example"]))
        var leaf = digests(.certificate, other)
        leaf[.publicKey, .sha256] = other
        evidence.posh = posh(poshDocument([.sha256: published]), leaf)
        let verdict = try #require(verdictOf(request(), evidence))
        #expect(!verdict.accepted && verdict.prooftype == nil)
        #expect(steps(verdict) == [Step(.dane, .notApplicable), Step(.pki, .rejected), Step(.posh, .rejected),
                                   Step(.dialback, .notApplicable)])
        #expect(attempt(verdict, .posh)?.reason
                == "the presented certificate matches none of the 1 published fingerprints (sha-256) of \(wellKnown)")
        // Not a DANE rejection: every prooftype's reason is in the summary.
        #expect(verdict.summary.hasPrefix("rejected: dane: "))
        #expect(verdict.summary.hasSuffix("; dialback: no dialback result was supplied"))
    }

    @Test func poshWithoutACertificateRejects() throws {
        var evidence = DNAEvidence(names: noSRVNames(.insecure), chain: nil)
        evidence.posh = posh(poshDocument([.sha256: published]), LeafDigests())
        let verdict = try #require(verdictOf(request(), evidence))
        #expect(attempt(verdict, .posh)?.outcome == .rejected)
        #expect(attempt(verdict, .posh)?.reason == "no certificate was presented")
        #expect(attempt(verdict, .pki)?.reason.contains("no certificate was presented") == true)
    }

    // MARK: Dialback

    @Test func dialbackIsStrongWhenEveryRecordIsSecure() throws {
        var evidence = DNAEvidence(names: srvNames([candidate(host1), candidate(host2)], status: .secure),
                                   chain: chain(["other.example"]), dialback: .verified)
        evidence.posh = noPOSH
        let verdict = try #require(verdictOf(request(), evidence))
        #expect(verdict.accepted && verdict.prooftype == .dialback && verdict.dialbackStrength == .strong)
        #expect(attempt(verdict, .dialback)?.reason.hasPrefix("dialback verified; every record that located the authoritative "
                                                              + "server (SRV, CNAME, A, AAAA) was DNSSEC-secure") == true)
    }

    @Test func weakDialbackIsAcceptedOnlyWhenThePolicyAllowsIt() throws {
        var evidence = DNAEvidence(names: srvNames([candidate(host1, srv: .insecure)], status: .insecure),
                                   chain: chain(["other.example"]), dialback: .verified)
        evidence.posh = noPOSH
        let allowed = try #require(verdictOf(request(), evidence))
        #expect(allowed.accepted && allowed.prooftype == .dialback && allowed.dialbackStrength == .weak)
        #expect(attempt(allowed, .dialback)?.reason.contains("so this is weak") == true)

        var strict = request()
        strict.acceptWeakDialback = false
        let refused = try #require(verdictOf(strict, evidence))
        #expect(!refused.accepted && refused.dialbackStrength == .weak)
        #expect(attempt(refused, .dialback)?.outcome == .rejected)
        #expect(attempt(refused, .dialback)?.reason.hasSuffix("and policy refuses weak dialback") == true)
    }

    @Test func failedDialbackRejectsWhateverTheDNS() throws {
        var evidence = DNAEvidence(names: srvNames([candidate(host1)], status: .secure), chain: chain(["other.example"]),
                                   dialback: .failed)
        evidence.posh = noPOSH
        let verdict = try #require(verdictOf(request(), evidence))
        #expect(!verdict.accepted && verdict.dialbackStrength == .strong)
        #expect(attempt(verdict, .dialback)?.outcome == .rejected)
        #expect(attempt(verdict, .dialback)?.reason == "the dialback key did not verify")
    }

    @Test func noDialbackResultIsNotApplicable() throws {
        var evidence = DNAEvidence(names: srvNames([candidate(host1)], status: .secure), chain: chain(["other.example"]))
        evidence.posh = noPOSH
        let verdict = try #require(verdictOf(request(), evidence))
        #expect(attempt(verdict, .dialback)?.outcome == .notApplicable)
        #expect(verdict.dialbackStrength == nil)
    }

    /// The endpoint's own records decide; without an endpoint every
    /// candidate's must be secure, since any of them may have been used.
    @Test func dialbackStrengthFollowsTheEndpointOrEveryCandidate() throws {
        let mixed = srvNames([candidate(host1), candidate(host2, address: .insecure)], status: .secure)
        func strength(_ endpoint: DNSName?, port: UInt16 = 5269, _ names: NameList?) throws -> DialbackStrength? {
            var evidence = DNAEvidence(names: names, chain: chain(["other.example"]), dialback: .verified)
            evidence.posh = noPOSH
            return try #require(verdictOf(request(endpoint: endpoint, port: port, prooftypes: [.dialback]), evidence)).dialbackStrength
        }
        #expect(try strength(nil, mixed) == .weak)
        #expect(try strength(host1, mixed) == .strong)
        #expect(try strength(host2, mixed) == .weak)
        #expect(try strength(host1, port: 5270, mixed) == .weak, "an endpoint that is no candidate was not reached through secure DNS")
        #expect(try strength(host1, nil) == .weak, "without a name list nothing is known to be secure")
        #expect(try strength(nil, srvNames([candidate(host1), candidate(host2)], status: .bogus(expiredSignature))) == .weak)
    }

    /// README: dialback is strong only when every record that led to the
    /// server is secure, "the SRV and the CNAME, A and AAAA records of the
    /// endpoint". Without SRV the server is reached through the domain's own
    /// A/AAAA records, but the fallback candidate carries only the SRV
    /// denial, so their status never reaches the verdict.
    @Test func dialbackOverTheNoSRVFallbackIsStrongOnlyWithSecureAddresses() throws {
        var generator = SystemRandomNumberGenerator()
        let insecureAddresses = AddressAnswers(a: DNSAnswer(.records([try IPAddress("192.0.2.7")]), status: .insecure),
                                               aaaa: DNSAnswer(.noData, status: .insecure))
        let names = NameListBuilder.build(domain: domain, service: .xmppServer,
                                          srv: [.xmppServer: DNSAnswer(.noData, status: .secure),
                                                .xmppsServer: DNSAnswer(.nameError, status: .secure)],
                                          addresses: [domain: insecureAddresses], using: &generator)
        var evidence = DNAEvidence(names: names, chain: chain(["other.example"]), dialback: .verified)
        evidence.posh = noPOSH
        let verdict = try #require(verdictOf(request(prooftypes: [.dialback]), evidence))
        #expect(verdict.accepted)
        #expect(verdict.dialbackStrength == .weak)
    }

    // MARK: Which TLSA records count

    @Test func outboundWithAnEndpointUsesOnlyThatEndpoint() {
        let names = srvNames([candidate(host1), candidate(host2)], status: .secure)
        let (locations, note) = DNAVerifier.tlsaLocations(request(endpoint: host2), names)
        #expect(locations == [TLSALocation(host2, 5269)] && note == nil)
        #expect(locations.map(\.owner) == ["_5269._tcp.host2.example.net"])

        // Without a name list the caller's endpoint is taken as given.
        #expect(DNAVerifier.tlsaLocations(request(endpoint: host2, port: 5270), nil).locations == [TLSALocation(host2, 5270)])
    }

    @Test func outboundEndpointBehindInsecureRecordsHasNoTLSA() {
        let names = srvNames([candidate(host1), candidate(host2, address: .insecure)], status: .secure)
        let (locations, note) = DNAVerifier.tlsaLocations(request(endpoint: host2), names)
        #expect(locations.isEmpty)
        #expect(note?.code == .endpointPathNotSecure && note?.dnssec == .insecure && note?.seen == "host2.example.net:5269")
        #expect(note?.text == "the records leading to host2.example.net:5269 are insecure, so its TLSA records do not count (RFC 7673 section 3)")

        let (elsewhere, why) = DNAVerifier.tlsaLocations(request(endpoint: name("rogue.example")), names)
        #expect(elsewhere.isEmpty)
        #expect(why?.code == .endpointNotCandidate && why?.expected == "example.com" && why?.seen == "rogue.example:5269")
        #expect(why?.text == "rogue.example:5269 is not a connection candidate of example.com")
    }

    @Test func outboundWithoutAnEndpointUsesEverySecureCandidate() {
        let names = srvNames([candidate(host1), candidate(host2, address: .insecure), candidate(host1, 5270)], status: .secure)
        let (locations, note) = DNAVerifier.tlsaLocations(request(), names)
        #expect(locations == [TLSALocation(host1, 5269), TLSALocation(host1, 5270)] && note == nil)

        let insecure = srvNames([candidate(host1, srv: .insecure)], status: .insecure)
        let (none, why) = DNAVerifier.tlsaLocations(request(), insecure)
        #expect(none.isEmpty && why?.code == .noSecureCandidate)
        #expect(why?.text == "no connection candidate has a secure SRV, A and AAAA path")

        // No name list: the domain itself at the service's fallback port.
        #expect(DNAVerifier.tlsaLocations(request(), nil).locations == [TLSALocation(domain, 5269)])
        let client = DNARequest(direction: .outbound, domain: domain, service: .xmppClient)
        #expect(DNAVerifier.tlsaLocations(client, nil).locations == [TLSALocation(domain, 5222)])
        let directTLS = DNARequest(direction: .outbound, domain: domain, service: .xmppsServer)
        #expect(DNAVerifier.tlsaLocations(directTLS, nil).locations == [TLSALocation(domain, 5269)])
    }

    @Test func inboundUsesTheDomainThenEverySecureTarget() {
        let names = srvNames([candidate(host1), candidate(host2, address: .insecure)], status: .secure)
        let (locations, note) = DNAVerifier.tlsaLocations(request(.inbound), names)
        #expect(locations == [TLSALocation(domain, 5269), TLSALocation(host1, 5269)] && note == nil)
        // An inbound peer names no endpoint we connected to; one given is not used.
        #expect(DNAVerifier.tlsaLocations(request(.inbound, endpoint: host2), names).locations == locations)
        // The domain itself as the (secure) fallback candidate is listed once.
        #expect(DNAVerifier.tlsaLocations(request(.inbound), noSRVNames(.secure)).locations == [TLSALocation(domain, 5269)])
        #expect(DNAVerifier.tlsaLocations(request(.inbound), nil).locations == [TLSALocation(domain, 5269)])
    }

    @Test func noDANEInTheOrderMeansNoTLSALocations() {
        let names = srvNames([candidate(host1)], status: .secure)
        let (locations, note) = DNAVerifier.tlsaLocations(request(endpoint: host1, prooftypes: [.pki, .posh]), names)
        #expect(locations.isEmpty && note == nil)
    }

    @Test func everyLocationIsTriedAndOneMatchAccepts() throws {
        var evidence = DNAEvidence(names: srvNames([candidate(host1), candidate(host2)], status: .secure),
                                   chain: chain(["other.example"]))
        evidence.tlsa[TLSALocation(host1, 5269)] = tlsa([], check: nil)
        evidence.tlsa[TLSALocation(host2, 5269)] = tlsa([eeKey], check: matched(eeKey))
        let verdict = try #require(verdictOf(request(), evidence))
        #expect(verdict.accepted && verdict.prooftype == .dane && verdict.tlsaMatch == eeKey)
        #expect(attempt(verdict, .dane)?.reason.hasPrefix("_5269._tcp.host2.example.net: the leaf matches TLSA") == true)

        // A location the edge did not look up says so.
        evidence.tlsa[TLSALocation(host2, 5269)] = nil
        let missing = try #require(verdictOf(request(prooftypes: [.dane, .pki]), evidence))
        #expect(attempt(missing, .dane)?.outcome == .notApplicable)
        #expect(attempt(missing, .dane)?.reason
                == "_5269._tcp.host1.example.net: no TLSA records; no TLSA lookup for _5269._tcp.host2.example.net")
    }

    // MARK: The evidence list

    @Test func evidenceListsEveryRecordOnceInTheOrderItWasUsed() throws {
        var host = candidate(host1)
        host = ConnectionCandidate(host: host.host, port: host.port, directTLS: false, service: .xmppServer, priority: 0, weight: 0,
                                   records: host.records + [RecordProvenance(record: "AAAA host1.example.net (none)", status: .secure)],
                                   addresses: host.addresses)
        var names = srvNames([host], status: .secure)
        names = NameList(domain: domain, service: .xmppServer, kind: .srv, status: .secure,
                         acceptableNames: names.acceptableNames + [AcceptableName(value: .ip(try IPAddress("192.0.2.1")),
                                                                                  status: .secure, source: "A host1.example.net 192.0.2.1")],
                         candidates: [host])
        var evidence = DNAEvidence(names: names, chain: chain(["example.com"]))
        let hop = CNAMELink(owner: "_5269._tcp.host1.example.net", target: "_5269._tcp.tlsa.example.net", status: .secure)
        evidence.tlsa[TLSALocation(host1, 5269)] = tlsa([eeKey], check: matched(eeKey), cnames: [hop])
        let verdict = try #require(verdictOf(request(endpoint: host1), evidence))
        #expect(verdict.evidence == [
            DNAEvidenceUse("SRV _xmpp-server._tcp.example.com 0 0 5269 host1.example.net.", .secure),
            DNAEvidenceUse("A host1.example.net 192.0.2.1", .secure),
            DNAEvidenceUse("AAAA host1.example.net (none)", .secure),
            DNAEvidenceUse("_5269._tcp.host1.example.net CNAME _5269._tcp.tlsa.example.net", .secure),
            DNAEvidenceUse("_5269._tcp.host1.example.net TLSA", .secure),
        ])
    }

    @Test func evidenceNamesTLSADenialsAndThePOSHDocument() throws {
        var evidence = DNAEvidence(names: noSRVNames(.insecure), chain: chain(["other.example"]))
        evidence.tlsa[TLSALocation(domain, 5269)] = tlsa([], .insecure, check: nil)
        evidence.posh = posh(poshDocument([.sha256: published]), digests(.certificate, published))
        let verdict = try #require(verdictOf(request(.inbound), evidence))
        #expect(verdict.prooftype == .posh)
        #expect(verdict.evidence == [
            DNAEvidenceUse("no SRV at _xmpp-server._tcp.example.com", .insecure),
            DNAEvidenceUse("_5269._tcp.example.com TLSA (none)", .insecure),
            DNAEvidenceUse("POSH \(wellKnown) (expires 3600 s)", nil),
        ])
    }

    @Test func verdictJSONCarriesTheDecision() throws {
        var evidence = DNAEvidence(names: srvNames([candidate(host1)], status: .secure), chain: chain(["example.com"]))
        evidence.tlsa[TLSALocation(host1, 5269)] = tlsa([eeKey], check: .noMatch)
        let verdict = try #require(verdictOf(request(endpoint: host1, prooftypes: [.dane, .pki]), evidence))
        let json = try JSONParser.parse(Array(verdict.json.utf8))
        guard case .object(let members) = json else { Issue.record("not an object: \(verdict.json)"); return }
        let fields = Dictionary(members, uniquingKeysWith: { first, _ in first })
        #expect(fields["accepted"] == .bool(false))
        #expect(fields["prooftype"] == .null)
        #expect(fields["direction"] == .string("outbound"))
        #expect(fields["schema_version"] == .number("1"))
        let owner = "_5269._tcp.host1.example.net"
        #expect(fields["attempts"] == .array([
            .object([("prooftype", .string("dane")), ("outcome", .string("rejected")), ("reason", .string(verdict.attempts[0].reason)),
                     ("findings", .array([.object([
                        ("code", .string("tlsa_mismatch")), ("number", .number("206")), ("prooftype", .string("dane")),
                        ("subject", .string(owner)), ("expected", .string(eeKey.description)), ("dnssec", .string("secure")),
                        ("text", .string("\(owner): secure TLSA records exist (\(eeKey)) and no certificate of the chain matches any of them")),
                     ])]))]),
            .object([("prooftype", .string("pki")), ("outcome", .string("not_tried")), ("reason", .string("DANE rejected the chain")),
                     ("findings", .array([.object([
                        ("code", .string("after_dane_rejection")), ("number", .number("2")), ("prooftype", .string("pki")),
                        ("text", .string("DANE rejected the chain")),
                     ])]))]),
        ]))
    }
}
