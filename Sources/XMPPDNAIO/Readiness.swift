import CXMPPDNAIO
#if canImport(Glibc)
import Glibc
#endif

/// Waiting for a socket without holding a thread: one epoll thread for the
/// process watches every descriptor a task waits on and resumes the task
/// when it is ready, its deadline passes, or it is cancelled. Thousands of
/// slow peers cost descriptors and memory, not threads (issue #23). Its own
/// thread, not Dispatch's shared pool, so a host that blocks those threads
/// cannot stall it.
public enum Readiness {
    public enum Event: Sendable {
        case readable
        case writable
    }

    public enum Outcome: Sendable, Equatable {
        case ready
        case timedOut
        case cancelled
    }

    /// Suspends until `fd` is ready for `event`, `deadline` passes, or the
    /// task is cancelled. The descriptor is no longer watched when this
    /// returns, so the caller may close it at once.
    public static func wait(_ fd: Int32, for event: Event, until deadline: Deadline) async -> Outcome {
        if Task.isCancelled { return .cancelled }
        if deadline.hasPassed { return .timedOut }
        guard let loop = EventLoop.shared else { return .timedOut }
        return await loop.wait(fd, event, deadline)
    }

    /// Suspends until `deadline` or cancellation, on the same loop (no
    /// Dispatch timer, whose threads a host may block).
    public static func sleep(until deadline: Deadline) async -> Outcome {
        if Task.isCancelled { return .cancelled }
        if deadline.hasPassed { return .timedOut }
        guard let loop = EventLoop.shared else { return .timedOut }
        return await loop.wait(-1, .readable, deadline)
    }
}

private final class EventLoop: @unchecked Sendable {
    static let shared = EventLoop()

    private struct Waiter {
        let fd: Int32
        let deadline: Deadline
        let continuation: CheckedContinuation<Readiness.Outcome, Never>
    }

    private let epoll: Int32
    private let wakeFD: Int32
    private var mutex = pthread_mutex_t()
    // Guarded by `mutex`.
    private var waiters: [UInt64: Waiter] = [:]
    private var lastToken: UInt64 = 0

    private init?() {
        epoll = xdna_io_epoll_new()
        wakeFD = xdna_io_eventfd()
        guard epoll >= 0, wakeFD >= 0 else { return nil }
        pthread_mutex_init(&mutex, nil)
        guard xdna_io_epoll_add(epoll, wakeFD, Int32(XDNA_IO_READABLE), 0) == 0 else { return nil }
        var thread = pthread_t()
        let me = Unmanaged.passRetained(self).toOpaque()
        guard pthread_create(&thread, nil, { raw in
            Unmanaged<EventLoop>.fromOpaque(raw!).takeUnretainedValue().run()
        }, me) == 0 else { return nil }
        pthread_detach(thread)
    }

    func wait(_ fd: Int32, _ event: Readiness.Event, _ deadline: Deadline) async -> Readiness.Outcome {
        let token = locked { () -> UInt64 in
            lastToken += 1
            return lastToken
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Readiness.Outcome, Never>) in
                let registered = locked { () -> Bool in
                    let what = event == .readable ? XDNA_IO_READABLE : XDNA_IO_WRITABLE
                    // No descriptor: a timer only.
                    guard fd < 0 || xdna_io_epoll_add(epoll, fd, Int32(what), token) == 0 else { return false }
                    waiters[token] = Waiter(fd: fd, deadline: deadline, continuation: continuation)
                    return true
                }
                // A descriptor epoll refuses is reported ready: the caller's
                // read or write then says what is wrong with it.
                guard registered else { return continuation.resume(returning: .ready) }
                wake()
                // Cancelled before the waiter was recorded: the handler found nothing.
                if Task.isCancelled { finish(token, .cancelled) }
            }
        } onCancel: {
            finish(token, .cancelled)
        }
    }

    /// Resumes the waiter once, whoever gets here first.
    private func finish(_ token: UInt64, _ outcome: Readiness.Outcome) {
        let waiter = locked { () -> Waiter? in
            guard let waiter = waiters.removeValue(forKey: token) else { return nil }
            if waiter.fd >= 0 { _ = xdna_io_epoll_remove(epoll, waiter.fd) }
            return waiter
        }
        waiter?.continuation.resume(returning: outcome)
    }

    private func wake() {
        var one: UInt64 = 1
        _ = write(wakeFD, &one, 8)
    }

    /// What `run` fills: kept on the loop (reachable for the life of the
    /// process) rather than in locals of a function that never returns.
    private let tokens = UnsafeMutablePointer<UInt64>.allocate(capacity: 64)
    private var expired: [UInt64] = []

    private func run() -> Never {
        while true {
            let timeout = locked { () -> Int32 in
                var next: Deadline?
                for waiter in waiters.values where next.map({ waiter.deadline < $0 }) ?? true { next = waiter.deadline }
                return next.map { Int32(min($0.remainingMilliseconds, 60_000)) } ?? -1
            }
            let count = xdna_io_epoll_wait(epoll, tokens, 64, timeout)
            for index in 0..<max(0, Int(count)) {
                let token = tokens[index]
                if token == 0 {
                    var drained: UInt64 = 0
                    _ = read(wakeFD, &drained, 8)
                    // Oneshot: watch the wake-up descriptor again.
                    _ = xdna_io_epoll_remove(epoll, wakeFD)
                    _ = xdna_io_epoll_add(epoll, wakeFD, Int32(XDNA_IO_READABLE), 0)
                } else {
                    finish(token, .ready)
                }
            }
            locked {
                expired.removeAll(keepingCapacity: true)
                for (token, waiter) in waiters where waiter.deadline.hasPassed { expired.append(token) }
            }
            for token in expired { finish(token, .timedOut) }
        }
    }

    private func locked<T>(_ body: () -> T) -> T {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return body()
    }
}
