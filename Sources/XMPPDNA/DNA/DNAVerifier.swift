/// The RFC 7712 Domain Name Association verdict: tries the requested
/// prooftypes in order and stops at the first that accepts, except that a
/// DANE rejection (secure TLSA that the chain does not match, or bogus
/// TLSA) always rejects, even after another prooftype accepted: RFC 7673
/// leaves no PKIX fallback. Pure over the evidence it is handed.
public enum DNAVerifier {
    public static func verify(_ request: DNARequest, evidence: DNAEvidence,
                              pki verifier: PKIVerifier) throws(TrustStoreError) -> DNAVerdict {
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
        // XMPPDNA_FLAG_NO_PKIX is for the PKI verdict alone: a DNA verdict
        // vouches for the peer, and names without a chain prove nothing.
        let pkiVerdict = try verifier.verify(chain: request.chain, references: references, direction: request.direction,
                                             checkingChain: true)
        let pkixStore = try verifier.trustStore()

        var attempts: [DNAAttempt] = []
        var accepted: Prooftype?
        var tlsaMatch: TLSARecord?
        var daneRejected = false
        var strength: DialbackStrength?

        func evaluate(_ prooftype: Prooftype) -> DNAAttempt {
            switch prooftype {
            case .dane:
                let (attempt, match, records) = dane(request, evidence, pkixStore: pkixStore, time: verifier.configuration.time)
                used += records
                tlsaMatch = match
                daneRejected = attempt.outcome == .rejected
                return attempt
            case .pki:
                return pkiAttempt(pkiVerdict, names: evidence.names)
            case .posh:
                let (attempt, source) = posh(request, evidence)
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
                attempts.append(prooftype == .dane ? evaluate(.dane)
                                : DNAAttempt(prooftype, .notTried, "\(accepted!.rawValue) already accepted"))
                continue
            }
            let attempt = evaluate(prooftype)
            attempts.append(attempt)
            if daneRejected { break }
            if attempt.outcome == .accepted { accepted = prooftype }
        }
        // Prooftypes after a DANE rejection are reported, not run.
        for prooftype in request.prooftypes where !attempts.contains(where: { $0.prooftype == prooftype }) {
            attempts.append(DNAAttempt(prooftype, .notTried, "DANE rejected the chain"))
        }
        if daneRejected { accepted = nil }
        return DNAVerdict(accepted: accepted != nil, domain: request.domain, direction: request.direction,
                          prooftype: accepted, attempts: attempts, pki: pkiVerdict,
                          tlsaMatch: accepted == .dane ? tlsaMatch : nil, dialbackStrength: strength, evidence: used)
    }

    /// The domain's own identifiers, the DNSSEC-delegated names of #3, and
    /// the caller's extra names.
    static func pkiReferences(_ request: DNARequest, _ names: NameList?) -> [ReferenceIdentifier] {
        var references = names?.referenceIdentifiers ?? request.service.referenceIdentifiers(for: request.domain)
        for extra in request.extraNames where !references.contains(extra) { references.append(extra) }
        return references
    }

    private static func pkiAttempt(_ verdict: PKIVerdict, names: NameList?) -> DNAAttempt {
        if verdict.accepted && verdict.chain == .valid {
            let match = verdict.matches.first.map { "\($0.reference) matches the presented \($0.presented)" } ?? "a name matches"
            return DNAAttempt(.pki, .accepted, "the chain passes PKIX and \(match)")
        }
        var reason = verdict.reasons.joined(separator: "; ")
        if let names, names.status != .secure, names.kind == .srv {
            let status = names.status == .insecure ? "insecure" : names.status.description
            reason += "; delegation via SRV is \(status), so SRV targets are not acceptable names"
        }
        return DNAAttempt(.pki, .rejected, reason)
    }

    // MARK: DANE

    /// The TLSA locations that count, with why (README, "Which TLSA records count").
    static func tlsaLocations(_ request: DNARequest, _ names: NameList?) -> (locations: [(DNSName, UInt16)], note: String?) {
        let secureCandidates = (names?.candidates ?? []).filter { $0.status == .secure }.map { ($0.host, $0.port) }
        switch request.direction {
        case .outbound:
            if let endpoint = request.endpoint {
                guard let names else { return ([endpoint], nil) }
                guard let candidate = names.candidates.first(where: { $0.host == endpoint.host && $0.port == endpoint.port }) else {
                    return ([], "\(endpoint.host.text):\(endpoint.port) is not a connection candidate of \(request.domain.text)")
                }
                guard candidate.status == .secure else {
                    return ([], "the records leading to \(endpoint.host.text):\(endpoint.port) are \(candidate.status.tag), "
                                + "so its TLSA records do not count (RFC 7673 section 3)")
                }
                return ([endpoint], nil)
            }
            if names == nil { return ([(request.domain, request.service.fallbackPort ?? 5269)], nil) }
            return (unique(secureCandidates), secureCandidates.isEmpty ? "no connection candidate has a secure SRV, A and AAAA path" : nil)
        case .inbound:
            // The peer's own service endpoint first, then every secure SRV target.
            return (unique([(request.domain, request.service.fallbackPort ?? 5269)] + secureCandidates), nil)
        }
    }

    private static func unique(_ list: [(DNSName, UInt16)]) -> [(DNSName, UInt16)] {
        var seen = Set<String>()
        return list.filter { seen.insert("\($0.0.text):\($0.1)").inserted }
    }

    private static func dane(_ request: DNARequest, _ evidence: DNAEvidence, pkixStore: TrustStore,
                             time: Int64?) -> (DNAAttempt, TLSARecord?, [DNAEvidenceUse]) {
        let (locations, note) = tlsaLocations(request, evidence.names)
        var used: [DNAEvidenceUse] = []
        var accepted: (String, TLSARecord?)?
        var rejections: [String] = []
        var inapplicable: [String] = note.map { [$0] } ?? []
        for (host, port) in locations {
            let owner = TLSARecord.owner(host: host, port: port)
            guard let answer = evidence.tlsa(host, port) else {
                inapplicable.append("no TLSA lookup for \(owner)")
                continue
            }
            used += answer.cnames.map { DNAEvidenceUse("\($0.owner) CNAME \($0.target)", $0.status) }
            used.append(DNAEvidenceUse("\(owner) TLSA" + (answer.records.isEmpty ? " (none)" : ""), answer.status))
            // A failed lookup hides nothing where the domain's own zone is proven unsigned.
            if case .indeterminate(let why) = answer.pathStatus, host == request.domain, evidence.names?.status == .insecure {
                inapplicable.append("\(owner): no TLSA answer (\(why)), but \(host.text) is proven unsigned, so DANE does not apply")
                continue
            }
            var names = [ReferenceIdentifier.dns(host)] + request.service.referenceIdentifiers(for: request.domain)
            names += request.extraNames
            let outcome = DANE.evaluate(records: answer.records, status: answer.pathStatus, chain: request.chain,
                                        names: names, time: time, direction: request.direction, pkixStore: pkixStore)
            switch outcome.result {
            case .accepted: if accepted == nil { accepted = ("\(owner): \(outcome.reason)", outcome.matched) }
            case .rejected: rejections.append("\(owner): \(outcome.reason)")
            case .notApplicable: inapplicable.append("\(owner): \(outcome.reason)")
            }
        }
        if let (reason, record) = accepted { return (DNAAttempt(.dane, .accepted, reason), record, used) }
        if !rejections.isEmpty { return (DNAAttempt(.dane, .rejected, rejections.joined(separator: "; ")), nil, used) }
        let reason = inapplicable.isEmpty ? "no TLSA location applies" : inapplicable.joined(separator: "; ")
        return (DNAAttempt(.dane, .notApplicable, reason), nil, used)
    }

    // MARK: POSH and dialback

    private static func posh(_ request: DNARequest, _ evidence: DNAEvidence) -> (DNAAttempt, String?) {
        guard let result = evidence.posh() else {
            return (DNAAttempt(.posh, .notApplicable, "POSH is not available here (no fetcher and no document)"), nil)
        }
        switch result {
        case .failure(let error):
            return (DNAAttempt(.posh, .notApplicable, error.description), nil)
        case .success(let fetched):
            let outcome = POSH.verify(document: fetched.document, chain: request.chain, source: fetched.source)
            let mapped: DNAAttempt.Outcome = outcome.result == .accepted ? .accepted
                : outcome.result == .noMatch ? .rejected : .notApplicable
            return (DNAAttempt(.posh, mapped, outcome.reason), "POSH \(fetched.source) (expires \(fetched.expires) s)")
        }
    }

    private static func dialback(_ request: DNARequest, _ evidence: DNAEvidence) -> (DNAAttempt, DialbackStrength?) {
        guard let result = evidence.dialback else {
            return (DNAAttempt(.dialback, .notApplicable, "no dialback result was supplied"), nil)
        }
        let secure = dialbackPathIsSecure(request, evidence.names)
        let strength: DialbackStrength = secure ? .strong : .weak
        let dns = secure ? "every record that located the authoritative server (SRV, CNAME, A, AAAA) was DNSSEC-secure, so this is strong"
            : "the DNS that located the authoritative server was not proven secure, so this is weak: "
              + "it holds only as far as DNS can be trusted"
        switch result {
        case .failed:
            return (DNAAttempt(.dialback, .rejected, "the dialback key did not verify"), strength)
        case .verified where strength == .weak && !request.acceptWeakDialback:
            return (DNAAttempt(.dialback, .rejected, "dialback verified, but \(dns), and policy refuses weak dialback"), strength)
        case .verified:
            return (DNAAttempt(.dialback, .accepted, "dialback verified; \(dns)"), strength)
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
