import CXMPPDNAShim
#if canImport(Glibc)
import Glibc
#endif
import XMPPDNACore
import XMPPDNAIO

/// The context's asynchronous questions, the libunbound `ub_fd`/`ub_process`
/// model: each question is a task that waits on its sockets without holding
/// a thread, and its answer waits in a completion queue whose eventfd
/// becomes readable, so an event loop collects answers on its own thread.
public final class AsyncQueries: Sendable {
    public typealias Work = @Sendable () async -> any Sendable

    /// eventfd: readable while answers wait for `takeCompleted`.
    public let fd: Int32

    private struct State {
        var lastID: Int32 = 0
        var running: [Int32: Task<Void, Never>] = [:]
        var completed: [(id: Int32, result: any Sendable)] = []
        /// The ids in `completed`: a new id is checked against them at every
        /// submit, which a scan of `completed` made quadratic.
        var completedIDs: Set<Int32> = []
        var stopping = false
    }

    private let state = Locked(State())

    public init() throws(QueryPoolError) {
        let fd = xdna_shim_eventfd()
        guard fd >= 0 else { throw .noEventFD(String(cString: strerror(errno))) }
        self.fd = fd
    }

    deinit {
        shutdown()
        close(fd)
    }

    /// Starts `work`; its id, or nil once the context is shutting down.
    public func submit(_ work: @escaping Work) -> Int32? {
        state.withLock { state -> Int32? in
            guard let id = Self.newID(&state) else { return nil }
            // Recorded before the task can finish: it needs this lock to report.
            state.running[id] = Task.detached(executorPreference: WorkerExecutor.shared) { [self] in
                let result = await work()
                self.finish(id, result)
            }
            return id
        }
    }

    /// A question answered already (from a cache): queued as finished, with
    /// no task, for the next `takeCompleted`.
    public func submitAnswered(_ result: any Sendable) -> Int32? {
        let id = state.withLock { state -> Int32? in
            guard let id = Self.newID(&state) else { return nil }
            state.completed.append((id, result))
            state.completedIDs.insert(id)
            return id
        }
        if id != nil {
            var one: UInt64 = 1
            _ = write(fd, &one, 8)
        }
        return id
    }

    /// Ids wrap after 2^31 and skip any still in use; nil once stopping.
    private static func newID(_ state: inout State) -> Int32? {
        guard !state.stopping else { return nil }
        repeat {
            state.lastID = state.lastID == Int32.max ? 1 : state.lastID + 1
        } while state.running[state.lastID] != nil || state.completedIDs.contains(state.lastID)
        return state.lastID
    }

    private func finish(_ id: Int32, _ result: any Sendable) {
        let reported = state.withLock { state -> Bool in
            guard state.running.removeValue(forKey: id) != nil else { return false }
            state.completed.append((id, result))
            state.completedIDs.insert(id)
            return true
        }
        if reported {
            var one: UInt64 = 1
            _ = write(fd, &one, 8)
        }
    }

    /// Cancels a question that has not been taken yet: its task stops at
    /// its next wait and its sockets close; a finished answer is dropped.
    public func cancel(_ id: Int32) -> Bool {
        let task = state.withLock { state -> Task<Void, Never>?? in
            if let task = state.running.removeValue(forKey: id) { return task }
            if state.completedIDs.remove(id) != nil, let index = state.completed.firstIndex(where: { $0.id == id }) {
                state.completed.remove(at: index)
                return .some(nil)
            }
            return nil
        }
        guard let task else { return false }
        task?.cancel()
        return true
    }

    /// The finished answers, oldest first; clears the fd's readiness.
    public func takeCompleted() -> [(id: Int32, result: any Sendable)] {
        var counter: UInt64 = 0
        _ = read(fd, &counter, 8)
        return state.withLock { state in
            defer {
                state.completed.removeAll()
                state.completedIDs.removeAll()
            }
            return state.completed
        }
    }

    /// Blocks until an answer is ready or `milliseconds` pass.
    public func waitForCompletion(milliseconds: Int32) {
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        _ = poll(&entry, 1, milliseconds)
    }

    /// Questions started and not yet taken or cancelled.
    public var outstanding: Int { state.withLock { $0.running.count + $0.completed.count } }

    /// Cancels every question and waits until their tasks have ended, so
    /// nothing runs once the context is gone. Idempotent.
    public func shutdown() {
        let tasks = state.withLock { state -> [Task<Void, Never>] in
            state.stopping = true
            state.completed.removeAll()
            state.completedIDs.removeAll()
            defer { state.running.removeAll() }
            return Array(state.running.values)
        }
        guard !tasks.isEmpty else { return }
        for task in tasks { task.cancel() }
        blockingWait { for task in tasks { await task.value } }
    }
}

public enum QueryPoolError: Error, Hashable, Sendable {
    /// The completion queue's eventfd could not be made.
    case noEventFD(String)
}
