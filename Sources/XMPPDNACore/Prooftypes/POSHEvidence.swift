/// A POSH document as fetched (or supplied), ready for the rules.
public struct POSHFetched: Hashable, Sendable {
    /// Always the fingerprints form.
    public let document: POSHDocument
    /// The URL the fingerprints came from; with a reference, both hops.
    public let source: String
    /// Seconds the result may be used: the lowest `expires` seen.
    public let expires: UInt32

    public init(document: POSHDocument, source: String, expires: UInt32) {
        self.document = document
        self.source = source
        self.expires = expires
    }
}

/// Digests of the presented leaf that POSH fingerprints are compared with,
/// computed by the X.509 adapter for the hashes a document names.
public struct LeafDigests: Hashable, Sendable {
    private var values: [POSH.Subject: [POSHHash: [UInt8]]] = [:]

    public init() {}

    public subscript(subject: POSH.Subject, hash: POSHHash) -> [UInt8]? {
        get { values[subject]?[hash] }
        set { values[subject, default: [:]][hash] = newValue }
    }
}

/// The POSH evidence for a verdict: the fetch's result, or nil when no
/// fetch was possible here, and the leaf's digests.
public struct POSHEvidence: Sendable {
    public let result: Result<POSHFetched, POSHError>?
    public let leafDigests: LeafDigests

    public init(result: Result<POSHFetched, POSHError>?, leafDigests: LeafDigests) {
        self.result = result
        self.leafDigests = leafDigests
    }
}
