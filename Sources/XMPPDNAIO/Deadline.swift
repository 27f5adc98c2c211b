#if canImport(Glibc)
import Glibc
#endif

/// A point on the monotonic clock after which a wait gives up.
public struct Deadline: Sendable, Comparable {
    public let nanoseconds: UInt64

    public init(millisecondsFromNow milliseconds: Int) {
        nanoseconds = Deadline.now() &+ UInt64(max(0, milliseconds)) &* 1_000_000
    }

    public var remainingMilliseconds: Int {
        let now = Deadline.now()
        return nanoseconds > now ? Int((nanoseconds - now + 999_999) / 1_000_000) : 0
    }

    public var hasPassed: Bool { Deadline.now() >= nanoseconds }

    public static func < (lhs: Deadline, rhs: Deadline) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    private static func now() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
    }
}
