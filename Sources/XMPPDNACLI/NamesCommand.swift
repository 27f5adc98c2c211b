import ArgumentParser
import CXMPPDNA

struct NamesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "names",
        abstract: "Show the names a domain's certificate may carry: its DNSSEC-secured SRV delegation.",
        discussion: """
        Looks up the xmpp-* and XEP-0368 xmpps-* SRV records of DOMAIN, their CNAME, A and AAAA records, with
        DNSSEC, and prints the acceptable name list L (each entry with the record behind it and its status)
        and the connection candidates in connection order.

        Exit codes: 0 secure (a proven delegation, or a proven absence of SRV records), 3 insecure,
        4 bogus, 5 network failure or no usable answer, 2 bad input or usage.
        """
    )

    @Argument(help: "The XMPP domain.")
    var domain: String

    @Option(help: "The service to look up.")
    var service: ServiceOption = .xmppServer

    @OptionGroup var resolver: ResolverOptions

    @Option(help: "Validate DNSSEC signatures at this time (seconds since the Unix epoch) instead of now.")
    var at: Int64?

    @Flag(help: "Print the result as JSON on standard output.")
    var json = false

    func run() throws {
        do {
            let names = try NameLookup.run(domain: domain, service: service, resolver: resolver, at: at)
            if json {
                guard let document = names.json else { throw InputError("cannot render the names as JSON") }
                print(document)
            } else {
                print(NamesReport(names: names, domain: domain, service: service).text, terminator: "")
            }
            throw ExitCode(names.exitStatus)
        } catch let error as InputError {
            FileHandleOutput.standardError("xmppdna: error: \(error)")
            throw ExitCode(ExitStatus.badInput)
        }
    }
}

enum NameLookup {
    static func run(domain: String, service: ServiceOption, resolver: ResolverOptions, at: Int64?,
                    context: Context? = nil) throws -> Names {
        let context = try context ?? Context()
        try resolver.configure(context)
        if let at {
            let rc = xmppdna_ctx_set_time(context.pointer, at)
            guard rc == XMPPDNA_OK else { throw InputError(code: rc, "invalid --at \(at)") }
        }
        var out: OpaquePointer?
        let rc = xmppdna_names_lookup(context.pointer, domain, service.code, &out)
        guard rc == XMPPDNA_OK, let out else { throw InputError(code: rc, "cannot look up \(domain)") }
        return Names(owning: out)
    }
}

final class Names {
    let pointer: OpaquePointer
    init(owning pointer: OpaquePointer) { self.pointer = pointer }
    deinit { xmppdna_names_free(pointer) }

    var status: Int32 { xmppdna_names_status(pointer) }
    var kind: Int32 { xmppdna_names_kind(pointer) }
    var reason: String? { xmppdna_names_reason(pointer, nil).map { String(cString: $0) } }

    var entries: [(type: Int32, value: String, status: Int32, source: String)] {
        (0..<xmppdna_names_count(pointer)).compactMap { i in
            var type: Int32 = 0, status: Int32 = 0
            var value: UnsafePointer<CChar>?, source: UnsafePointer<CChar>?
            guard xmppdna_names_get(pointer, i, &type, &value, &status, &source) == XMPPDNA_OK,
                  let value, let source else { return nil }
            return (type, String(cString: value), status, String(cString: source))
        }
    }

    var candidates: [(host: String, port: Int32, directTLS: Bool, status: Int32)] {
        (0..<xmppdna_names_candidate_count(pointer)).compactMap { i in
            var host: UnsafePointer<CChar>?
            var port: Int32 = 0, direct: Int32 = 0, status: Int32 = 0
            guard xmppdna_names_candidate(pointer, i, &host, &port, &direct, &status) == XMPPDNA_OK, let host else { return nil }
            return (String(cString: host), port, direct == 1, status)
        }
    }

    var json: String? {
        var out: UnsafeMutablePointer<CChar>?
        guard xmppdna_names_json(pointer, &out) == XMPPDNA_OK, let out else { return nil }
        defer { xmppdna_free(out) }
        return String(cString: out)
    }

    /// The domain's own identifiers plus every name its secure delegation adds.
    func references() throws -> References {
        var out: OpaquePointer?
        let rc = xmppdna_names_refs(pointer, &out)
        guard rc == XMPPDNA_OK, let out else { throw InputError(code: rc, "cannot build references") }
        return References(owning: out)
    }

    var exitStatus: Int32 {
        switch status {
        case XMPPDNA_DNSSEC_SECURE: return 0
        case XMPPDNA_DNSSEC_INSECURE: return 3
        case XMPPDNA_DNSSEC_BOGUS: return 4
        default: return 5
        }
    }
}

func statusName(_ status: Int32) -> String {
    switch status {
    case XMPPDNA_DNSSEC_SECURE: return "secure"
    case XMPPDNA_DNSSEC_INSECURE: return "insecure"
    case XMPPDNA_DNSSEC_BOGUS: return "BOGUS"
    case XMPPDNA_DNSSEC_INDETERMINATE: return "indeterminate"
    default: return "given"
    }
}

struct NamesReport {
    let names: Names
    let domain: String
    let service: ServiceOption

    var text: String {
        var lines: [String] = []
        let kind: String
        switch names.kind {
        case XMPPDNA_NAMES_NO_SRV: kind = "no SRV records: connect to the domain itself"
        case XMPPDNA_NAMES_UNAVAILABLE: kind = "the service is decidedly not offered (SRV target \".\")"
        default: kind = "SRV records found"
        }
        let mode = xmppdna_names_trust_mode(names.pointer) == XMPPDNA_TRUST_AD
            ? "AD bit of a trusted resolver" : "validated here"
        lines.append("\(domain) (\(service.rawValue)): \(statusName(names.status)) (\(mode)); \(kind)")
        if let reason = names.reason { lines.append("  reason: \(reason)") }
        lines.append("  acceptable names:")
        for entry in names.entries {
            lines.append("    \(entry.value)  [\(statusName(entry.status))]  from \(entry.source)")
        }
        if names.status == XMPPDNA_DNSSEC_INSECURE {
            lines.append("  note: the delegation is not signed, so only \(domain) itself is acceptable; sign the zone to delegate")
        }
        lines.append("  connection candidates:")
        if names.candidates.isEmpty { lines.append("    (none)") }
        for candidate in names.candidates {
            lines.append("    \(candidate.host):\(candidate.port)\(candidate.directTLS ? " (direct TLS)" : "")  [\(statusName(candidate.status))]")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
