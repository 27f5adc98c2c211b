import XMPPDNACore

/// The context's worker pool for asynchronous questions, made on first use
/// with the thread count set before it.
public final class Workers: Sendable {
    private struct State {
        var pool: QueryPool?
        var maxThreads = 4
    }

    private let state = Locked(State())

    public func setThreads(_ count: Int) { state.withLock { $0.maxThreads = count } }

    /// The pool, started now if it was not; nil when threads cannot be made.
    public func started() -> QueryPool? {
        state.withLock { state in
            if state.pool == nil { state.pool = try? QueryPool(maxThreads: state.maxThreads) }
            return state.pool
        }
    }

    /// The pool if it was started.
    public var current: QueryPool? { state.withLock { $0.pool } }

    /// Cancels everything queued and joins the workers.
    public func shutdown() { current?.shutdown() }
}
