import Testing
@testable import XMPPDNAIO

/// QueryLimits on its own: the zone a name is counted under, and the lines
/// per zone that keep one zone's backlog from delaying another's.
@Suite struct QueryLimitsTests {
    @Test(arguments: [
        ("_xmpp-server._tcp.example.com", "example.com"),
        ("Host1.Example.NET.", "example.net"),
        ("a.b.evil.co.uk", "evil.co.uk"),
        ("jabber.co.uk", "jabber.co.uk"),
        ("co.uk", "co.uk"),
        ("com", "com"),
        ("someone.github.io", "someone.github.io"),
        // A top-level domain not on the list is a public suffix by the "*" rule.
        ("x.y.insecure.example", "insecure.example"),
        ("", ""),
    ])
    func aNameCountsUnderItsRegistrableDomain(name: String, zone: String) {
        #expect(QueryLimits.zone(of: name) == zone)
    }

    /// Two registrants under one public suffix are two zones: whoever fills
    /// evil.co.uk's share does not touch jabber.co.uk's.
    @Test func oneRegistrantsBacklogLeavesItsNeighbourUnderTheSameSuffixAlone() async throws {
        let limits = QueryLimits(.init(maxOutstanding: 8, maxPerZone: 2, maxWaiting: 100))
        let evil = QueryLimits.zone(of: "_xmpp-server._tcp.x1.evil.co.uk")
        let jabber = QueryLimits.zone(of: "_xmpp-server._tcp.jabber.co.uk")
        // Counted by their last two labels, both were "co.uk", and jabber.co.uk waited behind evil's line.
        try #require(evil != jabber)
        for _ in 0..<2 { #expect(await limits.acquire(zone: evil)) }
        let waiting = Task { await limits.acquire(zone: QueryLimits.zone(of: "x2.evil.co.uk")) }
        while limits.load.waiting < 1 { await Task.yield() }
        // Granted at once, beside a full evil.co.uk and its line.
        #expect(await limits.acquire(zone: jabber))
        #expect(limits.load == (outstanding: 3, waiting: 1))
        limits.release(zone: evil)
        #expect(await waiting.value)
        #expect(limits.load == (outstanding: 3, waiting: 0))
    }

    @Test func workBeyondTheLinesIsRefusedAtOnce() async {
        let limits = QueryLimits(.init(maxOutstanding: 1, maxPerZone: 1, maxWaiting: 1))
        #expect(await limits.acquire(zone: "a.example"))
        let queued = Task { await limits.acquire(zone: "b.example") }
        while limits.load.waiting < 1 { await Task.yield() }
        #expect(await limits.acquire(zone: "c.example") == false)
        limits.release(zone: "a.example")
        #expect(await queued.value)
    }

    /// A freed slot goes to the zones in turn, not to the longest line.
    @Test func freedSlotsGoToTheZonesInTurn() async {
        let limits = QueryLimits(.init(maxOutstanding: 1, maxPerZone: 1, maxWaiting: 100))
        #expect(await limits.acquire(zone: "busy.example"))
        let order = Guarded<[String]>([])
        var tasks: [Task<Void, Never>] = []
        for (index, zone) in ["busy.example", "busy.example", "busy.example", "quiet.example"].enumerated() {
            tasks.append(Task {
                if await limits.acquire(zone: zone) { order.withLock { $0.append(zone) } }
            })
            while limits.load.waiting < index + 1 { await Task.yield() }
        }
        // Each release frees the slot of the one granted last; the next waiter takes it.
        var holder = "busy.example"
        for granted in 1...4 {
            limits.release(zone: holder)
            while order.withLock({ $0.count }) < granted { await Task.yield() }
            holder = order.withLock { $0[granted - 1] }
        }
        limits.release(zone: holder)
        for task in tasks { await task.value }
        // quiet.example came fourth but was served second.
        #expect(order.withLock { $0 } == ["busy.example", "quiet.example", "busy.example", "busy.example"])
        #expect(limits.load == (outstanding: 0, waiting: 0))
    }
}
