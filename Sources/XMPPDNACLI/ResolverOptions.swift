import ArgumentParser
import XMPPDNA
import XMPPDNAResolver

/// DNS options shared by `names`, `verify --resolve` and `check`.
struct ResolverOptions: ParsableArguments {
    @Option(name: .customLong("server"), help: "A DNS server to ask, ADDR or ADDR@PORT (IPv6 as [ADDR]@PORT). Repeatable; required for lookups: /etc/resolv.conf is never read.")
    var servers: [String] = []

    @Flag(help: "Believe the AD bit of a validating resolver on loopback instead of validating DNSSEC here.")
    var trustAd = false

    @Option(name: .customLong("anchor"), help: "DNSSEC trust anchors (DS or DNSKEY records) instead of the IANA root KSKs.")
    var anchor: String?

    @Option(help: "Seconds to wait for each DNS answer.")
    var timeout: Double = 2

    var milliseconds: Int { Int(max(1, min(60_000, timeout * 1000))) }

    /// Applies the options to a context; `what` names the command that needs a server.
    func configure(_ context: XMPPDNAContext, what: String = "a lookup") throws {
        guard !servers.isEmpty else { throw InputError("\(what) needs at least one --server ADDR@PORT") }
        for server in servers {
            do { context.resolver.addServer(try DNSServerAddress(server)) } catch { throw InputError("invalid --server \(server)") }
        }
        context.resolver.setTrustMode(trustAd ? .trustAD : .validate)
        if let anchor {
            do { try context.resolver.setAnchorFile(anchor) } catch { throw InputError("cannot load --anchor \(anchor): \(error)") }
        }
        context.resolver.setTimeout(milliseconds: milliseconds, retries: 1)
    }
}

/// A fresh context, or a clear error.
func makeContext() throws -> XMPPDNAContext {
    guard let context = try? XMPPDNAContext() else { throw InputError("cannot make a context (out of file descriptors?)") }
    return context
}
