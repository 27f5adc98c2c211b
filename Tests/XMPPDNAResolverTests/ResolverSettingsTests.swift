import Foundation
import Testing
import XMPPDNACore
@testable import XMPPDNAResolver

/// The context keeps one assembled resolver per verification time, so a
/// warm lookup does not rebuild it; every setting change must still reach
/// the very next lookup.
@Suite struct ResolverSettingsTests {
    private let remote = try! DNSServerAddress("192.0.2.53")

    @Test func noServerMeansNoResolverUntilOneIsAdded() throws {
        let settings = ResolverSettings()
        #expect(try settings.resolver(time: nil) == nil)
        settings.addServer(remote)
        #expect(try settings.resolver(time: nil)?.configuration.servers == [remote])
        settings.clearServers()
        #expect(try settings.resolver(time: nil) == nil)
    }

    @Test func timeoutsReachTheNextResolver() throws {
        let settings = ResolverSettings()
        settings.addServer(remote)
        #expect(try settings.resolver(time: nil)?.configuration.timeoutMilliseconds == 2000)
        settings.setTimeout(milliseconds: 700, retries: 3)
        let configuration = try #require(try settings.resolver(time: nil)?.configuration)
        #expect(configuration.timeoutMilliseconds == 700 && configuration.retries == 3)
        settings.setLookupDeadline(milliseconds: 9_000)
        #expect(try settings.resolver(time: nil)?.configuration.lookupDeadlineMilliseconds == 9_000)
    }

    @Test func aPinnedTimeGetsItsOwnResolver() throws {
        let settings = ResolverSettings()
        settings.addServer(remote)
        #expect(try settings.resolver(time: nil)?.configuration.time == nil)
        #expect(try settings.resolver(time: 1_700_000_000)?.configuration.time == 1_700_000_000)
        #expect(try settings.resolver(time: nil)?.configuration.time == nil)
    }

    @Test func switchingToTrustADRefusesAnUntrustedServerAtOnce() throws {
        let settings = ResolverSettings()
        settings.addServer(remote)
        #expect(try settings.resolver(time: nil) != nil)
        settings.setTrustMode(.trustAD)
        #expect(throws: DNSConfigurationError.self) { try settings.resolver(time: nil) }
        settings.addTrustedResolver(remote)
        #expect(try settings.resolver(time: nil)?.configuration.trustMode == .trustAD)
    }

    @Test func newAnchorsReachTheNextResolver() throws {
        let settings = ResolverSettings()
        settings.addServer(remote)
        #expect(try settings.resolver(time: nil)?.configuration.anchorText == nil)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("anchors-\(UUID().uuidString).key").path
        try ". 3600 IN DS 20326 8 2 e06d44b80b8f1d39a95c0b0d7c65d08458e880409bbc683457104237c7f8ec8d\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        try settings.setAnchorFile(path)
        #expect(try settings.resolver(time: nil)?.configuration.anchorText?.contains("20326") == true)
    }
}
