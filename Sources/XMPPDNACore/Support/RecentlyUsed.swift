/// A bounded map that forgets the least recently used entries first, for
/// the caches of parsed and verified certificates. Not thread-safe: its
/// owner holds it inside a lock.
package struct RecentlyUsed<Key: Hashable, Value> {
    private var entries: [Key: (value: Value, lastUse: UInt64)] = [:]
    private var clock: UInt64 = 0
    package private(set) var capacity: Int

    package init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// A lower capacity forgets the least recently used entries now.
    package mutating func setCapacity(_ capacity: Int) {
        self.capacity = max(1, capacity)
        if entries.count > self.capacity { keepMostRecent(self.capacity) }
    }

    package var count: Int { entries.count }

    /// The value for `key`, now the most recently used.
    package mutating func value(for key: Key) -> Value? {
        guard let entry = entries[key] else { return nil }
        clock += 1
        entries[key] = (entry.value, clock)
        return entry.value
    }

    package mutating func set(_ value: Value, for key: Key) {
        clock += 1
        entries[key] = (value, clock)
        guard entries.count > capacity else { return }
        // The oldest quarter goes at once, so the sort is rare.
        keepMostRecent(max(1, capacity - capacity / 4))
    }

    private mutating func keepMostRecent(_ count: Int) {
        let kept = entries.sorted { $0.value.lastUse > $1.value.lastUse }.prefix(count)
        entries = Dictionary(uniqueKeysWithValues: kept.map { ($0.key, $0.value) })
    }
}
