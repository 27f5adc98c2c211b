/// The DANE prooftype (RFC 6698, RFC 7671, and RFC 7673 for SRV targets):
/// does the presented chain match the TLSA records of the endpoint?
public struct DANEOutcome: Hashable, Sendable {
    public enum Result: Hashable, Sendable {
        /// No secure, usable TLSA: other prooftypes decide.
        case notApplicable
        case accepted
        /// Secure TLSA that no certificate matches, or bogus TLSA: the
        /// connection fails; there is no PKIX fallback.
        case rejected
    }

    public let result: Result
    public let reason: String
    /// The record that matched, if any.
    public let matched: TLSARecord?
    /// The records considered after dropping unusable ones and weaker digests.
    public let usable: [TLSARecord]
    public let status: DNSSECStatus
}

public enum DANE {
    /// Evaluates `records` (with the DNSSEC status of their RRset) against a
    /// chain, leaf first. `names` are the identifiers a DANE-TA or PKIX
    /// usage must find in the leaf: per RFC 7673 the SRV target and the
    /// source domain. `pkix` verifies the chain against the PKIX trust
    /// store, for usages 0 and 1.
    public static func evaluate(records: [TLSARecord], status: DNSSECStatus, chain: [Certificate],
                                names: [ReferenceIdentifier], time: Int64?, direction: PeerDirection,
                                pkix: () -> ChainStatus) -> DANEOutcome {
        let usable = TLSARecord.usable(records)
        func outcome(_ result: DANEOutcome.Result, _ reason: String, _ matched: TLSARecord? = nil) -> DANEOutcome {
            DANEOutcome(result: result, reason: reason, matched: matched, usable: usable, status: status)
        }
        switch status {
        case .bogus(let why):
            return outcome(.rejected, "the TLSA records are bogus: \(why)")
        case .insecure:
            return outcome(.notApplicable, "the TLSA records are not DNSSEC-signed, so DANE does not apply")
        case .indeterminate(let why):
            return outcome(.notApplicable, "no TLSA answer (\(why)), so DANE does not apply")
        case .secure:
            break
        }
        guard let leaf = chain.first else { return outcome(.rejected, "no certificate was presented") }
        guard !usable.isEmpty else {
            return outcome(.notApplicable, records.isEmpty ? "no TLSA records" : "no usable TLSA record (unknown parameters or bad digest lengths)")
        }
        let nameMatches = !IdentityMatcher().matches(references: names, presented: leaf.presentedIdentifiers).isEmpty
        var failures: [String] = []
        for record in usable {
            switch record.usage! {
            case .daneEE:
                // RFC 7671 section 5.1: the key is the identity; no name or expiry check.
                if leaf.matches(record) { return outcome(.accepted, "the leaf matches TLSA \(record) (DANE-EE)", record) }
            case .pkixEE:
                guard leaf.matches(record) else { continue }
                let chainStatus = pkix()
                if chainStatus == .valid && nameMatches {
                    return outcome(.accepted, "the leaf matches TLSA \(record) and passes PKIX (PKIX-EE)", record)
                }
                failures.append("TLSA \(record) matches the leaf, but \(chainStatus == .valid ? "no name matches" : "PKIX validation fails")")
            case .daneTA:
                guard let anchor = trustAnchor(for: record, in: chain) else { continue }
                guard nameMatches else {
                    failures.append("TLSA \(record) matches a trust anchor, but the leaf names none of \(names.map(\.value))")
                    continue
                }
                let anchored = (try? TrustStore(anchors: [anchor])).map {
                    ChainVerifier.verify(chain, store: $0, time: time, direction: direction)
                } ?? .invalid(code: 0, depth: 0, text: "cannot build a store")
                if anchored == .valid { return outcome(.accepted, "the chain builds to the trust anchor of TLSA \(record) (DANE-TA)", record) }
                if case .invalid(_, _, let text) = anchored {
                    failures.append("TLSA \(record) matches a trust anchor, but the chain does not verify up to it: \(text)")
                }
            case .pkixTA:
                guard chain.dropFirst().contains(where: { $0.matches(record) }) else { continue }
                let chainStatus = pkix()
                if chainStatus == .valid && nameMatches {
                    return outcome(.accepted, "the chain contains the CA of TLSA \(record) and passes PKIX (PKIX-TA)", record)
                }
                failures.append("TLSA \(record) matches a CA of the chain, but \(chainStatus == .valid ? "no name matches" : "PKIX validation fails")")
            }
        }
        let detail = failures.isEmpty ? "no certificate of the chain matches any of them" : failures.joined(separator: "; ")
        return outcome(.rejected, "secure TLSA records exist (\(usable.map(\.description).joined(separator: ", "))) and \(detail)")
    }

    /// The certificate a DANE-TA record designates: one of the chain, or,
    /// for a full-certificate record, the certificate in the record itself.
    private static func trustAnchor(for record: TLSARecord, in chain: [Certificate]) -> Certificate? {
        if let match = chain.first(where: { $0.matches(record) }) { return match }
        if record.selector == .fullCertificate, record.matchingType == .exact {
            return try? Certificate(der: record.data)
        }
        return nil
    }
}
