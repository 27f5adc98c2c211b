import CXMPPDNA

/// The text diagnosis of a DNA verdict: the decision, what each prooftype
/// said and why, the PKI detail, and the records it rested on.
struct DNAReport {
    let verdict: DNAVerdict
    let command: VerifyCommand
    let delegationStatus: Int32?

    var text: String {
        var pkiReport = verdict.pki.map { VerdictReport(verdict: $0, references: nil, command: command) }
        pkiReport?.delegationStatus = delegationStatus
        let paint = pkiReport?.paint ?? { text, _ in text }
        let subject = "\(command.domain) (service \(command.service.rawValue))"
        var lines: [String] = []
        if let prooftype = verdict.prooftype {
            lines.append(paint("ACCEPTED", "1;32") + " by \(prooftype.uppercased()): the certificate proves \(subject)")
        } else {
            lines.append(paint("REJECTED", "1;31") + ": the certificate does not prove \(subject)")
        }
        for attempt in verdict.attempts {
            lines.append("  \(attempt.prooftype): \(outcomeName(attempt.outcome)): \(attempt.reason)")
        }
        if let pkiReport {
            lines.append("  PKI detail:")
            lines += pkiReport.detailLines.map { "  " + $0 }
        }
        if verdict.dialbackStrength == XMPPDNA_DIALBACK_WEAK {
            lines.append("  dialback strength: weak (unsigned DNS led to the authoritative server)")
        } else if verdict.dialbackStrength == XMPPDNA_DIALBACK_STRONG {
            lines.append("  dialback strength: strong (DNSSEC-secure DNS led to the authoritative server)")
        }
        for use in verdict.evidence {
            lines.append("  relied on: \(use.what)" + (use.status >= 0 ? " [\(statusName(use.status))]" : ""))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func outcomeName(_ outcome: Int32) -> String {
        switch outcome {
        case XMPPDNA_ATTEMPT_ACCEPTED: return "accepted"
        case XMPPDNA_ATTEMPT_REJECTED: return "REJECTED"
        case XMPPDNA_ATTEMPT_NOT_APPLICABLE: return "not applicable"
        default: return "not tried"
        }
    }
}
