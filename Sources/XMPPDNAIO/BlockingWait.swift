#if canImport(Glibc)
import Glibc
#endif

/// Runs `body` as a task on the library's threads (`WorkerExecutor`) and
/// blocks the calling thread until it is done: the bridge for blocking C
/// calls and synchronous callers. The caller's thread only waits, so any
/// thread may call it except one of the library's own.
public func blockingWait<T: Sendable>(_ body: @escaping @Sendable () async -> T) -> T {
    let box = ResultBox<T>()
    Task.detached(executorPreference: WorkerExecutor.shared) { box.put(await body()) }
    return box.take()
}

private final class ResultBox<T: Sendable>: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    private var condition = pthread_cond_t()
    private var value: T?

    init() {
        pthread_mutex_init(&mutex, nil)
        pthread_cond_init(&condition, nil)
    }

    deinit {
        pthread_cond_destroy(&condition)
        pthread_mutex_destroy(&mutex)
    }

    func put(_ result: T) {
        pthread_mutex_lock(&mutex)
        value = result
        pthread_cond_signal(&condition)
        pthread_mutex_unlock(&mutex)
    }

    func take() -> T {
        pthread_mutex_lock(&mutex)
        while value == nil { pthread_cond_wait(&condition, &mutex) }
        let result = value!
        pthread_mutex_unlock(&mutex)
        return result
    }
}
