import Testing
@testable import XMPPDNA
@testable import XMPPDNACore
@testable import XMPPDNANet
@testable import XMPPDNAOpenSSL
@testable import XMPPDNAResolver

private let world = DNSWorld.shared

/// A clock the test moves by hand, so TTL expiry needs no sleeping.
private final class ManualClock: Sendable {
    private let seconds = Locked(1000.0)
    var now: Double { seconds.withLock { $0 } }
    func advance(_ delta: Double) { seconds.withLock { $0 += delta } }
}

/// Asks NSD directly: a recursive resolver hands out TTLs it already counted down.
private func resolver(_ cache: DNSCache) throws -> DelegationResolver {
    var configuration = world.configuration(world.nsd)
    configuration.cache = cache
    return try DelegationResolver(configuration)
}

/// The world's records all have a TTL of 300 s, its SOA minimum too.
@Suite(.serialized) struct DNSCacheTests {
    @Test func warmLookupIsAnsweredFromTheCacheWithItsStatus() async throws {
        let cache = DNSCache()
        let lookup = try resolver(cache)
        let cold = await lookup.nameList(for: try DNSName("example.com"), service: .xmppServer)
        let afterCold = cache.statistics
        let warm = await lookup.nameList(for: try DNSName("example.com"), service: .xmppServer)
        let afterWarm = cache.statistics
        #expect(cold.status == .secure)
        #expect(warm.acceptableNames == cold.acceptableNames)
        #expect(warm.status == .secure)
        #expect(afterWarm.misses == afterCold.misses, "the warm lookup asked the network")
        #expect(afterWarm.hits > afterCold.hits)
    }

    /// The DS denial that proves insecure.example an unsigned delegation comes
    /// from the cache on the second lookup; it must still prove it. (A bug
    /// once made every later name in an unsigned zone bogus.)
    @Test func cachedDSDenialStillProvesAnInsecureDelegation() async throws {
        let lookup = try resolver(DNSCache())
        #expect(await lookup.nameList(for: try DNSName("insecure.example"), service: .xmppServer).status == .insecure)
        #expect(await lookup.addresses(of: try DNSName("insecure.example")) == [try IPAddress("127.0.3.3")])
        #expect(await lookup.addresses(of: try DNSName("host.insecure.example")).count == 2)
        #expect(await lookup.nameList(for: try DNSName("unsigned.example.net"), service: .xmppServer).status == .insecure)
        #expect(await lookup.addresses(of: try DNSName("host.unsigned.example.net")) == [try IPAddress("127.0.0.5")])
    }

    @Test func entriesExpireAfterTheirTTL() async throws {
        let clock = ManualClock()
        let cache = DNSCache(clock: { clock.now })
        let lookup = try resolver(cache)
        _ = await lookup.nameList(for: try DNSName("example.com"), service: .xmppServer)
        clock.advance(299)
        let beforeExpiry = cache.statistics.misses
        _ = await lookup.nameList(for: try DNSName("example.com"), service: .xmppServer)
        #expect(cache.statistics.misses == beforeExpiry)
        clock.advance(2)
        let list = await lookup.nameList(for: try DNSName("example.com"), service: .xmppServer)
        #expect(cache.statistics.misses > beforeExpiry)
        #expect(list.status == .secure)
    }

    @Test func maximumTTLClampsLongLivedEntries() async throws {
        let clock = ManualClock()
        let cache = DNSCache(clock: { clock.now })
        cache.setTTLBounds(minimum: 1, maximum: 10)
        let lookup = try resolver(cache)
        _ = await lookup.nameList(for: try DNSName("example.com"), service: .xmppServer)
        clock.advance(11)
        let before = cache.statistics.misses
        _ = await lookup.nameList(for: try DNSName("example.com"), service: .xmppServer)
        #expect(cache.statistics.misses > before)
    }

    @Test func denialsAreCachedToo() async throws {
        let clock = ManualClock()
        let cache = DNSCache(clock: { clock.now })
        let lookup = try resolver(cache)
        let cold = await lookup.nameList(for: try DNSName("nosrv2.example.com"), service: .xmppServer)
        #expect(cold.kind == .noSRV)
        #expect(cold.status == .secure)
        let before = cache.statistics
        let warm = await lookup.nameList(for: try DNSName("nosrv2.example.com"), service: .xmppServer)
        #expect(warm.kind == .noSRV && warm.status == .secure)
        #expect(cache.statistics.misses == before.misses)
        clock.advance(301)
        _ = await lookup.nameList(for: try DNSName("nosrv2.example.com"), service: .xmppServer)
        #expect(cache.statistics.misses > before.misses)
    }

    @Test func failuresAreNotCached() async throws {
        let cache = DNSCache()
        var configuration = world.configuration(DNSServerAddress(address: try IPAddress("127.0.0.1"), port: 1))
        configuration.timeoutMilliseconds = 100
        configuration.retries = 0
        configuration.cache = cache
        let lookup = try DelegationResolver(configuration)
        _ = await lookup.nameList(for: try DNSName("example.com"), service: .xmppServer)
        let before = cache.statistics.misses
        _ = await lookup.nameList(for: try DNSName("example.com"), service: .xmppServer)
        #expect(cache.statistics.misses > before)
        #expect(cache.statistics.hits == 0)
    }
}
