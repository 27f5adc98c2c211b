import XMPPDNACore
#if canImport(Glibc)
import Glibc
#endif

/// The text diagnosis for `verify`: the verdict first, then what was
/// expected, what the certificate offers, the chain and every reason.
struct VerdictReport {
    let verdict: DNAVerdict
    /// false in a DNA report, whose attempts say what was expected.
    let showsReferences: Bool
    let command: VerifyCommand
    /// The DNSSEC status of the delegation when --resolve looked it up.
    var delegationStatus: DNSSECStatus?

    private var pki: PKIVerdict { verdict.pki }

    var colour: Bool { isatty(STDOUT_FILENO) == 1 && getenv("NO_COLOR") == nil }

    func paint(_ text: String, _ code: String) -> String {
        colour ? "\u{1b}[\(code)m\(text)\u{1b}[0m" : text
    }

    var text: String {
        let subject = "\(command.domain) (service \(command.service.rawValue))"
        let headline = pki.accepted ? paint("ACCEPTED", "1;32") + ": the certificate proves \(subject)"
            : paint("REJECTED", "1;31") + ": the certificate does not prove \(subject)"
        return ([headline] + detailLines).joined(separator: "\n") + "\n"
    }

    /// Matches, expectations, what the certificate offers, the chain and the reasons.
    var detailLines: [String] {
        var lines: [String] = []
        for match in pki.matches {
            lines.append("  matched \(match.reference.type) \(match.reference.value) (presented \(match.presented.type) \(match.presented.display))")
        }
        if showsReferences {
            lines.append("  expected one of: " + pki.references.map(\.description).joined(separator: ", "))
        }
        let shown = pki.presented.filter { $0.type != .cn || command.cnFallback }
        let usable = shown.filter(\.isUsable).map { "\($0.type) \($0.display)" }
        lines.append("  certificate offers: " + (usable.isEmpty ? "no usable identifier" : usable.joined(separator: ", ")))
        for unusable in shown where !unusable.isUsable {
            lines.append("  ignored: \(unusable.type) \"\(unusable.display)\": \(unusable.problem.map { "\($0)" } ?? "unusable")")
        }
        lines.append("  chain: " + chainText)
        // An acceptance may carry notes too (identifiers that were ignored).
        let label = pki.accepted ? "note" : "reason"
        for reason in pki.reasons { lines.append("  \(label): \(reason)") }
        if !pki.accepted, let hint { lines.append("  hint: \(hint)") }
        return lines
    }

    private var chainText: String {
        switch pki.chain {
        case .valid:
            return paint("valid", "32") + " (verified against \(trustText) at \(timeText))"
        case .invalid(let code, let depth, let text):
            return paint("INVALID", "31") + " at depth \(depth): \(text) (OpenSSL error \(code); trust: \(trustText), time: \(timeText))"
        case .notChecked:
            return "not checked (--no-pkix)"
        }
    }

    private var trustText: String {
        [command.caFile, command.caDir].compactMap { $0 }.joined(separator: " and ").isEmpty
            ? "the system trust store" : [command.caFile, command.caDir].compactMap { $0 }.joined(separator: " and ")
    }

    private var timeText: String {
        var seconds = time_t(command.at ?? Int64(time(nil)))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        var buffer = [CChar](repeating: 0, count: 32)
        let count = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%SZ", &parts)
        return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The delegation case is the one operators most often meet: a hosting
    /// provider's certificate for a customer domain.
    private var hint: String? {
        guard pki.matches.isEmpty else { return nil }
        let hosts = pki.presented.filter { $0.isUsable && $0.type == .dns && !$0.display.hasPrefix("*.") }.map(\.display)
        guard let host = hosts.first else { return nil }
        if let delegation = delegationStatus {
            if delegation == .secure {
                return "\(command.domain)'s secure delegation does not name \(host); the certificate belongs to another host"
            }
            return "delegation via SRV is \(statusName(delegation)), so \(host) is not acceptable for \(command.domain): sign the zone or obtain a certificate for \(command.domain)"
        }
        return "if \(command.domain) delegates to \(host) with DNSSEC-signed SRV records, pass --name \(host) (or --resolve)"
    }
}
