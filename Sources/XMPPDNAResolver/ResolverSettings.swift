#if canImport(Glibc)
import Glibc
import XMPPDNACore
import XMPPDNAIO
#endif

/// The DNS part of a context: servers, trust mode and anchors. Shareable;
/// each lookup takes one snapshot.
public final class ResolverSettings: Sendable {
    private struct State {
        var servers: [DNSServerAddress] = []
        var trustMode = ResolverConfiguration.TrustMode.validate
        var trusted: [DNSServerAddress] = []
        var anchorText: String?
        var anchors: TrustAnchors?
        var timeoutMilliseconds = 2000
        var retries = 1
        var lookupDeadlineMilliseconds = 30_000
        /// The resolver last assembled, for its verification time; every
        /// change drops it, so a warm lookup does not assemble one per call.
        var assembled: (time: Int64?, resolver: Result<DelegationResolver?, DNSConfigurationError>)?
    }

    private let state = Locked(State())
    /// Every lookup of the context shares it; any change of where answers
    /// come from or whom they trust empties it.
    public let cache = DNSCache()
    /// What this context may ask its servers at once (QueryLimits).
    public let limits = QueryLimits()

    public init() {}

    private func change(_ body: (inout State) -> Void) {
        update(body)
        cache.flush()
    }

    private func update(_ body: (inout State) -> Void) {
        state.withLock { state in
            body(&state)
            state.assembled = nil
        }
    }

    public func addServer(_ server: DNSServerAddress) { change { $0.servers.append(server) } }
    public func clearServers() { change { $0.servers.removeAll() } }
    public func setTrustMode(_ mode: ResolverConfiguration.TrustMode) { change { $0.trustMode = mode } }
    public func addTrustedResolver(_ server: DNSServerAddress) { change { $0.trusted.append(server) } }

    /// How long one whole lookup may take (ResolverConfiguration).
    public func setLookupDeadline(milliseconds: Int) { change { $0.lookupDeadlineMilliseconds = milliseconds } }

    public func setTimeout(milliseconds: Int, retries: Int) {
        update {
            $0.timeoutMilliseconds = milliseconds
            $0.retries = retries
        }
    }

    /// Reads DS or DNSKEY anchors now; nil goes back to the IANA root KSKs.
    public func setAnchorFile(_ path: String?) throws(DNSConfigurationError) {
        guard let path else {
            change {
                $0.anchorText = nil
                $0.anchors = nil
            }
            return
        }
        guard let text = ResolverSettings.read(path) else { throw .badAnchor("cannot read \(path)") }
        let anchors = try TrustAnchors.parse(text).get()
        change {
            $0.anchorText = text
            $0.anchors = anchors
        }
    }

    /// The resolver for lookups at `time` (nil: now), or nil without servers.
    public func resolver(time: Int64?) throws(DNSConfigurationError) -> DelegationResolver? {
        try state.withLock { state in
            if let assembled = state.assembled, assembled.time == time { return assembled.resolver }
            let resolver = Result { () throws(DNSConfigurationError) in
                try ResolverSettings.configuration(state, time: time, cache: cache, limits: limits).map(DelegationResolver.init)
            }
            state.assembled = (time, resolver)
            return resolver
        }.get()
    }

    /// Whether lookups have a server to ask, without assembling a resolver.
    public var hasServers: Bool { state.withLock { !$0.servers.isEmpty } }

    private static func configuration(_ state: State, time: Int64?, cache: DNSCache,
                                      limits: QueryLimits) -> ResolverConfiguration? {
        guard !state.servers.isEmpty else { return nil }
        var configuration = ResolverConfiguration(servers: state.servers)
        configuration.trustMode = state.trustMode
        configuration.anchorText = state.anchorText
        configuration.parsedAnchors = state.anchors
        configuration.time = time
        configuration.timeoutMilliseconds = state.timeoutMilliseconds
        configuration.retries = state.retries
        configuration.lookupDeadlineMilliseconds = state.lookupDeadlineMilliseconds
        configuration.cache = cache
        configuration.limits = limits
        if !state.trusted.isEmpty {
            configuration.trustedResolvers = state.trusted + state.servers.filter(\.isLoopback)
        }
        return configuration
    }

    private static func read(_ path: String) -> String? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = fread(&buffer, 1, buffer.count, file)
            bytes += buffer[0..<count]
            // Anchor files are a few lines; refuse anything absurd.
            if count < buffer.count || bytes.count > 1 << 20 { break }
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
