import ArgumentParser
import CXMPPDNA
#if canImport(Glibc)
import Glibc
#endif

enum ServiceOption: String, ExpressibleByArgument, CaseIterable {
    case xmppServer = "xmpp-server"
    case xmppClient = "xmpp-client"
    case xmppsServer = "xmpps-server"
    case xmppsClient = "xmpps-client"

    var code: Int32 {
        switch self {
        case .xmppClient: return XMPPDNA_SERVICE_XMPP_CLIENT
        case .xmppServer: return XMPPDNA_SERVICE_XMPP_SERVER
        case .xmppsClient: return XMPPDNA_SERVICE_XMPPS_CLIENT
        case .xmppsServer: return XMPPDNA_SERVICE_XMPPS_SERVER
        }
    }
}

enum DirectionOption: String, ExpressibleByArgument, CaseIterable {
    case outbound, inbound
}

enum DialbackOption: String, ExpressibleByArgument, CaseIterable {
    case verified, failed
}

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check whether a certificate chain proves an XMPP domain.",
        discussion: """
        The chain is PEM (leaf first, then intermediates) or one DER certificate; "-" reads standard input.
        Names follow RFC 6120 section 13.7.2 with RFC 9525 matching: DNS-ID, SRV-ID for the service,
        XmppAddr, and any --name given (a host the domain delegates to with DNSSEC-signed SRV records).

        Alone, verify runs the PKI prooftype. With --resolve, --tlsa, --prooftypes, --endpoint or
        --posh-url-base it gives the full RFC 7712 verdict: DANE (TLSA records; a secure mismatch rejects),
        PKI with the DNSSEC-delegated names, POSH (fetched over HTTPS), in the order of --prooftypes.

        Exit codes: 0 accepted, 1 rejected, 2 bad input or usage.
        """
    )

    @Argument(help: "The presented chain: a PEM file (leaf first) or one DER certificate; - for stdin.")
    var chain: String

    @Option(help: "The peer's XMPP domain.")
    var domain: String

    @Option(help: "The service the peer was reached on.")
    var service: ServiceOption = .xmppServer

    @Option(name: .customLong("name"), help: "An extra acceptable name or IP address, e.g. a delegated host. Repeatable.")
    var names: [String] = []

    @Option(help: "Trust anchors from this PEM file instead of the system store.")
    var caFile: String?

    @Option(help: "Trust anchors from this OpenSSL hashed directory instead of the system store.")
    var caDir: String?

    @Option(help: "Verify at this time (seconds since the Unix epoch) instead of now.")
    var at: Int64?

    @Flag(help: "Check names only; skip chain verification (the PKI verdict alone).")
    var noPkix = false

    @Flag(help: "Legacy: match the subject CN when the certificate has no DNS, SRV, URI or XmppAddr identifier.")
    var cnFallback = false

    @Flag(help: "The chain is an inbound s2s peer's client certificate (clientAuth or serverAuth accepted).")
    var inbound = false

    @Option(help: "outbound (we connected to the domain) or inbound (the domain's server connected to us).")
    var direction: DirectionOption?

    @Option(help: "The SRV target HOST:PORT that presented the chain; its TLSA records are the ones that count.")
    var endpoint: String?

    @Option(help: "Prooftypes to try, in order: a comma-separated list of dane, pki, posh, dialback.")
    var prooftypes: String?

    @Option(name: .customLong("tlsa"), help: "A TLSA record \"USAGE SELECTOR MTYPE HEX\" to check without DNS, treated as secure. Repeatable.")
    var tlsa: [String] = []

    @Option(help: "Fetch POSH from this https://HOST[:PORT] instead of https://DOMAIN (the certificate must still name DOMAIN).")
    var poshURLBase: String?

    @Option(help: "The result of your own XEP-0220 dialback: verified or failed.")
    var dialback: DialbackOption?

    @Flag(help: "Print the verdict as JSON on standard output.")
    var json = false

    @Flag(help: "Build the acceptable names from the domain's DNSSEC-secured SRV delegation first (needs --server).")
    var resolve = false

    @OptionGroup var resolver: ResolverOptions

    func run() throws {
        do {
            let accepted = try verify()
            throw ExitCode(accepted ? ExitStatus.accepted : ExitStatus.rejected)
        } catch let error as InputError {
            FileHandleOutput.standardError("xmppdna: error: \(error)")
            throw ExitCode(ExitStatus.badInput)
        }
    }

    private func verify() throws -> Bool {
        let bytes = try readChain()
        let context = try Context()
        if let caFile {
            let rc = xmppdna_ctx_set_ca_file(context.pointer, caFile)
            guard rc == XMPPDNA_OK else { throw InputError(code: rc, "cannot load --ca-file \(caFile)") }
        }
        if let caDir {
            let rc = xmppdna_ctx_set_ca_dir(context.pointer, caDir)
            guard rc == XMPPDNA_OK else { throw InputError(code: rc, "cannot load --ca-dir \(caDir)") }
        }
        if let at {
            let rc = xmppdna_ctx_set_time(context.pointer, at)
            guard rc == XMPPDNA_OK else { throw InputError(code: rc, "invalid --at \(at)") }
        }
        let flags = (noPkix ? XMPPDNA_FLAG_NO_PKIX : 0) | (cnFallback ? XMPPDNA_FLAG_CN_FALLBACK : 0)
        let flagsSet = xmppdna_ctx_set_flags(context.pointer, UInt32(flags))
        guard flagsSet == XMPPDNA_OK else { throw InputError(code: flagsSet, "cannot set the flags") }
        if wantsDNA { return try verifyDNA(bytes, context) }

        var delegation: Int32?
        let references: References
        if resolve {
            let lookup = try NameLookup.run(domain: domain, service: service, resolver: resolver, at: at, context: context)
            if !json { print(NamesReport(names: lookup, domain: domain, service: service).text, terminator: "") }
            delegation = lookup.status
            references = try lookup.references()
        } else {
            references = try References(domain: domain, service: service.code)
        }
        for name in names { try references.addName(name) }
        let presented = try Chain(bytes: bytes, source: chain == "-" ? "standard input" : chain)

        var out: OpaquePointer?
        let rc = xmppdna_verify_pki(context.pointer, presented.pointer, references.pointer, directionCode, &out)
        guard rc == XMPPDNA_OK, let out else { throw InputError(code: rc, "cannot verify") }
        let verdict = Verdict(owning: out)
        if json {
            // Scripts read this document; never print a stand-in for it.
            guard let document = verdict.json else { throw InputError("cannot render the verdict as JSON") }
            print(document)
        } else {
            var report = VerdictReport(verdict: verdict, references: references, command: self)
            report.delegationStatus = delegation
            print(report.text, terminator: "")
        }
        return verdict.accepted
    }

    private var directionCode: Int32 {
        inbound || direction == .inbound ? XMPPDNA_DIR_INBOUND : XMPPDNA_DIR_OUTBOUND
    }

    /// Any of these asks for the RFC 7712 verdict rather than PKI alone.
    private var wantsDNA: Bool {
        resolve || !tlsa.isEmpty || prooftypes != nil || endpoint != nil || poshURLBase != nil || dialback != nil
    }

    private func verifyDNA(_ bytes: [UInt8], _ context: Context) throws -> Bool {
        if inbound && direction == .outbound { throw InputError("--inbound contradicts --direction outbound") }
        if noPkix { throw InputError("--no-pkix applies to the PKI verdict alone; a DNA verdict always verifies the chain") }
        let request = try DNARequest(domain: domain, service: service.code, direction: directionCode)
        var delegation: Int32?
        if resolve {
            let lookup = try NameLookup.run(domain: domain, service: service, resolver: resolver, at: at, context: context)
            if !json { print(NamesReport(names: lookup, domain: domain, service: service).text, terminator: "") }
            delegation = lookup.status
            try request.check(xmppdna_dna_request_set_names(request.pointer, lookup.pointer), "cannot use the name list")
        }
        if let endpoint {
            guard let colon = endpoint.lastIndex(of: ":"), let port = Int32(endpoint[endpoint.index(after: colon)...]) else {
                throw InputError("--endpoint \(endpoint) is not HOST:PORT")
            }
            try request.check(xmppdna_dna_request_set_endpoint(request.pointer, String(endpoint[..<colon]), port),
                              "invalid --endpoint \(endpoint)")
        }
        if let prooftypes {
            let codes = prooftypes.split(separator: ",", omittingEmptySubsequences: false).map { prooftypeCode(String($0)) }
            guard !codes.contains(nil) else { throw InputError("--prooftypes takes dane, pki, posh and dialback, comma-separated") }
            try request.check(xmppdna_dna_request_set_prooftypes(request.pointer, codes.compactMap { $0 }, codes.count),
                              "invalid --prooftypes \(prooftypes) (each at most once)")
        }
        for record in tlsa {
            try request.check(xmppdna_dna_request_add_tlsa(request.pointer, nil, 0, record, XMPPDNA_DNSSEC_SECURE),
                              "invalid --tlsa \"\(record)\"")
        }
        for name in names {
            try request.check(xmppdna_dna_request_add_name(request.pointer, name), "invalid --name \(name)")
        }
        if let dialback {
            _ = xmppdna_dna_request_set_dialback(request.pointer, dialback == .verified ? XMPPDNA_DIALBACK_VERIFIED : XMPPDNA_DIALBACK_FAILED)
        }
        if let poshURLBase {
            let milliseconds = Int32(max(1, min(60_000, resolver.timeout * 1000)))
            let rc = xmppdna_ctx_set_posh(context.pointer, poshURLBase, milliseconds)
            guard rc == XMPPDNA_OK else { throw InputError(code: rc, "--posh-url-base must be https://HOST[:PORT]") }
        }
        let presented = try Chain(bytes: bytes, source: chain == "-" ? "standard input" : chain)
        var out: OpaquePointer?
        let rc = xmppdna_verify_dna(context.pointer, presented.pointer, request.pointer, &out)
        guard rc == XMPPDNA_OK, let out else { throw InputError(code: rc, "cannot verify") }
        let verdict = DNAVerdict(owning: out)
        if json {
            guard let document = verdict.json else { throw InputError("cannot render the verdict as JSON") }
            print(document)
        } else {
            print(DNAReport(verdict: verdict, command: self, delegationStatus: delegation).text, terminator: "")
        }
        return verdict.accepted
    }

    private func readChain() throws -> [UInt8] {
        let fd = chain == "-" ? STDIN_FILENO : open(chain, O_RDONLY)
        guard fd >= 0 else { throw InputError("cannot open \(chain): \(String(cString: strerror(errno)))") }
        defer { if chain != "-" { close(fd) } }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { throw InputError("cannot read \(chain): \(String(cString: strerror(errno)))") }
            if count == 0 { break }
            bytes += buffer[0..<count]
            // Real chains are kilobytes; refuse to slurp anything huge.
            if bytes.count > 16 << 20 { throw InputError("\(chain) is larger than 16 MiB") }
        }
        guard !bytes.isEmpty else { throw InputError("\(chain) is empty") }
        return bytes
    }
}
