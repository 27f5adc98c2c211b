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
    /// What led to the outcome, at least one.
    public let findings: [DNAFinding]

    public init(_ prooftype: Prooftype, _ outcome: Outcome, _ findings: [DNAFinding]) {
        self.prooftype = prooftype
        self.outcome = outcome
        self.findings = findings
    }

    public init(_ prooftype: Prooftype, _ outcome: Outcome, _ finding: DNAFinding) {
        self.init(prooftype, outcome, [finding])
    }

    /// The findings' text, for people and logs.
    public var reason: String { findings.map(\.text).joined(separator: "; ") }
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
