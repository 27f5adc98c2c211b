import ArgumentParser
import XMPPDNA
import XMPPDNACore
import XMPPDNAIO

struct NamesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "names",
        abstract: "Show the names a domain's certificate may carry: its DNSSEC-secured SRV delegation.",
        discussion: """
        Looks up the xmpp-* and XEP-0368 xmpps-* SRV records of DOMAIN, their CNAME, A and AAAA records, with \
        DNSSEC, and prints the acceptable name list L (each entry with the record behind it and its status) \
        and the connection candidates in connection order.

        Exit codes: 0 secure (a proven delegation, or a proven absence of SRV records), 3 insecure, \
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
                print(names.json)
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
    /// The name list of `domain`, looked up through `context` (made and
    /// configured from the options when not given).
    static func run(domain: String, service: ServiceOption, resolver: ResolverOptions, at: Int64?,
                    context: XMPPDNAContext? = nil) throws -> NameList {
        let context = try context ?? makeContext()
        try resolver.configure(context)
        if let at { context.pki.update { $0.time = at } }
        guard let name = try? DNSName(domain), !IPAddress.looksLikeAddress(domain) else { throw InputError("invalid domain \"\(domain)\"") }
        let result = blockingWait { () async -> Result<NameList, ContextError> in
            do throws(ContextError) { return .success(try await context.nameList(for: name, service: service.service)) } catch { return .failure(error) }
        }
        switch result {
        case .success(let list): return list
        case .failure(let error): throw InputError("cannot look up \(domain): \(error)")
        }
    }
}

extension NameList {
    var exitStatus: Int32 {
        switch status {
        case .secure: return 0
        case .insecure: return 3
        case .bogus: return 4
        case .indeterminate: return 5
        }
    }
}

func statusName(_ status: DNSSECStatus?) -> String {
    switch status {
    case .secure: return "secure"
    case .insecure: return "insecure"
    case .bogus: return "BOGUS"
    case .indeterminate: return "indeterminate"
    case nil: return "given"
    }
}

struct NamesReport {
    let names: NameList
    let domain: String
    let service: ServiceOption

    var text: String {
        var lines: [String] = []
        let kind: String
        switch names.kind {
        case .noSRV: kind = "no SRV records: connect to the domain itself"
        case .serviceUnavailable: kind = "the service is decidedly not offered (SRV target \".\")"
        case .srv: kind = "SRV records found"
        }
        let mode = names.trustMode == "trust-ad" ? "AD bit of a trusted resolver" : "validated here"
        lines.append("\(domain) (\(service.rawValue)): \(statusName(names.status)) (\(mode)); \(kind)")
        switch names.status {
        case .bogus(let reason): lines.append("  reason: \(reason)")
        case .indeterminate(let why): lines.append("  reason: \(why)")
        default: break
        }
        lines.append("  acceptable names:")
        for entry in names.acceptableNames {
            lines.append("    \(entry.text)  [\(statusName(entry.status))]  from \(entry.source)")
        }
        if names.status == .insecure {
            lines.append("  note: the delegation is not signed, so only \(domain) itself is acceptable; sign the zone to delegate")
        }
        lines.append("  connection candidates:")
        if names.candidates.isEmpty { lines.append("    (none)") }
        for candidate in names.candidates {
            lines.append("    \(candidate.host.text):\(candidate.port)\(candidate.directTLS ? " (direct TLS)" : "")  [\(statusName(candidate.status))]")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
