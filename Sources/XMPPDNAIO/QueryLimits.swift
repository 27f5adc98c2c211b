import CPSL
#if canImport(Glibc)
import Glibc
#endif

/// Bounds what one context has in flight at once (DNS queries, POSH
/// fetches), so that whoever chooses the peer domains (anyone who connects
/// to a server) cannot crowd out everyone else: at most `maxOutstanding`
/// for the context and `maxPerZone` for one zone; the rest wait in line per
/// zone, and a freed slot goes to the zones in turn, so one zone's backlog
/// never delays another's. Work that would make the lines longer than
/// `maxWaiting` is refused at once.
///
/// Work is keyed before an answer shows where the zone cuts are, so the
/// zone of a name is approximated by its registrable domain under the
/// Public Suffix List (libpsl's built-in copy): every name an attacker
/// registered shares one line, and a public suffix's other registrants
/// (a.co.uk beside evil.co.uk) keep theirs.
public final class QueryLimits: @unchecked Sendable {
    public struct Settings: Hashable, Sendable {
        public var maxOutstanding: Int
        public var maxPerZone: Int
        public var maxWaiting: Int

        /// The DNS defaults: 256 in flight, 16 per zone, 100,000 waiting.
        public init(maxOutstanding: Int = 256, maxPerZone: Int = 16, maxWaiting: Int = 100_000) {
            self.maxOutstanding = maxOutstanding
            self.maxPerZone = maxPerZone
            self.maxWaiting = maxWaiting
        }
    }

    private struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<Bool, Never>
    }

    private struct State {
        var settings = Settings()
        var outstanding = 0
        var perZone: [String: Int] = [:]
        var lines: [String: [Waiter]] = [:]
        /// Zones with someone waiting, in the order they are served.
        var turn: [String] = []
        var waiting = 0
        var nextID: UInt64 = 0
    }

    private let state = Guarded(State())

    public init(_ settings: Settings = Settings()) {
        state.withLock { $0.settings = settings }
    }

    public var settings: Settings {
        get { state.withLock { $0.settings } }
    }

    public func update(_ settings: Settings) {
        let woken = state.withLock { state -> [CheckedContinuation<Bool, Never>] in
            state.settings = settings
            return Self.admit(&state)
        }
        for continuation in woken { continuation.resume(returning: true) }
    }

    /// The registrable domain of `name` (lower-cased ASCII, no trailing dot),
    /// or the name itself when it is a public suffix (`com`, `co.uk`) or
    /// has no registrable part.
    public static func zone(of name: String) -> String {
        var name = name.lowercased()
        if name.hasSuffix(".") { name.removeLast() }
        guard let suffixes = publicSuffixes, !name.isEmpty else { return name }
        return name.withCString { psl_registrable_domain(suffixes, $0).map { String(cString: $0) } } ?? name
    }

    /// libpsl's built-in list, or the system's newest when built without one.
    private nonisolated(unsafe) static let publicSuffixes: OpaquePointer? = psl_builtin() ?? psl_latest(nil)

    /// Waits for a slot for a query under `zone`: true when granted, false
    /// when refused or cancelled. Every granted slot must be released.
    public func acquire(zone: String) async -> Bool {
        let id = state.withLock { state -> UInt64? in
            if state.lines[zone, default: []].isEmpty, Self.fits(zone, state) {
                Self.take(zone, &state)
                return nil
            }
            state.nextID += 1
            return state.nextID
        }
        guard let id else { return true }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let (refused, woken) = state.withLock { state -> (Bool, [CheckedContinuation<Bool, Never>]) in
                    guard state.waiting < state.settings.maxWaiting, !Task.isCancelled else { return (true, []) }
                    if state.lines[zone, default: []].isEmpty { state.turn.append(zone) }
                    state.lines[zone, default: []].append(Waiter(id: id, continuation: continuation))
                    state.waiting += 1
                    // A slot may have freed between the first look and now.
                    return (false, Self.admit(&state))
                }
                if refused { continuation.resume(returning: false) }
                for other in woken { other.resume(returning: true) }
            }
        } onCancel: {
            let cancelled = state.withLock { state -> CheckedContinuation<Bool, Never>? in
                guard let index = state.lines[zone]?.firstIndex(where: { $0.id == id }) else { return nil }
                let waiter = state.lines[zone]!.remove(at: index)
                state.waiting -= 1
                if state.lines[zone]!.isEmpty {
                    state.lines[zone] = nil
                    state.turn.removeAll { $0 == zone }
                }
                return waiter.continuation
            }
            cancelled?.resume(returning: false)
        }
    }

    public func release(zone: String) {
        let woken = state.withLock { state -> [CheckedContinuation<Bool, Never>] in
            state.outstanding -= 1
            state.perZone[zone, default: 1] -= 1
            if state.perZone[zone] == 0 { state.perZone[zone] = nil }
            return Self.admit(&state)
        }
        for continuation in woken { continuation.resume(returning: true) }
    }

    /// Queries in flight and waiting, for tests and diagnostics.
    public var load: (outstanding: Int, waiting: Int) { state.withLock { ($0.outstanding, $0.waiting) } }

    private static func fits(_ zone: String, _ state: State) -> Bool {
        state.outstanding < state.settings.maxOutstanding && state.perZone[zone, default: 0] < state.settings.maxPerZone
    }

    private static func take(_ zone: String, _ state: inout State) {
        state.outstanding += 1
        state.perZone[zone, default: 0] += 1
    }

    /// Hands free slots to waiting zones in turn; the caller resumes them
    /// outside the lock.
    private static func admit(_ state: inout State) -> [CheckedContinuation<Bool, Never>] {
        var woken: [CheckedContinuation<Bool, Never>] = []
        var passes = 0
        while state.outstanding < state.settings.maxOutstanding, !state.turn.isEmpty, passes < state.turn.count {
            let zone = state.turn.removeFirst()
            guard fits(zone, state), var line = state.lines[zone], !line.isEmpty else {
                state.turn.append(zone)
                passes += 1
                continue
            }
            passes = 0
            let waiter = line.removeFirst()
            state.waiting -= 1
            take(zone, &state)
            woken.append(waiter.continuation)
            if line.isEmpty {
                state.lines[zone] = nil
            } else {
                state.lines[zone] = line
                state.turn.append(zone)
            }
        }
        return woken
    }
}
