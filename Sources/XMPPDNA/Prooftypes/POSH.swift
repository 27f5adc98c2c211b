import CXMPPDNAShim

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
    public let reason: String
    /// Where the fingerprints came from (after any `url` hop), if known.
    public let source: String?
}

public enum POSH {
    /// What a fingerprint is compared with. RFC 7711 section 3.1 hashes the
    /// DER certificate; a digest of the SubjectPublicKeyInfo (as in TLSA
    /// selector 1) is accepted too, so a key kept across renewals still
    /// matches. Both bind the presented key, which the TLS handshake proved.
    public enum Subject: String, Hashable, Sendable {
        case certificate = "certificate"
        case publicKey = "public key"
    }

    public static func verify(document: POSHDocument, chain: [Certificate], source: String? = nil) -> POSHOutcome {
        func outcome(_ result: POSHOutcome.Result, _ reason: String) -> POSHOutcome {
            POSHOutcome(result: result, reason: reason, source: source)
        }
        guard case .fingerprints(let fingerprints) = document.body else {
            return outcome(.notApplicable, "the document is a reference to \(document.body); fetch it first")
        }
        guard let leaf = chain.first else { return outcome(.noMatch, "no certificate was presented") }
        let subjects: [(Subject, [UInt8]?)] = [(.certificate, leaf.der),
                                               (.publicKey, leaf.associationBytes(.subjectPublicKeyInfo))]
        for (index, fingerprint) in fingerprints.enumerated() {
            guard let (hash, digest) = fingerprint.strongest else { continue }
            for case let (subject, bytes?) in subjects {
                guard let actual = Certificate.digest(bytes, hash.evp) else { continue }
                if Certificate.constantTimeEqual(actual, digest) {
                    return outcome(.accepted, "the presented \(subject.rawValue) matches \(hash.rawValue) fingerprint \(index)"
                                   + (source.map { " of \($0)" } ?? ""))
                }
            }
        }
        let published = fingerprints.compactMap { $0.strongest?.hash.rawValue }
        return outcome(.noMatch, "the presented certificate matches none of the \(published.count) published fingerprints ("
                       + published.joined(separator: ", ") + ")" + (source.map { " of \($0)" } ?? ""))
    }
}

extension POSHHash {
    var evp: OpaquePointer? {
        switch self {
        case .sha256: return EVP_sha256()
        case .sha384: return EVP_sha384()
        case .sha512: return EVP_sha512()
        }
    }
}
