/// The RFC 7712 verdict: accepted or not, by which prooftype, what every
/// prooftype said, which names matched, and every record it relied on.
public struct DNAVerdict: Sendable {
    public let accepted: Bool
    public let domain: DNSName
    public let direction: PeerDirection
    /// The prooftype that accepted; nil when rejected.
    public let prooftype: Prooftype?
    /// One entry per requested prooftype, in the requested order.
    public let attempts: [DNAAttempt]
    /// The PKI name check: which reference matched which presented identifier.
    public let pki: PKIVerdict
    /// The DANE record that matched, if DANE accepted.
    public let tlsaMatch: TLSARecord?
    public let dialbackStrength: DialbackStrength?
    public let evidence: [DNAEvidenceUse]

    /// One line for logs: the deciding reason.
    public var summary: String {
        if let prooftype, let attempt = attempts.first(where: { $0.prooftype == prooftype }) {
            return "accepted by \(prooftype.rawValue): \(attempt.reason)"
        }
        if let dane = attempts.first(where: { $0.prooftype == .dane && $0.outcome == .rejected }) {
            return "rejected by DANE: \(dane.reason)"
        }
        return "rejected: " + attempts.map { "\($0.prooftype.rawValue): \($0.reason)" }.joined(separator: "; ")
    }
}
