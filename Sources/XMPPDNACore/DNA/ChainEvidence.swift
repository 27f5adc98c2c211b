/// What the X.509 adapter read from a presented chain, for the pure rules:
/// the leaf's identifiers as written and the PKIX path to the trust store.
public struct ChainEvidence: Sendable {
    public let leafIdentifiers: [PresentedIdentifier]
    public let path: PathVerification

    public init(leafIdentifiers: [PresentedIdentifier], path: PathVerification) {
        self.leafIdentifiers = leafIdentifiers
        self.path = path
    }

    /// The leaf's identifiers once the path's CAs have constrained them.
    public var constrainedIdentifiers: [PresentedIdentifier] {
        leafIdentifiers.map { $0.constrained(by: path.constraints) }
    }
}
