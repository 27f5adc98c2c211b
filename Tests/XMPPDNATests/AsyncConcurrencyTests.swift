import CXMPPDNA
import Foundation
import Testing
@testable import XMPPDNA
@testable import XMPPDNACore
@testable import XMPPDNANet
@testable import XMPPDNAOpenSSL
@testable import XMPPDNAResolver
import XMPPDNACABI

/// Collects callbacks; touched only on the test's thread, inside xmppdna_process.
private final class Results {
    var names: [Int32: Int32] = [:]      // query id -> XMPPDNA_DNSSEC_* status
    var verdicts: [Int32: Int32] = [:]   // query id -> accepted (1) or not (0)
    var delivered = 0
    var current: Int32 = 0
}

/// Query ids travel in userdata so each callback knows which query it answers.
private struct Tag {
    let results: Unmanaged<Results>
    let id: Int32
}

private let world = DNSWorld.shared

/// Thousands of async queries on the loopback world from one context, half
/// of them cancelled, a few left pending at ctx_free. `make test` runs this
/// suite under TSan too (--filter Concurrency).
@Suite(.serialized)
struct AsyncConcurrencyTests {
    static let count = 3000
    static let domains: [(String, Int32)] = [("example.com", XMPPDNA_DNSSEC_SECURE), ("insecure.example", XMPPDNA_DNSSEC_INSECURE),
                                             ("bogus.example", XMPPDNA_DNSSEC_BOGUS), ("alias.example.com", XMPPDNA_DNSSEC_SECURE)]

    @Test func thousandsOfQueriesWithHalfCancelledGiveExactlyTheRestOnce() throws {
        try #require(world.started, "DNS world did not start: \(world.failure ?? "")")
        var ctx: OpaquePointer?
        #expect(xmppdna_ctx_new(&ctx) == XMPPDNA_OK)
        let context = try #require(ctx)
        #expect(xmppdna_ctx_add_server(context, "127.0.0.1@\(world.unbound.port)", 0) == XMPPDNA_OK)
        let anchor = world.state.appendingPathComponent("root-ds.key").path
        #expect(xmppdna_ctx_set_anchor_file(context, anchor) == XMPPDNA_OK)
        #expect(xmppdna_ctx_set_ca(context, "\(FixturePKI.shared.directory)/root.pem", nil) == XMPPDNA_OK)

        var chain: OpaquePointer?
        let pem = try Data(contentsOf: URL(fileURLWithPath: "\(FixturePKI.shared.directory)/host1-chain.pem"))
        #expect(xmppdna_chain_new(&chain) == XMPPDNA_OK)
        _ = pem.withUnsafeBytes { xmppdna_chain_add_pem(chain, $0.baseAddress, pem.count) }

        let results = Results()
        let box = Unmanaged.passRetained(results)
        defer { box.release() }
        var tags: [UnsafeMutablePointer<Tag>] = []
        defer { tags.forEach { $0.deallocate() } }
        var expectedNames: [Int32: Int32] = [:], verdictDomains: [Int32: String] = [:]

        for i in 0..<Self.count {
            let (domain, status) = Self.domains[i % Self.domains.count]
            let tag = UnsafeMutablePointer<Tag>.allocate(capacity: 1)
            tags.append(tag)
            var id: Int32 = 0
            if i % 3 == 0 {
                var request: OpaquePointer?
                #expect(xmppdna_request_new(domain, XMPPDNA_SERVICE_XMPP_SERVER, XMPPDNA_DIR_OUTBOUND, &request) == XMPPDNA_OK)
                #expect(xmppdna_verify_async(context, chain, request, { userdata, rc, verdict in
                    let tag = userdata!.assumingMemoryBound(to: Tag.self).pointee
                    let results = tag.results.takeUnretainedValue()
                    results.verdicts[tag.id] = rc == XMPPDNA_OK ? xmppdna_verdict_accepted(verdict) : rc
                    results.delivered += 1
                    xmppdna_verdict_free(verdict)
                }, tag, &id) == XMPPDNA_OK)
                xmppdna_request_free(request)
                verdictDomains[id] = domain
            } else {
                #expect(xmppdna_names_lookup_async(context, domain, XMPPDNA_SERVICE_XMPP_SERVER, { userdata, rc, names in
                    let tag = userdata!.assumingMemoryBound(to: Tag.self).pointee
                    let results = tag.results.takeUnretainedValue()
                    results.names[tag.id] = rc == XMPPDNA_OK ? namesStatus(names) : rc
                    results.delivered += 1
                    xmppdna_names_free(names)
                }, tag, &id) == XMPPDNA_OK)
                expectedNames[id] = status
            }
            tag.initialize(to: Tag(results: box, id: id))
        }
        // Cancel about half, picked by a hash of the id so every domain and kind
        // keeps some, from this thread while the workers run.
        var cancelled = Set<Int32>()
        for id in Array(expectedNames.keys) + Array(verdictDomains.keys)
        where (UInt32(bitPattern: id) &* 2_654_435_761) >> 16 & 1 == 0 {
            if xmppdna_cancel(context, id) == XMPPDNA_OK { cancelled.insert(id) }
        }
        #expect(!cancelled.isEmpty)
        let fd = xmppdna_fd(context)
        let deadline = Date().addingTimeInterval(120)
        let wanted = Self.count - cancelled.count
        while results.delivered < wanted && Date() < deadline {
            var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            _ = poll(&entry, 1, 200)
            _ = xmppdna_process(context)
        }
        #expect(results.delivered == wanted)
        for id in cancelled {
            #expect(results.names[id] == nil && results.verdicts[id] == nil, "cancelled query \(id) called back")
        }
        for (id, status) in expectedNames where !cancelled.contains(id) {
            #expect(results.names[id] == status, "names query \(id)")
        }
        // Every delivered verdict is a verdict, and all verdicts for one domain agree.
        var byDomain: [String: Set<Int32>] = [:]
        for (id, domain) in verdictDomains where !cancelled.contains(id) {
            let verdict = results.verdicts[id]
            #expect(verdict == 0 || verdict == 1, "verdict query \(id): \(String(describing: verdict))")
            byDomain[domain, default: []].insert(verdict ?? -1)
        }
        #expect(byDomain.values.allSatisfy { $0.count == 1 }, "\(byDomain)")
        #expect(byDomain["insecure.example"] == [0] && byDomain["bogus.example"] == [0], "\(byDomain)")

        // Leave some pending and free: no callback may run afterwards, nothing may crash.
        for domain in ["example.com", "insecure.example"] {
            #expect(xmppdna_names_lookup_async(context, domain, XMPPDNA_SERVICE_XMPP_SERVER, { _, _, names in
                xmppdna_names_free(names)
            }, nil, nil) == XMPPDNA_OK)
        }
        xmppdna_chain_free(chain)
        xmppdna_ctx_free(context)
    }
}

private func namesStatus(_ names: OpaquePointer?) -> Int32 {
    var status: Int32 = -1
    _ = xmppdna_names_status(names, &status, nil, nil, nil, nil)
    return status
}
