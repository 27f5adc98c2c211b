/// One prooftype's part in a DNA verdict.
public struct DNAAttempt: Hashable, Sendable {
    public enum Outcome: String, Hashable, Sendable {
        case accepted
        /// This prooftype speaks against the peer. Only a DANE rejection
        /// ends the verdict; the others leave the rest to decide.
        case rejected
        /// No evidence for this prooftype (no secure TLSA, no POSH document…).
        case notApplicable = "not_applicable"
        /// Not needed: an earlier prooftype already accepted.
        case notTried = "not_tried"
    }

    public let prooftype: Prooftype
    public let outcome: Outcome
    public let reason: String

    public init(_ prooftype: Prooftype, _ outcome: Outcome, _ reason: String) {
        self.prooftype = prooftype
        self.outcome = outcome
        self.reason = reason
    }
}

/// A DNS record (or POSH document) a verdict relied on, with its status.
public struct DNAEvidenceUse: Hashable, Sendable {
    public let what: String
    /// nil for non-DNS evidence (a POSH document, a record the caller gave).
    public let status: DNSSECStatus?

    public init(_ what: String, _ status: DNSSECStatus?) {
        self.what = what
        self.status = status
    }
}
