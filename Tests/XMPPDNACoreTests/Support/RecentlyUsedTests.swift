import Testing
@testable import XMPPDNACore

// The bound of the certificate caches: over capacity, the least recently
// used quarter goes; a read counts as a use.

@Suite struct RecentlyUsedTests {
    @Test func overCapacityTheLeastRecentlyUsedGo() {
        var cache = RecentlyUsed<Int, String>(capacity: 4)
        for key in 0..<4 { cache.set("\(key)", for: key) }
        #expect(cache.value(for: 0) == "0", "reading 0 makes it the most recent")
        cache.set("4", for: 4)
        #expect(cache.count == 3)
        #expect(cache.value(for: 1) == nil && cache.value(for: 2) == nil, "the two oldest went")
        #expect(cache.value(for: 0) == "0" && cache.value(for: 3) == "3" && cache.value(for: 4) == "4")
    }

    @Test func aLowerCapacityKeepsTheMostRecentAtOnce() {
        var cache = RecentlyUsed<Int, String>(capacity: 8)
        for key in 0..<6 { cache.set("\(key)", for: key) }
        _ = cache.value(for: 1)
        cache.setCapacity(2)
        #expect(cache.count == 2 && cache.capacity == 2)
        #expect(cache.value(for: 1) == "1" && cache.value(for: 5) == "5", "the two most recently used stay")
        cache.setCapacity(0)
        #expect(cache.capacity == 1 && cache.count == 1)
    }

    @Test func settingAgainReplacesWithoutGrowing() {
        var cache = RecentlyUsed<String, Int>(capacity: 2)
        cache.set(1, for: "a")
        cache.set(2, for: "a")
        #expect(cache.count == 1 && cache.value(for: "a") == 2)
    }
}
