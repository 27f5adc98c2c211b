import CXMPPDNAShim
#if canImport(Glibc)
import Glibc
import XMPPDNACore
#endif

/// Runs blocking queries (DNS, HTTPS) on a bounded set of worker threads
/// and hands finished results back through a completion queue whose
/// eventfd becomes readable, the libunbound `ub_fd`/`ub_process` model: an
/// event loop watches `fd` and collects results on its own thread.
///
/// pthreads and a condition variable rather than Dispatch: the static
/// release library carries no Dispatch, and ThreadSanitizer follows these.
public final class QueryPool: @unchecked Sendable {
    public typealias Work = @Sendable () -> any Sendable

    /// eventfd: readable while completions wait for `takeCompleted`.
    public let fd: Int32
    public let maxThreads: Int

    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let wake = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    // Everything below is guarded by `mutex`.
    private var queue: [(id: Int32, work: Work)] = []
    private var queueHead = 0
    private var running = Set<Int32>()
    /// Running queries whose results are to be dropped.
    private var abandoned = Set<Int32>()
    private var completed: [(id: Int32, result: any Sendable)] = []
    /// Every id queued, running or completed but not taken: a new id must
    /// not be one of them (ids wrap after 2^31).
    private var live = Set<Int32>()
    private var threads: [pthread_t] = []
    private var idle = 0
    private var stopping = false
    private var lastID: Int32 = 0

    #if DEBUG
    /// Test seam: runs just before a worker thread is created.
    var beforeWorkerStart: (@Sendable () -> Void)?
    /// Threads started and not yet joined.
    var unjoinedWorkers: Int { (try? locked { threads.count }) ?? 0 }
    #endif

    public init(maxThreads: Int) throws(QueryPoolError) {
        let fd = xdna_shim_eventfd()
        guard fd >= 0 else { throw .noEventFD(String(cString: strerror(errno))) }
        self.fd = fd
        self.maxThreads = max(1, maxThreads)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
        wake.initialize(to: pthread_cond_t())
        pthread_cond_init(wake, nil)
    }

    deinit {
        shutdown()
        pthread_cond_destroy(wake)
        pthread_mutex_destroy(mutex)
        wake.deallocate()
        mutex.deallocate()
        close(fd)
    }

    private func locked<T>(_ body: () throws(QueryPoolError) -> T) throws(QueryPoolError) -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }

    /// Queues `work`; its id is positive and unique among live queries.
    public func submit(_ work: @escaping Work) throws(QueryPoolError) -> Int32 {
        try locked { () throws(QueryPoolError) -> Int32 in
            guard !stopping else { throw .shutDown }
            if idle == 0 && threads.count < maxThreads {
                try startThread()
            } else {
                pthread_cond_signal(wake)
            }
            repeat {
                lastID = lastID == Int32.max ? 1 : lastID + 1
            } while live.contains(lastID)
            live.insert(lastID)
            queue.append((lastID, work))
            return lastID
        }
    }

    /// Forgets a query: its result will never be returned. False if the id
    /// is not pending, running or waiting to be taken.
    public func cancel(_ id: Int32) -> Bool {
        (try? locked { () -> Bool in
            guard live.contains(id) else { return false }
            if running.contains(id) { return abandoned.insert(id).inserted }
            live.remove(id)
            if let index = queue[queueHead...].firstIndex(where: { $0.id == id }) {
                queue.remove(at: index)
            } else if let index = completed.firstIndex(where: { $0.id == id }) {
                completed.remove(at: index)
            }
            return true
        }) ?? false
    }

    /// The finished results, oldest first; clears the fd's readiness.
    public func takeCompleted() -> [(id: Int32, result: any Sendable)] {
        var counter: UInt64 = 0
        _ = read(fd, &counter, 8)
        return (try? locked { () -> [(id: Int32, result: any Sendable)] in
            defer { completed.removeAll() }
            for (id, _) in completed { live.remove(id) }
            return completed
        }) ?? []
    }

    /// Blocks until a result is ready or `milliseconds` pass.
    public func waitForCompletion(milliseconds: Int32) {
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        _ = poll(&entry, 1, milliseconds)
    }

    /// Drops every query, lets running ones finish (their results are
    /// dropped too) and joins the threads. Idempotent.
    public func shutdown() {
        let joining = (try? locked { () -> [pthread_t] in
            stopping = true
            queue.removeAll()
            queueHead = 0
            abandoned.formUnion(running)
            completed.removeAll()
            live = running
            pthread_cond_broadcast(wake)
            defer { threads.removeAll() }
            return threads
        }) ?? []
        for thread in joining { pthread_join(thread, nil) }
    }

    /// Called with `mutex` held, so that `shutdown` either sees `stopping`
    /// set before this or finds the thread in `threads` and joins it.
    private func startThread() throws(QueryPoolError) {
        #if DEBUG
        beforeWorkerStart?()
        #endif
        var thread = pthread_t()
        let me = Unmanaged.passUnretained(self).toOpaque()
        let result = pthread_create(&thread, nil, { argument in
            Unmanaged<QueryPool>.fromOpaque(argument!).takeUnretainedValue().workLoop()
            return nil
        }, me)
        guard result == 0 else { throw .noThread(String(cString: strerror(result))) }
        threads.append(thread)
    }

    private func workLoop() {
        pthread_mutex_lock(mutex)
        while true {
            while queueHead == queue.count && !stopping {
                idle += 1
                pthread_cond_wait(wake, mutex)
                idle -= 1
            }
            if stopping { break }
            let (id, work) = queue[queueHead]
            queueHead += 1
            if queueHead > 64 && queueHead * 2 > queue.count {
                queue.removeFirst(queueHead)
                queueHead = 0
            }
            running.insert(id)
            pthread_mutex_unlock(mutex)
            let result = work()
            pthread_mutex_lock(mutex)
            running.remove(id)
            if abandoned.remove(id) != nil {
                live.remove(id)
            } else {
                completed.append((id, result))
                var one: UInt64 = 1
                _ = write(fd, &one, 8)
            }
        }
        pthread_mutex_unlock(mutex)
    }
}

public enum QueryPoolError: Error, Hashable, Sendable {
    case noEventFD(String)
    case noThread(String)
    /// The pool was shut down (its context is being freed).
    case shutDown
}
