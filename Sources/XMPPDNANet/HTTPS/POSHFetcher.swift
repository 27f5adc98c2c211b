import XMPPDNACore
import XMPPDNAIO
import XMPPDNAOpenSSL

/// Fetches a domain's POSH document (RFC 7711 section 3) from
/// https://DOMAIN/.well-known/posh/SERVICE.json over PKIX-verified HTTPS,
/// follows at most one `url` reference and a few HTTPS redirects, and
/// keeps the result for its `expires` (the lower one across a reference,
/// section 3.2), bounded by `maxCacheSeconds`. Failures are not cached.
public final class POSHFetcher: Sendable {
    public struct Configuration: Sendable {
        public var trust: TrustStore
        /// Certificate validation time, seconds since the epoch; nil is now.
        public var time: Int64?
        /// For the whole fetch, reference and redirects included.
        public var timeoutMilliseconds = 5000
        /// Sends the first request to this https://HOST[:PORT] instead of
        /// DOMAIN:443; the certificate must still name DOMAIN.
        public var urlBase: POSHURL?
        /// Host addresses for names in URLs (the library's resolver, or the system's).
        public var resolve: @Sendable (DNSName) async -> [IPAddress]
        public var maxRedirects = 3
        public var maxCacheSeconds: UInt32 = 86_400

        public init(trust: TrustStore, resolve: @escaping @Sendable (DNSName) async -> [IPAddress]) {
            self.trust = trust
            self.resolve = resolve
        }
    }


    public static let maxDocumentBytes = 65_536

    private let configuration: Configuration
    private let cache: POSHCache
    private let limits: QueryLimits

    /// Fetchers made for one context share its `cache` and `limits`.
    public init(_ configuration: Configuration, cache: POSHCache = POSHCache(), limits: QueryLimits = POSHFetcher.defaultLimits()) {
        self.configuration = configuration
        self.cache = cache
        self.limits = limits
    }

    /// At most 64 fetches in flight and 4 per zone (each holds a TLS
    /// connection to a web server the peer domain chooses).
    public static func defaultLimits() -> QueryLimits {
        QueryLimits(QueryLimits.Settings(maxOutstanding: 64, maxPerZone: 4, maxWaiting: 100_000))
    }

    public func fetch(domain: DNSName, service: XMPPService) async -> Result<POSHFetched, POSHError> {
        await onLibraryThreads { await self.fetchOrCached(domain: domain, service: service) }
    }

    private func fetchOrCached(domain: DNSName, service: XMPPService) async -> Result<POSHFetched, POSHError> {
        let key = POSHCache.Key(domain: domain, service: service.poshServiceName)
        if let fetched = cache.lookup(key) { return .success(fetched) }
        // Verdicts for one domain at once share one fetch.
        return await cache.inFlight.value(for: key) {
            if let fetched = cache.lookup(key) { return .success(fetched) }
            let zone = QueryLimits.zone(of: domain.text)
            guard await limits.acquire(zone: zone) else {
                return .failure(.fetch(Task.isCancelled ? "the fetch was cancelled" : "too many POSH fetches are waiting in this context"))
            }
            defer { limits.release(zone: zone) }
            let result: Result<POSHFetched, POSHError>
            do throws(POSHError) {
                result = .success(try await fetchUncached(domain: domain, service: service))
            } catch {
                result = .failure(error)
            }
            if case .success(let fetched) = result {
                cache.store(fetched, for: key, seconds: min(fetched.expires, configuration.maxCacheSeconds))
            }
            return result
        }
    }

    public func flush() { cache.flush() }

    private func fetchUncached(domain: DNSName, service: XMPPService) async throws(POSHError) -> POSHFetched {
        let client = HTTPSClient(trust: configuration.trust, time: configuration.time, resolve: configuration.resolve)
        let deadline = TCPStream.monotonicMilliseconds() + UInt64(max(configuration.timeoutMilliseconds, 1))
        let wellKnown = POSHURL.wellKnown(domain: domain, service: service)
        let (first, firstURL) = try await document(at: wellKnown, connectTo: configuration.urlBase, client: client, deadline: deadline)
        switch first.body {
        case .fingerprints:
            return POSHFetched(document: first, source: firstURL.description, expires: first.expires)
        case .reference(let target):
            let (second, secondURL) = try await document(at: target, connectTo: nil, client: client, deadline: deadline)
            guard case .fingerprints = second.body else {
                throw .referenceLoop("\(firstURL) refers to \(secondURL), which is a reference again; only one url hop is followed")
            }
            return POSHFetched(document: second, source: "\(firstURL) -> \(secondURL)", expires: min(first.expires, second.expires))
        }
    }

    /// GETs `url`, following HTTPS redirects, and parses the document.
    private func document(at url: POSHURL, connectTo: POSHURL?, client: HTTPSClient,
                          deadline: UInt64) async throws(POSHError) -> (POSHDocument, POSHURL) {
        var current = url
        var override = connectTo
        var visited: Set<POSHURL> = [url]
        let maxRedirects = max(configuration.maxRedirects, 0)  // a negative setting must not reverse the range
        for _ in 0...maxRedirects {
            let response = try await client.get(current, connectTo: override, deadline: deadline)
            switch response.status {
            case 200:
                do {
                    return (try POSHDocument.parse(response.body), current)
                } catch {
                    throw .malformed("\(current): \(error)")
                }
            case let status where HTTPRedirect.statuses.contains(status):
                let next = try HTTPRedirect.target(of: response, from: current)
                guard visited.insert(next).inserted else { throw .fetch("\(current) redirects back to \(next): a redirect loop") }
                // The override only stands in for the original host.
                if next.host != current.host || next.port != current.port { override = nil }
                current = next
            case 404:
                throw .notPublished("\(current) does not exist (HTTP 404): the domain publishes no POSH document")
            default:
                throw .fetch("\(current) answered HTTP \(response.status)")
            }
        }
        throw .fetch("more than \(maxRedirects) redirects from \(url)")
    }
}

/// Fetched POSH documents until their expiry, shared by the fetchers of
/// one context. Thread-safe. Bounded: whoever connects chooses the domains,
/// so at the limit the document that expires soonest goes.
public final class POSHCache: Sendable {
    struct Key: Hashable, Sendable {
        let domain: DNSName
        let service: String
    }

    private struct State {
        var entries: [Key: (POSHFetched, expiry: UInt64)] = [:]
        var limit = POSHCache.defaultLimit
    }

    public static let defaultLimit = 1000

    private let state = Locked(State())
    /// Fetches under way, shared by whoever asks for the same document meanwhile.
    let inFlight = SharedInFlight<Key, Result<POSHFetched, POSHError>>()

    public init() {}

    func lookup(_ key: Key) -> POSHFetched? {
        let now = TCPStream.monotonicMilliseconds()
        guard let (fetched, expiry) = state.withLock({ $0.entries[key] }), expiry > now else { return nil }
        return fetched
    }

    func store(_ fetched: POSHFetched, for key: Key, seconds: UInt32) {
        let now = TCPStream.monotonicMilliseconds()
        state.withLock { state in
            state.entries[key] = nil
            POSHCache.makeRoom(&state, below: state.limit, now: now)
            state.entries[key] = (fetched, now + UInt64(seconds) * 1000)
        }
    }

    /// A lower limit makes room at once.
    public func setLimit(_ documents: Int) {
        let now = TCPStream.monotonicMilliseconds()
        state.withLock { state in
            state.limit = max(1, documents)
            POSHCache.makeRoom(&state, below: state.limit + 1, now: now)
        }
    }

    public var limit: Int { state.withLock { $0.limit } }
    public var count: Int { state.withLock { $0.entries.count } }

    public func flush() { state.withLock { $0.entries.removeAll() } }

    /// Drops what expired, then the soonest to expire, until fewer than `limit` are left.
    private static func makeRoom(_ state: inout State, below limit: Int, now: UInt64) {
        guard state.entries.count >= limit else { return }
        state.entries = state.entries.filter { $0.value.expiry > now }
        let excess = state.entries.count - (limit - 1)
        guard excess > 0 else { return }
        for key in state.entries.sorted(by: { $0.value.expiry < $1.value.expiry }).prefix(excess).map(\.key) {
            state.entries[key] = nil
        }
    }
}
