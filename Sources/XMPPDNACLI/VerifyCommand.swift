import ArgumentParser
import XMPPDNA
import XMPPDNACore
import XMPPDNAIO
import XMPPDNAOpenSSL
import XMPPDNANet
#if canImport(Glibc)
import Glibc
#endif

enum ServiceOption: String, ExpressibleByArgument, CaseIterable {
    case xmppServer = "xmpp-server"
    case xmppClient = "xmpp-client"
    case xmppsServer = "xmpps-server"
    case xmppsClient = "xmpps-client"

    var service: XMPPService {
        switch self {
        case .xmppClient: return .xmppClient
        case .xmppServer: return .xmppServer
        case .xmppsClient: return .xmppsClient
        case .xmppsServer: return .xmppsServer
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
        The chain is PEM (leaf first, then intermediates) or one DER certificate; "-" reads standard input. \
        Names follow RFC 6120 section 13.7.2 with RFC 9525 matching: DNS-ID, SRV-ID for the service, \
        XmppAddr, and any --name given (a host the domain delegates to with DNSSEC-signed SRV records).

        Alone, verify runs the PKI prooftype. With --resolve, --tlsa, --prooftypes, --endpoint or \
        --posh-url-base it gives the full RFC 7712 verdict: DANE (TLSA records; a secure mismatch rejects), \
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
        if inbound && direction == .outbound { throw InputError("--inbound contradicts --direction outbound") }
        if wantsDNA && noPkix { throw InputError("--no-pkix applies to the PKI verdict alone; a DNA verdict always verifies the chain") }
        let certificates = try readCertificates()
        let context = try makeContext()
        if caFile != nil || caDir != nil {
            do {
                try context.pki.updateTrust { $0 = TrustSource(caFile: caFile, caDirectory: caDir) }
            } catch {
                throw InputError("cannot load " + [caFile.map { "--ca-file \($0)" }, caDir.map { "--ca-dir \($0)" }]
                    .compactMap { $0 }.joined(separator: " and ") + ": the trust store could not be loaded")
            }
        }
        context.pki.update {
            if let at { $0.time = at }
            $0.commonNameFallback = cnFallback
        }
        guard let name = try? DNSName(domain), !IPAddress.looksLikeAddress(domain) else { throw InputError("invalid domain \"\(domain)\"") }
        var question = DNAQuestion(request: DNARequest(direction: inbound || direction == .inbound ? .inbound : .outbound,
                                                       domain: name, service: service.service))
        var delegation: DNSSECStatus?
        if resolve {
            let lookup = try NameLookup.run(domain: domain, service: service, resolver: resolver, at: at, context: context)
            if !json { print(NamesReport(names: lookup, domain: domain, service: service).text, terminator: "") }
            delegation = lookup.status
            question.names = lookup
        }
        try describe(&question, context)
        let verdict = try decide(question, certificates, context)
        if json {
            print(verdict.json)
        } else if wantsDNA {
            print(DNAReport(verdict: verdict, command: self, delegationStatus: delegation).text, terminator: "")
        } else {
            print(VerdictReport(verdict: verdict, showsReferences: true, command: self).text, terminator: "")
        }
        return verdict.accepted
    }

    /// The options as a question: PKI alone unless a DNA option is given.
    private func describe(_ question: inout DNAQuestion, _ context: XMPPDNAContext) throws {
        for extra in names {
            do {
                let reference = try ReferenceIdentifier(name: extra)
                if !question.request.extraNames.contains(reference) { question.request.extraNames.append(reference) }
            } catch {
                throw InputError("invalid --name \"\(extra)\"")
            }
        }
        guard wantsDNA else {
            question.request.prooftypes = [.pki]
            question.request.namesOnly = noPkix
            question.noLookups = true
            return
        }
        if let endpoint {
            guard let colon = endpoint.lastIndex(of: ":"), let port = UInt16(endpoint[endpoint.index(after: colon)...]), port > 0,
                  let host = try? DNSName(String(endpoint[..<colon])) else {
                throw InputError("invalid --endpoint \(endpoint): not HOST:PORT")
            }
            question.request.endpoint = (host, port)
        }
        if let prooftypes {
            guard let order = Prooftype.parseList(prooftypes) else {
                throw InputError("invalid --prooftypes \(prooftypes): dane, pki, posh and dialback, comma-separated, each at most once")
            }
            question.request.prooftypes = order
        }
        for record in tlsa {
            guard let parsed = try? TLSARecord(presentation: record) else { throw InputError("invalid --tlsa \"\(record)\"") }
            question.tlsa["*", default: []].append((parsed, .secure))
        }
        if let dialback { question.dialback = dialback == .verified ? .verified : .failed }
        if let poshURLBase {
            guard let url = try? POSHURL(poshURLBase), url.target == "/" else {
                throw InputError("--posh-url-base must be https://HOST[:PORT]")
            }
            context.posh.set(urlBase: url, timeoutMilliseconds: resolver.milliseconds)
        }
    }

    private func decide(_ question: DNAQuestion, _ certificates: [Certificate], _ context: XMPPDNAContext) throws -> DNAVerdict {
        let result: Result<DNAVerdict, ContextError>
        if question.noLookups {
            result = Result { () throws(ContextError) in try context.verifyNow(question, chain: certificates) }
        } else {
            result = blockingWait { () async -> Result<DNAVerdict, ContextError> in
                do throws(ContextError) { return .success(try await context.verify(question, chain: certificates)) } catch { return .failure(error) }
            }
        }
        switch result {
        case .success(let verdict): return verdict
        case .failure(let error): throw InputError("cannot verify: \(error)")
        }
    }

    /// Any of these asks for the RFC 7712 verdict rather than PKI alone.
    private var wantsDNA: Bool {
        resolve || !tlsa.isEmpty || prooftypes != nil || endpoint != nil || poshURLBase != nil || dialback != nil
    }

    /// PEM (leaf first) or one DER certificate.
    private func readCertificates() throws -> [Certificate] {
        let bytes = try readChain()
        let source = chain == "-" ? "standard input" : chain
        do {
            // A certificate is an ASN.1 SEQUENCE longer than 127 octets, so DER
            // starts 0x30 0x81...0x84; PEM, even with text before it, never does.
            if bytes.count >= 2 && bytes[0] == 0x30 && (0x81...0x84).contains(bytes[1]) { return [try Certificate(der: bytes)] }
            return try Certificate.parsePEMBundle(bytes)
        } catch {
            throw InputError("cannot read a certificate from \(source): malformed DER or PEM certificate data")
        }
    }

    private func readChain() throws -> [UInt8] {
        let fd = chain == "-" ? STDIN_FILENO : open(chain, O_RDONLY)
        guard fd >= 0 else { throw InputError("cannot open \(chain): \(String(cString: strerror(errno)))") }
        defer { if chain != "-" { close(fd) } }
        // Real chains are kilobytes; refuse to slurp anything huge.
        let bytes = try InputFile.bytes(of: fd, named: chain, limit: 16 << 20, limitText: "16 MiB")
        guard !bytes.isEmpty else { throw InputError("\(chain) is empty") }
        return bytes
    }
}
