import XMPPDNACore
import XMPPDNAIO

/// How delegation lookups reach DNS and whom they trust.
public struct ResolverConfiguration: Sendable {
    public enum TrustMode: Hashable, Sendable {
        /// Validate DNSSEC inside the library from the trust anchors (default).
        case validate
        /// Trust the AD bit of a validating resolver the caller trusts.
        case trustAD
    }

    /// Asked in order; never read from /etc/resolv.conf unless the caller does so.
    public var servers: [DNSServerAddress]
    public var trustMode: TrustMode = .validate
    /// DS or DNSKEY records in zone-file text; nil means the IANA root KSKs.
    public var anchorText: String?
    /// `anchorText` already parsed, when the settings that made this have it.
    var parsedAnchors: TrustAnchors?
    /// Validation time in seconds since the epoch; nil means now.
    public var time: Int64?
    public var timeoutMilliseconds = 2000
    public var retries = 1
    /// A whole lookup (a name list, a TLSA or address lookup with every
    /// query of its chain of trust) gives up after this, whatever its
    /// queries' own timeouts: the answer is then indeterminate.
    public var lookupDeadlineMilliseconds = 30_000
    /// Resolvers whose AD bit may be trusted; nil means loopback only.
    public var trustedResolvers: [DNSServerAddress]?
    /// Bounds the work one hostile SRV RRset can cause.
    public var maxTargets = NameListBuilder.defaultMaxTargets
    /// Shared validated answers; nil looks everything up afresh.
    public var cache: DNSCache?
    /// Shared bounds on queries in flight; nil leaves them unbounded.
    public var limits: QueryLimits?
    /// What carries queries; nil means UDP/TCP sockets. Replaced only by
    /// the fuzz targets, which feed recorded or mutated replies.
    package var wire: (any DNSWire)?

    public init(servers: [DNSServerAddress]) {
        self.servers = servers
    }

    /// The AD bit is only worth something on a path the caller trusts.
    func checkTrustAD() throws(DNSConfigurationError) {
        guard trustMode == .trustAD else { return }
        for server in servers {
            let trusted = trustedResolvers.map { $0.contains(server) } ?? server.isLoopback
            if !trusted {
                throw .untrustedResolver("\(server) is not a trusted resolver; trust-ad mode only believes the AD bit of loopback or explicitly trusted resolvers")
            }
        }
    }
}
