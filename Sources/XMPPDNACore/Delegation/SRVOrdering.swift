/// RFC 2782 connection order: ascending priority; within one priority a
/// weighted random order, zero weights first in the draw.
enum SRVOrdering {
    static func order<T>(_ items: [T], priority: (T) -> UInt16, weight: (T) -> UInt16,
                         using generator: inout some RandomNumberGenerator) -> [T] {
        let groups = Dictionary(grouping: items.indices, by: { priority(items[$0]) })
        var ordered: [T] = []
        for key in groups.keys.sorted() {
            // Stable start so only the generator decides among equals.
            var pending = groups[key]!.sorted { weight(items[$0]) < weight(items[$1]) }
            while !pending.isEmpty {
                let total = pending.reduce(0) { $0 + Int(weight(items[$1])) }
                let draw = total == 0 ? 0 : Int.random(in: 0...total, using: &generator)
                var running = 0
                var chosen = pending.count - 1
                for (position, index) in pending.enumerated() {
                    running += Int(weight(items[index]))
                    if running >= draw {
                        chosen = position
                        break
                    }
                }
                ordered.append(items[pending.remove(at: chosen)])
            }
        }
        return ordered
    }
}
