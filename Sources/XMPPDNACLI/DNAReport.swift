import XMPPDNACore

/// The text diagnosis of a DNA verdict: the decision, what each prooftype
/// said and why, the PKI detail, and the records it rested on.
struct DNAReport {
    let verdict: DNAVerdict
    let command: VerifyCommand
    let delegationStatus: DNSSECStatus?

    var text: String {
        var pkiReport = VerdictReport(verdict: verdict, showsReferences: false, command: command)
        pkiReport.delegationStatus = delegationStatus
        let paint = pkiReport.paint
        let subject = "\(command.domain) (service \(command.service.rawValue))"
        var lines: [String] = []
        if let prooftype = verdict.prooftype {
            lines.append(paint("ACCEPTED", "1;32") + " by \(prooftype.rawValue.uppercased()): the certificate proves \(subject)")
        } else {
            lines.append(paint("REJECTED", "1;31") + ": the certificate does not prove \(subject)")
        }
        for attempt in verdict.attempts {
            lines.append("  \(attempt.prooftype.rawValue): \(outcomeName(attempt.outcome)): \(attempt.reason)")
        }
        lines.append("  PKI detail:")
        lines += pkiReport.detailLines.map { "  " + $0 }
        switch verdict.dialbackStrength {
        case .weak: lines.append("  dialback strength: weak (unsigned DNS led to the authoritative server)")
        case .strong: lines.append("  dialback strength: strong (DNSSEC-secure DNS led to the authoritative server)")
        case nil: break
        }
        for use in verdict.evidence {
            lines.append("  relied on: \(use.what)" + (use.status.map { " [\(statusName($0))]" } ?? ""))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func outcomeName(_ outcome: DNAAttempt.Outcome) -> String {
        switch outcome {
        case .accepted: return "accepted"
        case .rejected: return "REJECTED"
        case .notApplicable: return "not applicable"
        case .notTried: return "not tried"
        }
    }
}
