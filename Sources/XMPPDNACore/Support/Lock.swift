#if canImport(Glibc)
import Glibc
#endif

/// A pthread mutex guarding a value. Used instead of Synchronization.Mutex
/// because ThreadSanitizer on Linux cannot see that one's hand-over under
/// contention and reports races that are not there; a plain pthread mutex
/// it understands, so the concurrency suite stays meaningful under TSan.
public final class Locked<Value>: @unchecked Sendable {
    @usableFromInline let mutex: UnsafeMutablePointer<pthread_mutex_t>
    @usableFromInline var value: Value

    public init(_ value: Value) {
        self.value = value
        mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Inlinable, so each caller gets a copy specialised for its types;
    /// the generic one copied values through their type metadata, which
    /// showed in the warm name list's profile.
    @inlinable
    public func withLock<T, E: Error>(_ body: (inout Value) throws(E) -> T) throws(E) -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
