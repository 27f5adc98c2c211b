#if canImport(Glibc)
import Glibc
#endif

/// Locks for many short-lived objects without an allocation each: an
/// object hashes to one of 64 pthread mutexes made once for the process.
/// A verdict handle is made per connection and its lock is rarely taken
/// (only to make what a reader asks for), so sharing stripes costs nothing
/// measurable, and pthread mutexes keep ThreadSanitizer able to see them.
/// A body must not take another object's stripe: two stripes taken in
/// opposite orders could deadlock.
enum StripedLock {
    private static let count = 64
    private nonisolated(unsafe) static let mutexes: UnsafeMutablePointer<pthread_mutex_t> = {
        let mutexes = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: count)
        for index in 0..<count {
            (mutexes + index).initialize(to: pthread_mutex_t())
            pthread_mutex_init(mutexes + index, nil)
        }
        return mutexes
    }()

    static func withLock<T, E: Error>(for object: AnyObject, _ body: () throws(E) -> T) throws(E) -> T {
        // The address itself, not its hashValue (a SipHash per call); objects
        // are 16-byte aligned, so the low four bits carry no information.
        let stripe = Int((UInt(bitPattern: ObjectIdentifier(object)) >> 4) % UInt(count))
        pthread_mutex_lock(mutexes + stripe)
        defer { pthread_mutex_unlock(mutexes + stripe) }
        return try body()
    }
}
