/// The system's CSPRNG as a generator with storage. SystemRandomNumberGenerator
/// is zero-sized, so every local instance shares one global address, and
/// ThreadSanitizer reports the `inout` accesses of threads that each use
/// their own instance as a race. The entropy still comes from the stdlib.
package struct SystemRandom: RandomNumberGenerator {
    private var drawn: UInt64 = 0

    package init() {}

    package mutating func next() -> UInt64 {
        drawn = UInt64.random(in: UInt64.min...UInt64.max)
        return drawn
    }
}
