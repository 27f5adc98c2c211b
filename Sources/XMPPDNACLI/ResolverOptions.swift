import ArgumentParser
import CXMPPDNA

/// DNS options shared by `names` and `verify --resolve`.
struct ResolverOptions: ParsableArguments {
    @Option(name: .customLong("server"), help: "A DNS server to ask, ADDR or ADDR@PORT (IPv6 as [ADDR]@PORT). Repeatable; required for lookups: /etc/resolv.conf is never read.")
    var servers: [String] = []

    @Flag(help: "Believe the AD bit of a validating resolver on loopback instead of validating DNSSEC here.")
    var trustAd = false

    @Option(name: .customLong("anchor"), help: "DNSSEC trust anchors (DS or DNSKEY records) instead of the IANA root KSKs.")
    var anchor: String?

    @Option(help: "Seconds to wait for each DNS answer.")
    var timeout: Double = 2

    /// Applies the options to a context.
    func configure(_ context: Context) throws {
        guard !servers.isEmpty else { throw InputError("a lookup needs at least one --server ADDR@PORT") }
        for server in servers {
            let rc = xmppdna_ctx_add_server(context.pointer, server)
            guard rc == XMPPDNA_OK else { throw InputError(code: rc, "invalid --server \(server)") }
        }
        if trustAd { _ = xmppdna_ctx_set_trust_mode(context.pointer, XMPPDNA_TRUST_AD) }
        if let anchor {
            let rc = xmppdna_ctx_set_anchor_file(context.pointer, anchor)
            guard rc == XMPPDNA_OK else { throw InputError(code: rc, "cannot load --anchor \(anchor)") }
        }
        let milliseconds = Int32(max(1, min(60_000, timeout * 1000)))
        _ = xmppdna_ctx_set_dns_timeout(context.pointer, milliseconds, 1)
    }
}
