import XMPPDNA
#if canImport(Glibc)
import Glibc
import XMPPDNACore
import XMPPDNAOpenSSL
import XMPPDNAResolver
import XMPPDNANet
#endif

/// The text form of `xmppdna check`: DNS first, then each endpoint with
/// its diagnosis, then a one-line summary. Colour only on a terminal.
struct CheckText {
    let report: CheckReport

    private var colour: Bool { isatty(STDOUT_FILENO) == 1 && getenv("NO_COLOR") == nil }

    private func paint(_ text: String, _ code: String) -> String {
        colour ? "\u{1b}[\(code)m\(text)\u{1b}[0m" : text
    }

    private func status(_ status: DNSSECStatus) -> String {
        switch status {
        case .secure: return paint("secure", "32")
        case .insecure: return paint("insecure", "33")
        case .bogus: return paint("BOGUS", "31")
        case .indeterminate: return paint("indeterminate", "33")
        }
    }

    var text: String {
        let names = report.names
        var lines = ["\(report.domain.text) (\(report.service.label)): DNS \(status(names.status))"]
        if case .bogus(let reason) = names.status { lines.append("  reason: \(reason)") }
        lines.append("DNS records:")
        var shown = Set<String>()
        for candidate in names.candidates {
            for record in candidate.records where shown.insert(record.record).inserted {
                lines.append("  \(record.record)  [\(status(record.status))]")
            }
        }
        for record in report.refused { lines.append("  \(record.record)  [\(status(record.status)), refused]") }
        for owner in report.tlsa.keys.sorted() {
            let answer = report.tlsa[owner]!
            for link in answer.cnames { lines.append("  CNAME \(link.owner) \(link.target)  [\(status(link.status))]") }
            if answer.records.isEmpty { lines.append("  TLSA \(owner): none  [\(status(answer.pathStatus))]") }
            for record in answer.records { lines.append("  TLSA \(owner) \(record)  [\(status(answer.pathStatus))]") }
        }
        lines.append("  acceptable names: " + names.acceptableNames.map(\.text).joined(separator: ", "))
        if let problem = report.dnsProblem { lines.append(paint("  \(problem)", "31")) }
        if !report.endpoints.isEmpty { lines.append("Endpoints:") }
        for endpoint in report.endpoints {
            switch endpoint.outcome {
            case .unreachable:
                lines.append("  " + paint("UNREACHABLE", "31") + " \(endpoint.label)")
            case .probed(let probe, let verdict):
                let word = verdict.accepted ? paint("VERIFIED", "1;32") : paint("FAILED", "1;31")
                lines.append("  \(word) \(endpoint.label): \(probe.tlsVersion) \(probe.cipher)"
                             + (probe.alpn.map { " ALPN \($0)" } ?? ""))
                if let leaf = probe.chain.first {
                    let offered = leaf.presentedIdentifiers.filter(\.isUsable).map(\.description).joined(separator: ", ")
                    lines.append("    certificate: \(offered.isEmpty ? "no usable identifier" : offered)")
                }
            }
            for sentence in report.diagnosis(endpoint) { lines.append("    \(sentence)") }
        }
        let verified = report.endpoints.filter(\.verified).count
        let summary = "\(verified) of \(report.endpoints.count) endpoints verified"
        switch report.status {
        case .allVerified: lines.append(paint("OK: \(summary)", "1;32"))
        case .noneReachable: lines.append(paint("FAILED: no endpoint reachable (\(summary))", "1;31"))
        default: lines.append(paint("FAILED: \(summary)", "1;31"))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
