#if canImport(Glibc)
import Glibc
#endif
import XMPPDNACore
import XMPPDNAIO

/// Validated answers shared by every lookup of a context, across threads.
/// An entry keeps its DNSSEC status, so a warm lookup does no cryptography;
/// it lives for its TTL clamped to [minimumTTL, maximumTTL]. Denials are
/// cached like answers (RFC 2308); bogus answers for the minimum TTL only,
/// and failures not at all. Whole name lists are kept too, for the shortest
/// TTL among their answers, so a warm lookup is one dictionary hit.
public final class DNSCache: Sendable {
    struct Key: Hashable {
        let name: String
        let type: UInt16
        let time: Int64?
    }

    private struct Entry {
        let answer: DNSSECValidator.Answer
        let expires: Double
    }

    struct NameListKey: Hashable {
        let domain: String
        let service: XMPPService
        let time: Int64?
        let trustMode: ResolverConfiguration.TrustMode
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        var nameLists: [NameListKey: (list: NameList, expires: Double)] = [:]
        var minimumTTL: UInt32 = 5
        var maximumTTL: UInt32 = 3600
        /// Bounds memory: a flood of distinct names cannot grow the answers,
        /// nor the name lists, past this many entries each.
        var limit = DNSCache.defaultLimit
        var hits = 0
        var misses = 0
    }

    public static let defaultLimit = 10_000

    private let state = Locked(State())
    /// Questions being resolved now, shared by whoever asks them meanwhile.
    let inFlight = SharedInFlight<Key, DNSSECValidator.Answer>()
    private let clock: @Sendable () -> Double

    /// `clock` gives monotonic seconds; tests pass their own.
    public init(clock: @escaping @Sendable () -> Double = DNSCache.monotonicSeconds) {
        self.clock = clock
    }

    public static func monotonicSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    public func setTTLBounds(minimum: UInt32, maximum: UInt32) {
        state.withLock {
            $0.minimumTTL = minimum
            $0.maximumTTL = max(minimum, maximum)
        }
    }

    /// A lower limit makes room at once.
    public func setLimit(_ entries: Int) {
        let now = clock()
        state.withLock { state in
            state.limit = max(1, entries)
            DNSCache.makeRoom(in: &state.entries, limit: state.limit + 1, now: now) { $0.expires }
            DNSCache.makeRoom(in: &state.nameLists, limit: state.limit + 1, now: now) { $0.expires }
        }
    }

    public var limit: Int { state.withLock { $0.limit } }

    public func flush() {
        state.withLock {
            $0.entries.removeAll()
            $0.nameLists.removeAll()
        }
    }

    /// (hits, misses) since the context was made, for tests and diagnostics.
    public var statistics: (hits: Int, misses: Int) { state.withLock { ($0.hits, $0.misses) } }

    func answer(for key: Key) -> DNSSECValidator.Answer? {
        let now = clock()
        return state.withLock { state in
            guard let entry = state.entries[key], entry.expires > now else {
                state.misses += 1
                return nil
            }
            state.hits += 1
            // What is left of its lifetime, so lists built from it expire in time.
            var answer = entry.answer
            answer.ttl = UInt32(max(0, (entry.expires - now).rounded(.down)))
            return answer
        }
    }

    func store(_ answer: DNSSECValidator.Answer, for key: Key) {
        let lifetime: UInt32?
        switch (answer.outcome, answer.status) {
        case (.failure, .bogus), (_, .bogus): lifetime = 0
        case (.failure, _), (_, .indeterminate): lifetime = nil
        default: lifetime = answer.ttl
        }
        guard let lifetime else { return }
        let now = clock()
        state.withLock { state in
            guard let expires = DNSCache.expiry(lifetime, now: now, state) else { return }
            DNSCache.makeRoom(in: &state.entries, limit: state.limit, now: now) { $0.expires }
            state.entries[key] = Entry(answer: answer, expires: expires)
        }
    }

    /// When an entry of `lifetime` seconds expires, clamped to the bounds; nil for never stored.
    private static func expiry(_ lifetime: UInt32, now: Double, _ state: State) -> Double? {
        let seconds = min(max(lifetime, state.minimumTTL), state.maximumTTL)
        return seconds > 0 ? now + Double(seconds) : nil
    }

    /// Room for one more below `limit`: drop what expired, and everything if that is not enough.
    private static func makeRoom<K, V>(in entries: inout [K: V], limit: Int, now: Double, expires: (V) -> Double) {
        guard entries.count >= limit else { return }
        entries = entries.filter { expires($0.value) > now }
        if entries.count >= limit { entries.removeAll() }
    }

    func nameList(for key: NameListKey) -> NameList? {
        let now = clock()
        return state.withLock { state in
            guard let entry = state.nameLists[key], entry.expires > now else { return nil }
            state.hits += 1
            return entry.list
        }
    }

    /// `ttl` is the shortest TTL of the answers behind the list; lists with
    /// a failed lookup are not kept, bogus ones for the minimum TTL only.
    func store(_ list: NameList, ttl: UInt32, for key: NameListKey) {
        let lifetime: UInt32
        switch list.status {
        case .indeterminate: return
        case .bogus: lifetime = 0
        default: lifetime = ttl
        }
        let now = clock()
        state.withLock { state in
            guard let expires = DNSCache.expiry(lifetime, now: now, state) else { return }
            DNSCache.makeRoom(in: &state.nameLists, limit: state.limit, now: now) { $0.expires }
            state.nameLists[key] = (list, expires)
        }
    }
}
