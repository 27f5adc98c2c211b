#if canImport(Glibc)
import Glibc
#endif

/// The library's own threads for its tasks: CPU work (signature and chain
/// verification) and the few steps between waits. A host may block every
/// thread of Swift's shared pool (a C caller's poll loop inside a task, a
/// test); the library's questions must still finish, so they never run
/// there. Waiting for a socket holds none of these threads (`Readiness`).
public final class WorkerExecutor: TaskExecutor, @unchecked Sendable {
    /// One pool for the process, started on first use.
    public static let shared = WorkerExecutor(threads: max(8, 4 * Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))))

    private var mutex = pthread_mutex_t()
    private var wake = pthread_cond_t()
    private var jobs: [UnownedJob] = []
    private var head = 0
    private var started = 0
    private var idle = 0
    private let maxThreads: Int

    init(threads: Int) {
        maxThreads = max(1, threads)
        pthread_mutex_init(&mutex, nil)
        pthread_cond_init(&wake, nil)
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        pthread_mutex_lock(&mutex)
        jobs.append(unowned)
        // A thread more when more jobs wait than threads do (a woken thread
        // still counts as idle until it runs), up to the cap; threads live
        // as long as the process.
        let startOne = jobs.count - head > idle && started < maxThreads
        if startOne { started += 1 }
        pthread_cond_signal(&wake)
        pthread_mutex_unlock(&mutex)
        if startOne { startThread() }
    }

    private func startThread() {
        var thread = pthread_t()
        let context = Unmanaged.passRetained(self).toOpaque()
        let made = pthread_create(&thread, nil, { raw in
            let executor = Unmanaged<WorkerExecutor>.fromOpaque(raw!).takeRetainedValue()
            executor.run()
            return nil
        }, context)
        if made == 0 {
            pthread_detach(thread)
        } else {
            Unmanaged<WorkerExecutor>.fromOpaque(context).release()
            pthread_mutex_lock(&mutex)
            started -= 1
            pthread_mutex_unlock(&mutex)
        }
    }

    private func run() -> Never {
        while true {
            pthread_mutex_lock(&mutex)
            while head == jobs.count {
                idle += 1
                pthread_cond_wait(&wake, &mutex)
                idle -= 1
            }
            let job = jobs[head]
            head += 1
            if head > 1024 && head * 2 > jobs.count {
                jobs.removeFirst(head)
                head = 0
            }
            pthread_mutex_unlock(&mutex)
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}

/// Runs `body` as a child task on the library's threads and waits for it
/// where the caller is: the public async entry points use it, so their work
/// never waits for a thread of the host's pool, and the host's code never
/// runs on the library's threads. Cancelling the caller cancels `body`.
public func onLibraryThreads<T: Sendable>(_ body: @escaping @Sendable () async -> T) async -> T {
    await withTaskGroup(of: T.self) { group in
        group.addTask(executorPreference: WorkerExecutor.shared) { await body() }
        return await group.next()!
    }
}
