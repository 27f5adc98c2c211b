import Testing
@testable import XMPPDNACore
@testable import XMPPDNAResolver

/// A clock the test moves by hand.
final class ManualClock: Sendable {
    private let seconds = Locked(1000.0)
    var now: Double { seconds.withLock { $0 } }
    func set(_ value: Double) { seconds.withLock { $0 = value } }
}

private func answer(_ outcome: DNSSECValidator.Answer.Outcome = .noData, _ status: DNSSECStatus = .secure,
                    ttl: UInt32) -> DNSSECValidator.Answer {
    DNSSECValidator.Answer(outcome: outcome, status: status, cnames: [], ttl: ttl)
}

private func key(_ name: String, _ type: UInt16 = DNSType.a, time: Int64? = nil) -> DNSCache.Key {
    DNSCache.Key(name: name, type: type, time: time)
}

private func nameList(_ status: DNSSECStatus) throws -> NameList {
    let domain = try DNSName("example.com")
    return NameList(domain: domain, service: .xmppServer, kind: .noSRV, status: status,
                    acceptableNames: [AcceptableName(value: .dns(domain), status: nil, source: "the domain")], candidates: [])
}

private func listKey(_ domain: String = "example.com", trustMode: ResolverConfiguration.TrustMode = .validate) -> DNSCache.NameListKey {
    DNSCache.NameListKey(domain: domain, service: .xmppServer, time: nil, trustMode: trustMode)
}

private let bogus = DNSSECStatus.bogus(.dnssecBogus("test"))

/// Clocked at 1000 s; the default bounds are [5, 3600] s.
@Suite struct DNSCacheTests {
    let clock = ManualClock()
    let cache: DNSCache

    init() {
        let clock = self.clock
        cache = DNSCache(clock: { clock.now })
    }

    /// Whether `key` is answered at `time`, and with what TTL left.
    private func ttl(_ key: DNSCache.Key, at time: Double) -> UInt32? {
        clock.set(time)
        return cache.answer(for: key)?.ttl
    }

    @Test func anAnswerLivesForItsTTLAndReportsWhatIsLeft() {
        cache.store(answer(ttl: 300), for: key("a.example"))
        #expect(ttl(key("a.example"), at: 1000) == 300)
        #expect(ttl(key("a.example"), at: 1100.4) == 199)
        #expect(ttl(key("a.example"), at: 1299.9) == 0)
        #expect(ttl(key("a.example"), at: 1300) == nil)
    }

    @Test func theKeptAnswerIsTheStoredOne() {
        cache.store(answer(.nameError, .insecure, ttl: 60), for: key("gone.example"))
        let kept = cache.answer(for: key("gone.example"))
        guard case .nameError = kept?.outcome else {
            Issue.record("the denial was not kept as a name error")
            return
        }
        #expect(kept?.status == .insecure)
    }

    @Test func shortTTLsAreRaisedToTheMinimum() {
        cache.store(answer(ttl: 1), for: key("one.example"))
        cache.store(answer(ttl: 0), for: key("zero.example"))
        #expect(ttl(key("one.example"), at: 1004) == 1)
        #expect(ttl(key("zero.example"), at: 1004) == 1)
        #expect(ttl(key("one.example"), at: 1005) == nil)
        #expect(ttl(key("zero.example"), at: 1005) == nil)
    }

    @Test func longTTLsAreCutToTheMaximum() {
        cache.store(answer(ttl: 86_400), for: key("long.example"))
        #expect(ttl(key("long.example"), at: 1000) == 3600)
        #expect(ttl(key("long.example"), at: 4599) == 1)
        #expect(ttl(key("long.example"), at: 4600) == nil)
    }

    @Test func boundsCanBeSetAndTheMaximumIsNeverBelowTheMinimum() {
        cache.setTTLBounds(minimum: 60, maximum: 120)
        cache.store(answer(ttl: 10), for: key("short.example"))
        cache.store(answer(ttl: 1000), for: key("long.example"))
        #expect(ttl(key("short.example"), at: 1000) == 60)
        #expect(ttl(key("long.example"), at: 1000) == 120)
        cache.setTTLBounds(minimum: 100, maximum: 10)
        cache.store(answer(ttl: 1000), for: key("inverted.example"))
        #expect(ttl(key("inverted.example"), at: 1000) == 100)
    }

    /// RFC 2308: denials are answers too.
    @Test func denialsAndInsecureAnswersAreCached() {
        cache.store(answer(.nameError, .secure, ttl: 300), for: key("nx.example"))
        cache.store(answer(.noData, .secure, ttl: 300), for: key("nodata.example"))
        cache.store(answer(.records(RRList()), .insecure, ttl: 300), for: key("insecure.example"))
        #expect(ttl(key("nx.example"), at: 1200) == 100)
        #expect(ttl(key("nodata.example"), at: 1200) == 100)
        #expect(ttl(key("insecure.example"), at: 1200) == 100)
    }

    @Test func bogusAnswersAreKeptForTheMinimumTTLOnly() {
        cache.store(answer(.records(RRList()), bogus, ttl: 3600), for: key("bogus.example"))
        cache.store(answer(.failure, bogus, ttl: 3600), for: key("failed-bogus.example"))
        #expect(ttl(key("bogus.example"), at: 1004) == 1)
        #expect(ttl(key("failed-bogus.example"), at: 1004) == 1)
        #expect(cache.answer(for: key("bogus.example"))?.status == bogus)
        #expect(ttl(key("bogus.example"), at: 1005) == nil)
        #expect(ttl(key("failed-bogus.example"), at: 1005) == nil)
    }

    @Test func withAMinimumOfZeroBogusAnswersAreNotKept() {
        cache.setTTLBounds(minimum: 0, maximum: 3600)
        cache.store(answer(.records(RRList()), bogus, ttl: 3600), for: key("bogus.example"))
        #expect(ttl(key("bogus.example"), at: 1000) == nil)
        cache.store(answer(ttl: 0), for: key("zero.example"))
        #expect(ttl(key("zero.example"), at: 1000) == nil, "nothing lives for 0 s")
    }

    @Test func failuresAreNotCached() {
        cache.store(answer(.failure, .indeterminate("timeout"), ttl: 300), for: key("timeout.example"))
        cache.store(answer(.failure, .secure, ttl: 300), for: key("failure.example"))
        cache.store(answer(.records(RRList()), .indeterminate("half"), ttl: 300), for: key("half.example"))
        #expect(ttl(key("timeout.example"), at: 1000) == nil)
        #expect(ttl(key("failure.example"), at: 1000) == nil)
        #expect(ttl(key("half.example"), at: 1000) == nil)
    }

    @Test func aFailureDoesNotEvictTheAnswerAlreadyKept() {
        cache.store(answer(ttl: 300), for: key("a.example"))
        cache.store(answer(.failure, .indeterminate("timeout"), ttl: 0), for: key("a.example"))
        #expect(ttl(key("a.example"), at: 1000) == 300)
    }

    @Test func keysDifferByNameTypeAndTime() {
        cache.store(answer(ttl: 300), for: key("a.example", DNSType.a))
        #expect(ttl(key("a.example", DNSType.a), at: 1000) != nil)
        #expect(ttl(key("a.example", DNSType.aaaa), at: 1000) == nil)
        #expect(ttl(key("b.example", DNSType.a), at: 1000) == nil)
        #expect(ttl(key("a.example", DNSType.a, time: 1_700_000_000), at: 1000) == nil)
    }

    @Test func statisticsCountHitsAndMisses() {
        #expect(cache.statistics == (0, 0))
        _ = cache.answer(for: key("a.example"))
        cache.store(answer(ttl: 300), for: key("a.example"))
        _ = cache.answer(for: key("a.example"))
        _ = cache.answer(for: key("a.example"))
        #expect(cache.statistics == (2, 1))
        clock.set(2000)
        _ = cache.answer(for: key("a.example"))
        #expect(cache.statistics == (2, 2), "an expired entry is a miss")
    }

    @Test func flushForgetsAnswersAndNameLists() throws {
        cache.store(answer(ttl: 300), for: key("a.example"))
        cache.store(try nameList(.secure), ttl: 300, for: listKey())
        cache.flush()
        #expect(cache.answer(for: key("a.example")) == nil)
        #expect(cache.nameList(for: listKey()) == nil)
    }

    /// At the bound, expired entries go first; if that is not enough, all of them.
    @Test func theCacheIsBounded() {
        for i in 0..<DNSCache.defaultLimit / 2 { cache.store(answer(ttl: 10), for: key("short\(i).example")) }
        for i in 0..<DNSCache.defaultLimit / 2 { cache.store(answer(ttl: 300), for: key("long\(i).example")) }
        clock.set(1100)
        cache.store(answer(ttl: 300), for: key("new.example"))
        #expect(ttl(key("long0.example"), at: 1100) != nil, "live entries stay while expired ones make room")
        #expect(ttl(key("new.example"), at: 1100) != nil)
        for i in 0..<DNSCache.defaultLimit / 2 - 1 { cache.store(answer(ttl: 300), for: key("more\(i).example")) }
        cache.store(answer(ttl: 300), for: key("last.example"))
        #expect(ttl(key("long0.example"), at: 1100) == nil, "nothing had expired: everything went")
        #expect(ttl(key("last.example"), at: 1100) != nil)
    }

    @Test func aLowerLimitMakesRoomAtOnceAndBoundsWhatFollows() throws {
        for i in 0..<5 { cache.store(answer(ttl: 10), for: key("short\(i).example")) }
        for i in 0..<5 { cache.store(answer(ttl: 300), for: key("long\(i).example")) }
        cache.store(try nameList(.secure), ttl: 300, for: listKey())
        clock.set(1100)
        cache.setLimit(5)
        #expect(cache.limit == 5)
        #expect(ttl(key("short0.example"), at: 1100) == nil && ttl(key("long4.example"), at: 1100) != nil,
                "the expired went, the five live ones fit")
        #expect(cache.nameList(for: listKey()) != nil)
        cache.store(answer(ttl: 300), for: key("sixth.example"))
        #expect(ttl(key("long0.example"), at: 1100) == nil, "a sixth answer over a limit of five: everything went")
        #expect(ttl(key("sixth.example"), at: 1100) != nil)
    }

    // MARK: - Name lists

    @Test func nameListsLiveForTheirShortestTTL() throws {
        let list = try nameList(.secure)
        cache.store(list, ttl: 120, for: listKey())
        clock.set(1119)
        #expect(cache.nameList(for: listKey()) == list)
        #expect(cache.statistics.hits == 1)
        clock.set(1120)
        #expect(cache.nameList(for: listKey()) == nil)
    }

    @Test func nameListsAreClampedLikeAnswers() throws {
        cache.store(try nameList(.insecure), ttl: 1, for: listKey("short.example"))
        cache.store(try nameList(.secure), ttl: 100_000, for: listKey("long.example"))
        clock.set(1004)
        #expect(cache.nameList(for: listKey("short.example")) != nil)
        clock.set(1005)
        #expect(cache.nameList(for: listKey("short.example")) == nil)
        clock.set(4599)
        #expect(cache.nameList(for: listKey("long.example")) != nil)
        clock.set(4600)
        #expect(cache.nameList(for: listKey("long.example")) == nil)
    }

    @Test func bogusNameListsAreKeptForTheMinimumAndFailedOnesNotAtAll() throws {
        cache.store(try nameList(bogus), ttl: 3600, for: listKey("bogus.example"))
        cache.store(try nameList(.indeterminate("timeout")), ttl: 3600, for: listKey("failed.example"))
        clock.set(1004)
        #expect(cache.nameList(for: listKey("bogus.example"))?.status == bogus)
        #expect(cache.nameList(for: listKey("failed.example")) == nil)
        clock.set(1005)
        #expect(cache.nameList(for: listKey("bogus.example")) == nil)
    }

    @Test func nameListKeysDifferByTrustMode() throws {
        cache.store(try nameList(.secure), ttl: 300, for: listKey(trustMode: .validate))
        #expect(cache.nameList(for: listKey(trustMode: .validate)) != nil)
        #expect(cache.nameList(for: listKey(trustMode: .trustAD)) == nil)
    }
}
