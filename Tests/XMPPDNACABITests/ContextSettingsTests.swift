import CXMPPDNA
import Testing
@testable import XMPPDNACABI
import XMPPDNAOpenSSL
import XMPPDNAResolver

/// The 0.3.0 setters reach the settings the lookups and fetches use, and
/// refuse values out of range without changing anything.
@Suite struct ContextSettingsTests {
    private func handle(_ context: CContext) -> ContextHandle {
        Unmanaged<Handle>.fromOpaque(UnsafeRawPointer(context.pointer)).takeUnretainedValue() as! ContextHandle
    }

    @Test func limitsReachTheDNSAndPOSHQueues() {
        let context = CContext()
        let settings = handle(context)
        #expect(settings.resolver.limits.settings.maxOutstanding == 256 && settings.resolver.limits.settings.maxPerZone == 16)
        #expect(settings.posh.limits.settings.maxOutstanding == 64 && settings.posh.limits.settings.maxPerZone == 4)
        #expect(xmppdna_ctx_set_limits(context.pointer, 1000, 50, 10, 2) == XMPPDNA_OK)
        #expect(settings.resolver.limits.settings.maxOutstanding == 1000 && settings.resolver.limits.settings.maxPerZone == 50)
        #expect(settings.posh.limits.settings.maxOutstanding == 10 && settings.posh.limits.settings.maxPerZone == 2)
        for bad in [(0, 1, 1, 1), (10, 11, 1, 1), (10, 0, 1, 1), (65_537, 1, 1, 1), (10, 1, 0, 1), (10, 1, 4, 5), (10, 1, 4_097, 1)] {
            #expect(xmppdna_ctx_set_limits(context.pointer, Int32(bad.0), Int32(bad.1), Int32(bad.2), Int32(bad.3)) == XMPPDNA_EINVAL)
        }
        #expect(settings.resolver.limits.settings.maxOutstanding == 1000 && settings.posh.limits.settings.maxPerZone == 2)
        #expect(xmppdna_ctx_set_limits(nil, 1, 1, 1, 1) == XMPPDNA_EMISUSE)
    }

    @Test func cacheLimitsReachTheCachesAndSurviveATrustChange() throws {
        let context = CContext()
        let settings = handle(context)
        #expect(settings.resolver.cache.limit == 10_000 && settings.posh.cache.limit == 1_000)
        #expect(settings.verifier.verifiedChainLimit == 1_024)
        #expect(xmppdna_ctx_set_cache_limits(context.pointer, 50, 5, 7) == XMPPDNA_OK)
        #expect(settings.resolver.cache.limit == 50 && settings.posh.cache.limit == 5)
        #expect(try settings.verifier.trustStore().paths.capacity == 7)
        #expect(xmppdna_ctx_set_ca(context.pointer, TestPKI.shared.path("root.pem"), nil) == XMPPDNA_OK)
        #expect(try settings.verifier.trustStore().paths.capacity == 7, "a new trust store keeps the bound")
        for bad in [(0, 5, 7), (1_000_001, 5, 7), (50, 0, 7), (50, 100_001, 7), (50, 5, 0), (50, 5, 1_000_001)] {
            #expect(xmppdna_ctx_set_cache_limits(context.pointer, Int32(bad.0), Int32(bad.1), Int32(bad.2)) == XMPPDNA_EINVAL)
        }
        #expect(settings.resolver.cache.limit == 50 && settings.posh.cache.limit == 5 && settings.verifier.verifiedChainLimit == 7)
        #expect(xmppdna_ctx_set_cache_limits(nil, 1, 1, 1) == XMPPDNA_EMISUSE)
    }

    @Test func theCertificateCacheBoundIsTheProcesses() {
        let before = CertificateCache.shared.capacity
        defer { _ = xmppdna_set_certificate_cache_limit(Int32(before)) }
        #expect(xmppdna_set_certificate_cache_limit(4_096) == XMPPDNA_OK && CertificateCache.shared.capacity == 4_096)
        #expect(xmppdna_set_certificate_cache_limit(0) == XMPPDNA_EINVAL && CertificateCache.shared.capacity == 4_096)
        #expect(xmppdna_set_certificate_cache_limit(1_000_001) == XMPPDNA_EINVAL)
    }

    @Test func theLookupDeadlineIsSetWithTheQueryTimeout() throws {
        let context = CContext()
        #expect(xmppdna_ctx_add_server(context.pointer, "127.0.0.1@53", 0) == XMPPDNA_OK)
        #expect(xmppdna_ctx_set_dns_timeout(context.pointer, 700, 2, 9_000) == XMPPDNA_OK)
        let configuration = try #require(try handle(context).resolver.resolver(time: nil)?.configuration)
        #expect(configuration.timeoutMilliseconds == 700 && configuration.retries == 2)
        #expect(configuration.lookupDeadlineMilliseconds == 9_000)
        #expect(xmppdna_ctx_set_dns_timeout(context.pointer, 700, 2, 99) == XMPPDNA_EINVAL)
        #expect(xmppdna_ctx_set_dns_timeout(context.pointer, 700, 2, 600_001) == XMPPDNA_EINVAL)
        #expect(try handle(context).resolver.resolver(time: nil)?.configuration.lookupDeadlineMilliseconds == 9_000)
    }

    @Test func aServerMarkedTrustADMayBeBelievedAndAnotherMayNot() throws {
        let context = CContext()
        #expect(xmppdna_ctx_add_server(context.pointer, "192.0.2.53", 0) == XMPPDNA_OK)
        #expect(xmppdna_ctx_set_trust_mode(context.pointer, XMPPDNA_TRUST_AD) == XMPPDNA_OK)
        var names: OpaquePointer?
        #expect(xmppdna_names_lookup(context.pointer, "example.com", XMPPDNA_SERVICE_XMPP_SERVER, &names) == XMPPDNA_EUNTRUSTED)
        #expect(xmppdna_ctx_clear_servers(context.pointer) == XMPPDNA_OK)
        #expect(xmppdna_ctx_add_server(context.pointer, "192.0.2.53", UInt32(XMPPDNA_SERVER_TRUST_AD)) == XMPPDNA_OK)
        // A resolver is made (nothing is sent: 192.0.2.53 is not on loopback).
        #expect(try handle(context).resolver.resolver(time: nil) != nil)
        #expect(xmppdna_ctx_add_server(context.pointer, "192.0.2.53", 0x80) == XMPPDNA_EINVAL)
    }
}
