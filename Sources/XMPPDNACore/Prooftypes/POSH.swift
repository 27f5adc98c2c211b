/// The POSH prooftype (RFC 7711, as RFC 7712 uses it): does the presented
/// end-entity certificate match a fingerprint the domain published over
/// PKIX-verified HTTPS? Pure: the document comes from the caller or from
/// `POSHFetcher`.
public struct POSHOutcome: Hashable, Sendable {
    public enum Result: Hashable, Sendable {
        /// No document, or one that could not be used: other prooftypes decide.
        case notApplicable
        case accepted
        /// A document exists and no fingerprint matches the certificate.
        case noMatch
    }

    public let result: Result
    public let finding: DNAFinding
    public var reason: String { finding.text }
    /// Where the fingerprints came from (after any `url` hop), if known.
    public var source: String? { finding.subject }
}

public enum POSH {
    /// What a fingerprint is compared with. RFC 7711 section 3.1 hashes the
    /// DER certificate; a digest of the SubjectPublicKeyInfo (as in TLSA
    /// selector 1) is accepted too, so a key kept across renewals still
    /// matches. Both bind the presented key, which the TLS handshake proved.
    public enum Subject: String, CaseIterable, Hashable, Sendable {
        case certificate = "certificate"
        case publicKey = "public key"
    }

    /// The hashes whose digests `verify` compares: each fingerprint's strongest.
    public static func hashesNeeded(_ document: POSHDocument) -> Set<POSHHash> {
        guard case .fingerprints(let fingerprints) = document.body else { return [] }
        return Set(fingerprints.compactMap { $0.strongest?.hash })
    }

    /// `digests` holds the presented leaf's digests for `hashesNeeded`; an
    /// empty chain comes with `hasLeaf` false.
    public static func verify(document: POSHDocument, digests: LeafDigests, hasLeaf: Bool,
                              source: String? = nil) -> POSHOutcome {
        func outcome(_ result: POSHOutcome.Result, _ code: DNAFindingCode, expected: String? = nil, seen: String? = nil,
                     detail: String? = nil) -> POSHOutcome {
            POSHOutcome(result: result, finding: DNAFinding(code, .posh, subject: source, expected: expected, seen: seen,
                                                            detail: detail))
        }
        guard case .fingerprints(let fingerprints) = document.body else {
            return outcome(.notApplicable, .poshReferenceUnfetched, seen: "\(document.body)")
        }
        guard hasLeaf else { return outcome(.noMatch, .noCertificate) }
        for (index, fingerprint) in fingerprints.enumerated() {
            guard let (hash, digest) = fingerprint.strongest else { continue }
            for subject in [Subject.certificate, .publicKey] {
                guard let actual = digests[subject, hash] else { continue }
                if constantTimeEqual(actual, digest) {
                    return outcome(.accepted, .poshMatched, expected: hash.rawValue, seen: subject.rawValue, detail: "\(index)")
                }
            }
        }
        let published = fingerprints.compactMap { $0.strongest?.hash.rawValue }
        return outcome(.noMatch, .poshMismatch, expected: published.joined(separator: ", "))
    }
}
