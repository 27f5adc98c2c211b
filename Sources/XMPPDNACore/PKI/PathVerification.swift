/// What chain verification found for a presented chain: its status and the
/// name constraints of every CA on the verified path. The X.509 adapter
/// computes it; the pure rules constrain the leaf's names by it.
public struct PathVerification: Hashable, Sendable {
    public let status: ChainStatus
    public let constraints: [NameConstraints]
    /// For a valid path: from the latest notBefore to the earliest notAfter
    /// of its certificates, the times at which the same path is valid.
    public let validity: ClosedRange<Int64>?
    /// true when this is an earlier verification of the same chain, reused.
    public let reused: Bool

    public init(status: ChainStatus, constraints: [NameConstraints], validity: ClosedRange<Int64>? = nil, reused: Bool = false) {
        self.status = status
        self.constraints = constraints
        self.validity = validity
        self.reused = reused
    }

    public static func failed(_ status: ChainStatus) -> PathVerification {
        PathVerification(status: status, constraints: [])
    }

    public func asReused() -> PathVerification {
        PathVerification(status: status, constraints: constraints, validity: validity, reused: true)
    }

    /// For callers that skip chain verification (names only).
    public static let notChecked = PathVerification(status: .notChecked, constraints: [])
}
