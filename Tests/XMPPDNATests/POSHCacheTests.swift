import Testing
@testable import XMPPDNACore
@testable import XMPPDNANet

// Whoever connects chooses the domains whose POSH documents are fetched, so
// the cache is bounded: at the bound the document that expires soonest goes.

private func fetched(_ domain: String) throws -> POSHFetched {
    let document = try POSHDocument.parse(Array(#"{"fingerprints":[{"sha-256":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}],"expires":60}"#.utf8))
    return POSHFetched(document: document, source: "https://\(domain)/.well-known/posh/xmpp-server.json", expires: 60)
}

private func key(_ domain: String) throws -> POSHCache.Key { POSHCache.Key(domain: try DNSName(domain), service: "xmpp-server") }

@Suite struct POSHCacheTests {
    @Test func atTheBoundTheSoonestToExpireGoes() throws {
        let cache = POSHCache()
        cache.setLimit(3)
        for (i, seconds) in [600, 60, 3600].enumerated() {
            cache.store(try fetched("d\(i).example"), for: try key("d\(i).example"), seconds: UInt32(seconds))
        }
        cache.store(try fetched("d3.example"), for: try key("d3.example"), seconds: 300)
        #expect(cache.count == 3)
        #expect(cache.lookup(try key("d1.example")) == nil, "the one with 60 s left went")
        #expect(try ["d0.example", "d2.example", "d3.example"].allSatisfy { cache.lookup(try key($0)) != nil })
        cache.store(try fetched("d3.example"), for: try key("d3.example"), seconds: 30)
        #expect(try cache.count == 3 && cache.lookup(key("d0.example")) != nil, "storing a kept domain again drops nothing")
    }

    @Test func aLowerLimitMakesRoomAtOnce() throws {
        let cache = POSHCache()
        #expect(cache.limit == POSHCache.defaultLimit)
        for (i, seconds) in [600, 60, 3600].enumerated() {
            cache.store(try fetched("d\(i).example"), for: try key("d\(i).example"), seconds: UInt32(seconds))
        }
        cache.setLimit(1)
        #expect(try cache.count == 1 && cache.lookup(key("d2.example")) != nil, "the latest to expire stays")
    }
}
