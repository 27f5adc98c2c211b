/// What DANE verification of a chain against usable TLSA records found
/// (OpenSSL's DANE code, run by the X.509 adapter): the matched record, or
/// why nothing matched.
public enum DANECheck: Hashable, Sendable {
    case matched(DANEMatch)
    /// The chain is fine, but no certificate of it matches any record.
    case noMatch
    /// Verification failed for another reason (a PKIX failure under usage 0/1…).
    case failed(ChainStatus)
}

public struct DANEMatch: Hashable, Sendable {
    public let record: TLSARecord
    /// 0 for the leaf; for a trust anchor, its depth on the built path.
    public let depth: Int
    /// The name constraints of the CAs on the built path.
    public let constraints: [NameConstraints]

    public init(record: TLSARecord, depth: Int, constraints: [NameConstraints]) {
        self.record = record
        self.depth = depth
        self.constraints = constraints
    }
}
