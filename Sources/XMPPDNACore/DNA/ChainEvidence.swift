/// What the X.509 adapter read from a presented chain, for the pure rules:
/// the leaf's identifiers as written and the PKIX path to the trust store.
public struct ChainEvidence: Sendable {
    public let leafIdentifiers: [PresentedIdentifier]
    /// nil until the chain is verified: verification is the costly part of
    /// a verdict, and `DNAVerifier.decide` asks for it (`.needsChainPath`)
    /// only when the PKI prooftype is tried.
    public let path: PathVerification?
    /// false when the caller handed over identifiers it parsed itself: then
    /// there is no key for DANE or POSH to match.
    public let hasCertificate: Bool

    public init(leafIdentifiers: [PresentedIdentifier], path: PathVerification?, hasCertificate: Bool = true) {
        self.leafIdentifiers = leafIdentifiers
        self.path = path
        self.hasCertificate = hasCertificate
    }

    public func with(path: PathVerification) -> ChainEvidence {
        ChainEvidence(leafIdentifiers: leafIdentifiers, path: path, hasCertificate: hasCertificate)
    }

    /// The leaf's identifiers once the path's CAs have constrained them.
    public var constrainedIdentifiers: [PresentedIdentifier] {
        guard let constraints = path?.constraints, !constraints.isEmpty else { return leafIdentifiers }
        return leafIdentifiers.map { $0.constrained(by: constraints) }
    }
}
