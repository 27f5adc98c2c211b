/// What chain verification found for a presented chain: its status and the
/// name constraints of every CA on the verified path. The X.509 adapter
/// computes it; the pure rules constrain the leaf's names by it.
public struct PathVerification: Hashable, Sendable {
    public let status: ChainStatus
    public let constraints: [NameConstraints]

    public init(status: ChainStatus, constraints: [NameConstraints]) {
        self.status = status
        self.constraints = constraints
    }

    public static func failed(_ status: ChainStatus) -> PathVerification {
        PathVerification(status: status, constraints: [])
    }

    /// For callers that skip chain verification (names only).
    public static let notChecked = PathVerification(status: .notChecked, constraints: [])
}
