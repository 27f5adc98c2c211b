import CXMPPDNA
import Foundation
import Testing
@testable import XMPPDNACABI
@testable import XMPPDNAIO

private let world = DNSWorld.shared

/// Counts callbacks; none may come for a cancelled query.
private final class Calls {
    var count = 0
}

/// Issue #23: "cancelling a slow lookup frees its resources at once". Three
/// queries, cancelled after a delay that catches them at different steps:
/// before their task runs, waiting on a DNS server that holds its answers
/// (a name list and a verdict under slow.example), verifying a chain, and
/// waiting on a web server that never answers POSH (insecure.example). The
/// DNS and POSH slots they held are free within a second, and no callback
/// ever runs. `make test` runs this under ThreadSanitizer too.
@Suite(.serialized) struct CancelAtEveryStepTests {
    @Test(arguments: [0, 2, 10, 50, 200, 800])
    func aCancelledQueryHoldsNothingAndNeverCallsBack(afterMilliseconds delay: Int) throws {
        try #require(world.started, "DNS world did not start: \(world.failure ?? "")")
        let forwarder = try #require(DelayingForwarder(delay: 3))
        let silent = try #require(SilentServer())
        try withExtendedLifetime((forwarder, silent)) {
            var ctx: OpaquePointer?
            #expect(xmppdna_ctx_new(&ctx) == XMPPDNA_OK)
            let context = try #require(ctx)
            defer { xmppdna_ctx_free(context) }
            #expect(xmppdna_ctx_add_server(context, "127.0.0.1@\(forwarder.address.port)", 0) == XMPPDNA_OK)
            #expect(xmppdna_ctx_set_anchor_file(context, world.state.appendingPathComponent("root-ds.key").path) == XMPPDNA_OK)
            #expect(xmppdna_ctx_set_ca(context, "\(FixturePKI.shared.directory)/root.pem", nil) == XMPPDNA_OK)
            #expect(xmppdna_ctx_set_posh(context, silent.base, 5000) == XMPPDNA_OK)
            var chain: OpaquePointer?
            let pem = try Data(contentsOf: URL(fileURLWithPath: "\(FixturePKI.shared.directory)/host1-chain.pem"))
            #expect(xmppdna_chain_new(&chain) == XMPPDNA_OK)
            defer { xmppdna_chain_free(chain) }
            #expect(pem.withUnsafeBytes { xmppdna_chain_add_pem(chain, $0.baseAddress, pem.count) } == XMPPDNA_OK)

            let calls = Calls()
            let box = Unmanaged.passRetained(calls)
            defer { box.release() }
            var ids: [Int32] = []
            var id: Int32 = 0
            #expect(xmppdna_names_lookup_async(context, "d\(delay).slow.example", XMPPDNA_SERVICE_XMPP_SERVER, { userdata, _, names in
                Unmanaged<Calls>.fromOpaque(userdata!).takeUnretainedValue().count += 1
                xmppdna_names_free(names)
            }, box.toOpaque(), &id) == XMPPDNA_OK)
            ids.append(id)
            for domain in ["v\(delay).slow.example", "insecure.example"] {
                var request: OpaquePointer?
                #expect(xmppdna_request_new(domain, XMPPDNA_SERVICE_XMPP_SERVER, XMPPDNA_DIR_INBOUND, &request) == XMPPDNA_OK)
                #expect(xmppdna_verify_async(context, chain, request, { userdata, _, verdict in
                    Unmanaged<Calls>.fromOpaque(userdata!).takeUnretainedValue().count += 1
                    xmppdna_verdict_free(verdict)
                }, box.toOpaque(), &id) == XMPPDNA_OK)
                xmppdna_request_free(request)
                ids.append(id)
            }

            let handle = Unmanaged<Handle>.fromOpaque(UnsafeRawPointer(context)).takeUnretainedValue() as! ContextHandle
            /// DNS queries in flight and waiting, POSH fetches in flight and waiting.
            func held() -> [Int] {
                let (dns, posh) = (handle.resolver.limits.load, handle.posh.limits.load)
                return [dns.outstanding, dns.waiting, posh.outstanding, posh.waiting]
            }
            usleep(useconds_t(delay * 1000))
            // The steps are real: the slow zone's questions hold DNS slots, and
            // by 800 ms insecure.example's verdict waits on the silent web server.
            let before = held()
            if delay >= 200 { #expect(before[0] > 0, "nothing waits on DNS at \(delay) ms: \(before)") }
            if delay >= 800 { #expect(before[2] > 0, "no POSH fetch in flight at \(delay) ms: \(before)") }
            for id in ids { #expect(xmppdna_cancel(context, id) == XMPPDNA_OK, "query \(id) after \(delay) ms") }

            let deadline = Date().addingTimeInterval(1)
            while held() != [0, 0, 0, 0] && Date() < deadline {
                _ = xmppdna_process(context)
                usleep(10_000)
            }
            #expect(held() == [0, 0, 0, 0], "after a cancel at \(delay) ms the context still holds \(held())")
            // Long enough for any answer that was on its way to arrive.
            let quiet = Date().addingTimeInterval(0.3)
            while Date() < quiet {
                _ = xmppdna_process(context)
                usleep(10_000)
            }
            #expect(calls.count == 0, "\(calls.count) callbacks ran for cancelled queries")
        }
    }
}
