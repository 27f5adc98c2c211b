/// The RFC 7712 Domain Name Association verdict: tries the requested
/// prooftypes in order and stops at the first that accepts, except that a
/// DANE rejection (secure TLSA that the chain does not match, or bogus
/// TLSA) always rejects, even after another prooftype accepted: RFC 7673
/// leaves no PKIX fallback. Pure over the evidence it is handed: the edge
/// gathers what `tlsaLocations` and `decide` ask for.
public enum DNAVerifier {
    /// Phase three of a verification: the verdict from the gathered
    /// evidence, or what must be gathered first. `matcher` carries the
    /// context's name-matching policy.
    public static func decide(_ request: DNARequest, evidence: DNAEvidence, matcher: IdentityMatcher) -> DNADecision {
        var used: [DNAEvidenceUse] = []
        if let names = evidence.names {
            used += names.acceptableNames.dropFirst().compactMap { name in name.status.map { DNAEvidenceUse(name.source, $0) } }
            for candidate in names.candidates {
                for record in candidate.records where !used.contains(where: { $0.what == record.record }) {
                    used.append(DNAEvidenceUse(record.record, record.status))
                }
            }
        }
        let references = pkiReferences(request, evidence.names)
        // Without a path (PKI not tried) the names are reported unconstrained, the chain not checked.
        let pkiVerdict = PKIVerdict(references: references, presented: evidence.chain?.constrainedIdentifiers ?? [],
                                    chain: evidence.chain?.path?.status ?? .notChecked,
                                    chainReused: evidence.chain?.path?.reused ?? false, matcher: matcher)

        var attempts: [DNAAttempt] = []
        var accepted: Prooftype?
        var tlsaMatch: TLSARecord?
        var daneRejected = false
        var strength: DialbackStrength?

        /// nil when evidence is missing: `missing` says which.
        var missing = DNADecision.needsPOSH
        func evaluate(_ prooftype: Prooftype) -> DNAAttempt? {
            switch prooftype {
            case .dane:
                let (attempt, match, records) = dane(request, evidence)
                used += records
                tlsaMatch = match
                daneRejected = attempt.outcome == .rejected
                return attempt
            case .pki:
                guard let chain = evidence.chain else { return DNAAttempt(.pki, .rejected, DNAFinding(.noCertificate, .pki)) }
                guard chain.path != nil else {
                    missing = .needsChainPath
                    return nil
                }
                return pkiAttempt(pkiVerdict, names: evidence.names, namesOnly: request.namesOnly)
            case .posh:
                guard let posh = evidence.posh else {
                    missing = .needsPOSH
                    return nil
                }
                let (attempt, source) = poshAttempt(posh, hasLeaf: evidence.chain?.hasCertificate == true)
                if let source { used.append(DNAEvidenceUse(source, nil)) }
                return attempt
            case .dialback:
                let (attempt, grade) = dialback(request, evidence)
                strength = grade
                return attempt
            }
        }

        for prooftype in request.prooftypes {
            guard accepted == nil else {
                // A later DANE can still veto; other prooftypes are not needed.
                attempts.append(prooftype == .dane ? evaluate(.dane)!
                                : DNAAttempt(prooftype, .notTried, DNAFinding(.alreadyAccepted, prooftype, seen: accepted!.rawValue)))
                continue
            }
            guard let attempt = evaluate(prooftype) else { return missing }
            attempts.append(attempt)
            if daneRejected { break }
            if attempt.outcome == .accepted { accepted = prooftype }
        }
        // Prooftypes after a DANE rejection are reported, not run.
        for prooftype in request.prooftypes where !attempts.contains(where: { $0.prooftype == prooftype }) {
            attempts.append(DNAAttempt(prooftype, .notTried, DNAFinding(.afterDANERejection, prooftype)))
        }
        if daneRejected { accepted = nil }
        return .verdict(DNAVerdict(accepted: accepted != nil, domain: request.domain, direction: request.direction,
                                   prooftype: accepted, attempts: attempts, pki: pkiVerdict,
                                   tlsaMatch: accepted == .dane ? tlsaMatch : nil, dialbackStrength: strength, evidence: used))
    }

    /// A names-only PKI question: answered by matching names, without a chain.
    public static func isNameCheck(_ request: DNARequest) -> Bool {
        request.namesOnly && request.prooftypes == [.pki]
    }

    /// A names-only PKI question (`namesOnly`, `[.pki]`) about `presented`,
    /// as `decide` would judge it with no other evidence, without making the
    /// verdict: a server checking names on its hot path reads `accepted`
    /// (the PKI verdict's) and rarely more. nil for any other question.
    public static func nameCheck(_ request: DNARequest, names: NameList?, presented: [PresentedIdentifier],
                                 matcher: IdentityMatcher) -> PKIVerdict? {
        guard isNameCheck(request) else { return nil }
        return PKIVerdict(references: pkiReferences(request, names), presented: presented, chain: .notChecked, matcher: matcher)
    }

    /// The domain's own identifiers, the DNSSEC-delegated names of #3, and
    /// the caller's extra names.
    static func pkiReferences(_ request: DNARequest, _ names: NameList?) -> [ReferenceIdentifier] {
        guard var references = names?.referenceIdentifiers else { return request.references }
        for extra in request.extraNames where !references.contains(extra) { references.append(extra) }
        return references
    }

    private static func pkiAttempt(_ verdict: PKIVerdict, names: NameList?, namesOnly: Bool) -> DNAAttempt {
        if verdict.accepted, let match = verdict.matches.first, verdict.chain == .valid || namesOnly {
            let code: DNAFindingCode = verdict.chain == .valid ? .pkiNameMatched : .pkiChainNotChecked
            let finding = DNAFinding(code, .pki, reference: match.reference, presented: match.presented)
            return DNAAttempt(.pki, .accepted, [finding] + verdict.findings)
        }
        var findings = verdict.findings
        if let names, names.status != .secure, names.kind == .srv {
            findings.append(DNAFinding(.delegationNotSecure, .pki, dnssec: names.status))
        }
        return DNAAttempt(.pki, .rejected, findings)
    }

    // MARK: DANE

    /// The TLSA locations that count, with why (README, "Which TLSA records count").
    public static func tlsaLocations(_ request: DNARequest, _ names: NameList?) -> (locations: [TLSALocation], note: DNAFinding?) {
        guard request.prooftypes.contains(.dane) else { return ([], nil) }
        let secureCandidates = (names?.candidates ?? []).filter { $0.status == .secure }.map { TLSALocation($0.host, $0.port) }
        switch request.direction {
        case .outbound:
            if let endpoint = request.endpoint {
                let location = TLSALocation(endpoint.host, endpoint.port)
                guard let names else { return ([location], nil) }
                guard let candidate = names.candidates.first(where: { $0.host == endpoint.host && $0.port == endpoint.port }) else {
                    return ([], DNAFinding(.endpointNotCandidate, .dane, expected: request.domain.text,
                                           seen: "\(endpoint.host.text):\(endpoint.port)"))
                }
                guard candidate.status == .secure else {
                    return ([], DNAFinding(.endpointPathNotSecure, .dane, seen: "\(endpoint.host.text):\(endpoint.port)",
                                           dnssec: candidate.status))
                }
                return ([location], nil)
            }
            if names == nil { return ([TLSALocation(request.domain, request.service.fallbackPort ?? 5269)], nil) }
            return (unique(secureCandidates), secureCandidates.isEmpty ? DNAFinding(.noSecureCandidate, .dane, dnssec: names?.status) : nil)
        case .inbound:
            // The peer's own service endpoint first, then every secure SRV target.
            return (unique([TLSALocation(request.domain, request.service.fallbackPort ?? 5269)] + secureCandidates), nil)
        }
    }

    private static func unique(_ list: [TLSALocation]) -> [TLSALocation] {
        var seen = Set<TLSALocation>()
        return list.filter { seen.insert($0).inserted }
    }

    private static func dane(_ request: DNARequest, _ evidence: DNAEvidence) -> (DNAAttempt, TLSARecord?, [DNAEvidenceUse]) {
        let (locations, note) = tlsaLocations(request, evidence.names)
        var used: [DNAEvidenceUse] = []
        var accepted: (DNAFinding, TLSARecord?)?
        var rejections: [DNAFinding] = []
        var inapplicable: [DNAFinding] = note.map { [$0] } ?? []
        for location in locations {
            let (host, owner) = (location.host, location.owner)
            guard let tlsa = evidence.tlsa[location] else {
                inapplicable.append(DNAFinding(.tlsaNotLookedUp, .dane, subject: "\(owner)"))
                continue
            }
            let answer = tlsa.answer
            used += answer.cnames.map { DNAEvidenceUse("\($0.owner) CNAME \($0.target)", $0.status) }
            used.append(DNAEvidenceUse("\(owner) TLSA" + (answer.records.isEmpty ? " (none)" : ""), answer.status))
            // A failed lookup hides nothing where the domain's own zone is proven unsigned.
            if case .indeterminate = answer.pathStatus, host == request.domain, evidence.names?.status == .insecure {
                inapplicable.append(DNAFinding(.tlsaFailedInUnsignedZone, .dane, subject: "\(owner)", seen: host.text,
                                               dnssec: answer.pathStatus))
                continue
            }
            let names = [ReferenceIdentifier.dns(host)] + request.ownReferences + request.extraNames
            let leaf = evidence.chain.flatMap { $0.hasCertificate ? $0.leafIdentifiers : nil }
            let outcome = DANE.evaluate(records: answer.records, status: answer.pathStatus, check: tlsa.check,
                                        leafIdentifiers: leaf, names: names)
            switch outcome.result {
            case .accepted: if accepted == nil { accepted = (outcome.finding.about("\(owner)"), outcome.matched) }
            case .rejected: rejections.append(outcome.finding.about("\(owner)"))
            case .notApplicable: inapplicable.append(outcome.finding.about("\(owner)"))
            }
        }
        if let (finding, record) = accepted { return (DNAAttempt(.dane, .accepted, finding), record, used) }
        if !rejections.isEmpty { return (DNAAttempt(.dane, .rejected, rejections), nil, used) }
        let findings = inapplicable.isEmpty ? [DNAFinding(.tlsaNoLocation, .dane)] : inapplicable
        return (DNAAttempt(.dane, .notApplicable, findings), nil, used)
    }

    // MARK: POSH and dialback

    private static func poshAttempt(_ evidence: POSHEvidence, hasLeaf: Bool) -> (DNAAttempt, String?) {
        guard let result = evidence.result else {
            return (DNAAttempt(.posh, .notApplicable, DNAFinding(.poshUnavailable, .posh)), nil)
        }
        switch result {
        case .failure(let error):
            return (DNAAttempt(.posh, .notApplicable, error.finding), nil)
        case .success(let fetched):
            let outcome = POSH.verify(document: fetched.document, digests: evidence.leafDigests, hasLeaf: hasLeaf,
                                      source: fetched.source)
            let mapped: DNAAttempt.Outcome = outcome.result == .accepted ? .accepted
                : outcome.result == .noMatch ? .rejected : .notApplicable
            return (DNAAttempt(.posh, mapped, outcome.finding), "POSH \(fetched.source) (expires \(fetched.expires) s)")
        }
    }

    private static func dialback(_ request: DNARequest, _ evidence: DNAEvidence) -> (DNAAttempt, DialbackStrength?) {
        guard let result = evidence.dialback else {
            return (DNAAttempt(.dialback, .notApplicable, DNAFinding(.dialbackNotSupplied, .dialback)), nil)
        }
        let strength: DialbackStrength = dialbackPathIsSecure(request, evidence.names) ? .strong : .weak
        let dnssec = evidence.names?.status
        switch result {
        case .failed:
            return (DNAAttempt(.dialback, .rejected, DNAFinding(.dialbackFailed, .dialback, dnssec: dnssec)), strength)
        case .verified where strength == .weak && !request.acceptWeakDialback:
            return (DNAAttempt(.dialback, .rejected, DNAFinding(.dialbackWeakRefused, .dialback, dnssec: dnssec)), strength)
        case .verified:
            let code: DNAFindingCode = strength == .strong ? .dialbackStrong : .dialbackWeak
            return (DNAAttempt(.dialback, .accepted, DNAFinding(code, .dialback, dnssec: dnssec)), strength)
        }
    }

    /// Dialback is as strong as the records that led to the server it
    /// reached: the endpoint's when the request names it, else every
    /// candidate's, since any of them may have been used.
    private static func dialbackPathIsSecure(_ request: DNARequest, _ names: NameList?) -> Bool {
        guard let names, names.status == .secure else { return false }
        var used = names.candidates
        if let endpoint = request.endpoint { used = used.filter { $0.host == endpoint.host && $0.port == endpoint.port } }
        return !used.isEmpty && used.allSatisfy { $0.status == .secure }
    }
}

