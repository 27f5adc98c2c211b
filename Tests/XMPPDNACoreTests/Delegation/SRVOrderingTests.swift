import Testing
@testable import XMPPDNACore

// RFC 2782 connection order, with a seeded generator so every run draws
// the same numbers.

/// SplitMix64 (Steele, Lea and Flood 2014): small, seedable, and good
/// enough to stand in for the system's generator in a test.
private struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}

/// Counts the numbers drawn, to show when none are.
private struct CountingGenerator: RandomNumberGenerator {
    var inner: SplitMix64
    var draws = 0
    mutating func next() -> UInt64 {
        draws += 1
        return inner.next()
    }
}

private struct Target: Hashable {
    let name: String
    let priority: UInt16
    let weight: UInt16
    init(_ name: String, _ priority: UInt16, _ weight: UInt16) {
        self.name = name
        self.priority = priority
        self.weight = weight
    }
}

private func order(_ targets: [Target], using generator: inout some RandomNumberGenerator) -> [String] {
    SRVOrdering.order(targets, priority: \.priority, weight: \.weight, using: &generator).map(\.name)
}

private func order(_ targets: [Target], seed: UInt64) -> [String] {
    var generator = SplitMix64(state: seed)
    return order(targets, using: &generator)
}

@Suite struct SRVOrderingTests {
    /// "A client MUST attempt to contact the target host with the
    /// lowest-numbered priority it can reach."
    @Test func lowerPriorityAlwaysComesFirst() {
        let targets = [Target("c", 30, 100), Target("a", 10, 0), Target("b", 20, 65535), Target("a2", 10, 5)]
        for seed in 0..<50 as Range<UInt64> {
            let names = order(targets, seed: seed)
            #expect(Set(names.prefix(2)) == ["a", "a2"])
            #expect(Array(names.suffix(2)) == ["b", "c"])
        }
    }

    @Test func everyTargetAppearsExactlyOnce() {
        let targets = (0..<12).map { Target("t\($0)", UInt16($0 % 3), UInt16($0 * 7 % 5)) }
        for seed in 0..<20 as Range<UInt64> {
            let names = order(targets, seed: seed)
            #expect(names.sorted() == targets.map(\.name).sorted())
        }
        #expect(order([], seed: 1).isEmpty)
    }

    @Test func theSameSeedGivesTheSameOrder() {
        let targets = (0..<8).map { Target("t\($0)", 0, UInt16(10 + $0)) }
        #expect(order(targets, seed: 42) == order(targets, seed: 42))
        // And different seeds reach different orders: the draw is really used.
        #expect(Set((0..<20 as Range<UInt64>).map { order(targets, seed: $0) }).count > 1)
    }

    /// RFC 2782: with a running sum over the weights (zero weights first),
    /// draw uniformly from 0 to the sum inclusive and take the first target
    /// whose running sum reaches the draw. For weights 0, 1 and 3 the sum
    /// is 4 and the five draws 0...4 pick the zero-weight target once, the
    /// weight-1 target once and the weight-3 target three times.
    @Test func firstChoiceFollowsTheRFC2782Weights() {
        let targets = [Target("heavy", 1, 3), Target("light", 1, 1), Target("zero", 1, 0)]
        var generator = SplitMix64(state: 2782)
        var firsts: [String: Int] = [:]
        let trials = 10_000
        for _ in 0..<trials { firsts[order(targets, using: &generator)[0], default: 0] += 1 }
        // Expected 2,000, 2,000 and 6,000; the standard deviation is about 40 to 50.
        #expect(abs(firsts["zero", default: 0] - 2_000) < 200, "\(firsts)")
        #expect(abs(firsts["light", default: 0] - 2_000) < 200, "\(firsts)")
        #expect(abs(firsts["heavy", default: 0] - 6_000) < 200, "\(firsts)")
    }

    /// Once the first is taken the draw repeats over the rest: after
    /// "heavy" (3), "light" (1) and "zero" (0) sum to 1, so draws 0 and 1
    /// pick each once.
    @Test func laterChoicesDrawAgainOverTheRest() {
        let targets = [Target("heavy", 1, 3), Target("light", 1, 1), Target("zero", 1, 0)]
        var generator = SplitMix64(state: 7)
        var afterHeavy: [String: Int] = [:]
        for _ in 0..<10_000 {
            let names = order(targets, using: &generator)
            if names[0] == "heavy" { afterHeavy[names[1], default: 0] += 1 }
        }
        let total = afterHeavy.values.reduce(0, +)
        #expect(total > 5_000)
        #expect(abs(afterHeavy["zero", default: 0] - total / 2) < total / 10, "\(afterHeavy)")
    }

    /// All weights zero: the sum is 0, every draw is 0, and the order is the
    /// records' own; no random number is needed.
    @Test func allZeroWeightsKeepTheGivenOrderWithoutDrawing() {
        let targets = [Target("x", 5, 0), Target("y", 5, 0), Target("z", 5, 0), Target("w", 1, 0)]
        var generator = CountingGenerator(inner: SplitMix64(state: 9))
        #expect(order(targets, using: &generator) == ["w", "x", "y", "z"])
        #expect(generator.draws == 0)
    }

    /// 64 weights of 65535 sum far past UInt16 and still order every target once.
    @Test func heavyWeightsDoNotOverflow() {
        let targets = (0..<64).map { Target("t\($0)", 0, 65535) }
        let names = order(targets, seed: 3)
        #expect(names.count == 64 && Set(names).count == 64)
    }
}
