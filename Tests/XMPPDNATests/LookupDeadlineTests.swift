import Foundation
import Testing
@testable import XMPPDNA
@testable import XMPPDNACore
@testable import XMPPDNAIO
@testable import XMPPDNAResolver

/// Issue #23: a whole lookup has a deadline, whatever its queries' own
/// timeouts, and a slow zone's lookups give up on it without touching a
/// healthy domain's.
private let world = DNSWorld.shared

@Suite(.serialized) struct LookupDeadlineTests {
    @Test func aSlowZonesLookupEndsAtItsDeadlineAndAHealthyOneDoesNot() async throws {
        try #require(world.started, "DNS world did not start: \(world.failure ?? "")")
        let forwarder = try #require(DelayingForwarder(delay: 3))
        try await withLifetime(forwarder) {
            var configuration = world.configuration(forwarder.address)
            configuration.timeoutMilliseconds = 5000
            configuration.lookupDeadlineMilliseconds = 600
            let resolver = try DelegationResolver(configuration)
            let name = try DNSName("a.slow.example")
            // Timed on the library's threads: when the lookup gives up, not
            // when a busy test pool gets back to this test.
            let (slow, seconds) = await onLibraryThreads {
                let started = Date()
                let list = await resolver.nameList(for: name, service: .xmppServer)
                return (list, Date().timeIntervalSince(started))
            }
            #expect(slow.status == .indeterminate("the lookup did not finish within its deadline of 600 ms"), "\(slow.status)")
            #expect(slow.acceptableNames.map(\.text) == ["a.slow.example"] && slow.candidates.isEmpty)
            // The queries alone would have waited 3 s for the held answers.
            #expect(seconds < 2.0, "the slow lookup took \(seconds) s")
            let tlsa = await resolver.tlsa(host: try DNSName("host.slow.example"), port: 5269)
            #expect(tlsa.status == .indeterminate("the lookup did not finish within its deadline of 600 ms"))
            // Beside it, through the same forwarder, a lookup with a deadline
            // that a loaded machine meets.
            configuration.lookupDeadlineMilliseconds = DNSWorld.lookupDeadline
            let healthy = try await DelegationResolver(configuration).nameList(for: try DNSName("example.com"), service: .xmppServer)
            #expect(healthy.status == .secure && healthy.acceptableNames.map(\.text).contains("host1.example.net"),
                    "\(healthy.status)")
        }
    }
}
