import ArgumentParser
import XMPPDNA
import XMPPDNAPicture
#if canImport(Glibc)
import Glibc
import XMPPDNACore
import XMPPDNAOpenSSL
import XMPPDNAResolver
import XMPPDNANet
import XMPPDNAIO
#endif

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Diagnose a domain live: its DNS, every endpoint, and why each one is or is not verified.",
        discussion: """
        Looks up the xmpp-* and XEP-0368 xmpps-* SRV records, their CNAME, A, AAAA and TLSA records with \
        DNSSEC; connects to every candidate address in priority order (STARTTLS for xmpp-*, direct TLS with \
        ALPN for xmpps-*, SNI = DOMAIN); records the chain, TLS version and cipher; and runs the RFC 7712 \
        verdict (DANE, PKI with the DNSSEC-delegated names, POSH) for each endpoint, with a diagnosis.

        --html FILE writes one self-contained page (the drawing, a card per endpoint, the diagnosis, the JSON \
        document it is drawn from); --svg FILE the drawing alone: the delegation (SRV, targets, CNAME hops, \
        addresses, TLSA, endpoints) and the chain of trust of every zone on the way (DS, DNSKEY, RRSIG), \
        coloured by DNSSEC status. Both need Graphviz's dot (XMPPDNA_DOT names another).

        Exit codes: 0 every endpoint verified, 1 some endpoint failed (unreachable or not verified), \
        3 no endpoint reachable (or nothing to connect to), 2 bad input or usage.
        """
    )

    @Argument(help: "The XMPP domain.")
    var domain: String

    @Option(help: "xmpp-server or xmpp-client (their xmpps-* twins are checked too).")
    var service: ServiceOption = .xmppServer

    @OptionGroup var resolver: ResolverOptions

    @Option(help: "Trust anchors from this PEM file instead of the system store.")
    var caFile: String?

    @Option(help: "Trust anchors from this OpenSSL hashed directory instead of the system store.")
    var caDir: String?

    @Option(help: "Prooftypes to try, in order: a comma-separated list of dane, pki, posh.")
    var prooftypes: String = "dane,pki,posh"

    @Option(help: "Fetch POSH from this https://HOST[:PORT] instead of https://DOMAIN (the certificate must still name DOMAIN).")
    var poshURLBase: String?

    @Flag(help: "Print one JSON document with everything instead of text.")
    var json = false

    @Option(help: ArgumentHelp("Also write the report as one self-contained HTML page.", valueName: "file"),
            completion: .file(extensions: ["html"]))
    var html: String?

    @Option(help: ArgumentHelp("Also write the drawing (delegation and chain of trust) as SVG.", valueName: "file"),
            completion: .file(extensions: ["svg"]))
    var svg: String?

    func run() throws {
        do {
            let drawing = html != nil || svg != nil
            if drawing { try Graphviz.checkInstalled() }
            let report = try check()
            let document = report.json
            if json {
                print(document)
            } else {
                print(CheckText(report: report).text, terminator: "")
            }
            if drawing { try draw(document) }
            throw ExitCode(report.status.rawValue)
        } catch let error as InputError {
            FileHandleOutput.standardError("xmppdna: error: \(error)")
            throw ExitCode(ExitStatus.badInput)
        }
    }

    /// The page and the drawing, from the JSON document just printed or not.
    private func draw(_ document: String) throws {
        let picture: CheckPicture
        do {
            picture = try CheckPicture(json: document)
        } catch {
            throw InputError("cannot read back the report to draw it: \(error)")
        }
        let drawn = try Graphviz.svg(from: picture.dot)
        if let svg { try OutputFile.write(drawn, to: svg) }
        if let html { try OutputFile.write(picture.page(svg: drawn), to: html) }
    }

    private func check() throws -> CheckReport {
        guard let name = try? DNSName(domain), !IPAddress.looksLikeAddress(domain) else {
            throw InputError("invalid domain \(domain)")
        }
        guard let order = Prooftype.parseList(prooftypes), !order.contains(.dialback) else {
            throw InputError("--prooftypes takes dane, pki and posh, comma-separated, each once")
        }
        // The same context the C ABI wraps, configured from the options.
        let context = try makeContext()
        try resolver.configure(context, what: "check")
        let milliseconds = resolver.milliseconds
        do {
            try context.pki.updateTrust { $0 = TrustSource(caFile: caFile, caDirectory: caDir) }
        } catch {
            throw InputError("cannot load the trust store: \(error)")
        }
        var base: POSHURL?
        if let poshURLBase {
            guard let url = try? POSHURL(poshURLBase), url.target == "/" else {
                throw InputError("--posh-url-base must be https://HOST[:PORT]")
            }
            base = url
        }
        context.posh.set(urlBase: base, timeoutMilliseconds: milliseconds * 3)
        let service: XMPPService = self.service == .xmppClient || self.service == .xmppsClient ? .xmppClient : .xmppServer
        let showProgress = isatty(STDERR_FILENO) == 1 && !json
        let result = blockingWait { () async -> Result<CheckReport, ContextError> in
            do {
                return .success(try await context.check(domain: name, service: service, prooftypes: order,
                                                        timeoutMilliseconds: milliseconds * 3) { step in
                    if showProgress { FileHandleOutput.standardError("… \(step)") }
                })
            } catch let error as ContextError {
                return .failure(error)
            } catch {
                return .failure(.trust)
            }
        }
        switch result {
        case .success(let report): return report
        case .failure(let error): throw InputError("cannot use the DNS or trust settings: \(error)")
        }
    }
}
