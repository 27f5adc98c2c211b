import XMPPDNACore
import XMPPDNAIO
import XMPPDNAOpenSSL

/// The POSH part of a context: where documents are fetched and for how
/// long, plus the cache every fetch of the context shares. Thread-safe.
public final class POSHSettings: Sendable {
    private struct State {
        var urlBase: POSHURL?
        var timeoutMilliseconds = 5000
    }

    private let state = Locked(State())
    public let cache = POSHCache()
    /// What this context may fetch at once (POSHFetcher.defaultLimits).
    public let limits = POSHFetcher.defaultLimits()

    public init() {}

    /// Changing where documents come from empties the cache.
    public func set(urlBase: POSHURL?, timeoutMilliseconds: Int) {
        state.withLock { $0 = State(urlBase: urlBase, timeoutMilliseconds: timeoutMilliseconds) }
        cache.flush()
    }

    public var urlBase: POSHURL? { state.withLock { $0.urlBase } }

    public func fetcher(trust: TrustStore, time: Int64?, resolve: @escaping @Sendable (DNSName) async -> [IPAddress]) -> POSHFetcher {
        let snapshot = state.withLock { $0 }
        var configuration = POSHFetcher.Configuration(trust: trust, resolve: resolve)
        configuration.time = time
        configuration.urlBase = snapshot.urlBase
        configuration.timeoutMilliseconds = snapshot.timeoutMilliseconds
        return POSHFetcher(configuration, cache: cache, limits: limits)
    }
}
