/// What the X.509 adapter read from a presented chain, for the pure rules:
/// the leaf's identifiers as written and the PKIX path to the trust store.
public struct ChainEvidence: Sendable {
    public let leafIdentifiers: [PresentedIdentifier]
    public let path: PathVerification
    /// false when the caller handed over identifiers it parsed itself: then
    /// there is no key for DANE or POSH to match.
    public let hasCertificate: Bool

    public init(leafIdentifiers: [PresentedIdentifier], path: PathVerification, hasCertificate: Bool = true) {
        self.leafIdentifiers = leafIdentifiers
        self.path = path
        self.hasCertificate = hasCertificate
    }

    /// The leaf's identifiers once the path's CAs have constrained them.
    public var constrainedIdentifiers: [PresentedIdentifier] {
        path.constraints.isEmpty ? leafIdentifiers : leafIdentifiers.map { $0.constrained(by: path.constraints) }
    }
}
