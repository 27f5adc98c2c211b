import CXMPPDNA
#if canImport(Glibc)
import Glibc
#endif

/// The text diagnosis for `verify`: the verdict first, then what was
/// expected, what the certificate offers, the chain and every reason.
struct VerdictReport {
    let verdict: Verdict
    /// nil in a DNA report, whose attempts say what was expected.
    let references: References?
    let command: VerifyCommand
    /// The DNSSEC status of the delegation when --resolve looked it up.
    var delegationStatus: Int32?

    var colour: Bool { isatty(STDOUT_FILENO) == 1 && getenv("NO_COLOR") == nil }

    func paint(_ text: String, _ code: String) -> String {
        colour ? "\u{1b}[\(code)m\(text)\u{1b}[0m" : text
    }

    var text: String {
        let subject = "\(command.domain) (service \(command.service.rawValue))"
        let headline = verdict.accepted ? paint("ACCEPTED", "1;32") + ": the certificate proves \(subject)"
            : paint("REJECTED", "1;31") + ": the certificate does not prove \(subject)"
        return ([headline] + detailLines).joined(separator: "\n") + "\n"
    }

    /// Matches, expectations, what the certificate offers, the chain and the reasons.
    var detailLines: [String] {
        var lines: [String] = []
        for match in verdict.matches {
            lines.append("  matched \(identifierName(match.refType)) \(match.ref) (presented \(identifierName(match.presentedType)) \(match.presented))")
        }
        if let references {
            let expected = references.entries.map { "\(identifierName($0.type)) \($0.value)" }
            lines.append("  expected one of: " + expected.joined(separator: ", "))
        }
        let presented = verdict.presented
        let usable = presented.filter { $0.usable && ($0.type != XMPPDNA_ID_CN || command.cnFallback) }.map { "\(identifierName($0.type)) \($0.value)" }
        lines.append("  certificate offers: " + (usable.isEmpty ? "no usable identifier" : usable.joined(separator: ", ")))
        for unusable in presented where !unusable.usable && (unusable.type != XMPPDNA_ID_CN || command.cnFallback) {
            lines.append("  ignored: \(identifierName(unusable.type)) \"\(unusable.value)\": \(unusable.problem ?? "unusable")")
        }
        lines.append("  chain: " + chainText)
        // An acceptance may carry notes too (identifiers that were ignored).
        let label = verdict.accepted ? "note" : "reason"
        for reason in verdict.reasons { lines.append("  \(label): \(reason)") }
        if !verdict.accepted, let hint { lines.append("  hint: \(hint)") }
        return lines
    }

    private var chainText: String {
        switch verdict.chainStatus {
        case XMPPDNA_CHAIN_VALID:
            return paint("valid", "32") + " (verified against \(trustText) at \(timeText))"
        case XMPPDNA_CHAIN_INVALID:
            let error = verdict.chainError
            return paint("INVALID", "31") + " at depth \(error?.depth ?? 0): \(error?.text ?? "unknown error") (OpenSSL error \(error?.code ?? 0); trust: \(trustText), time: \(timeText))"
        default:
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
        guard verdict.matches.isEmpty else { return nil }
        let hosts = verdict.presented.filter { $0.usable && $0.type == XMPPDNA_ID_DNS && !$0.value.hasPrefix("*.") }.map(\.value)
        guard let host = hosts.first else { return nil }
        if let delegation = delegationStatus {
            if delegation == XMPPDNA_DNSSEC_SECURE {
                return "\(command.domain)'s secure delegation does not name \(host); the certificate belongs to another host"
            }
            return "delegation via SRV is \(statusName(delegation)), so \(host) is not acceptable for \(command.domain): sign the zone or obtain a certificate for \(command.domain)"
        }
        return "if \(command.domain) delegates to \(host) with DNSSEC-signed SRV records, pass --name \(host) (or --resolve)"
    }
}
