import CXMPPDNA
import Foundation
import Testing

/// Many threads on one shared context, as the header promises: verifying,
/// matching, reading one shared verdict, while another thread keeps
/// changing the context's configuration. Run under TSan by `make test`.
@Suite struct ConcurrencyTests {
    private static let threads = 8
    private static let iterations = 150

    @Test func sharedContextServesManyThreadsWhileItsSettingsChange() async {
        let pki = TestPKI.shared
        let context = CContext()
        let fullPEM = pki.bytes("full-chain.pem")
        let hostPEM = pki.bytes("host1-chain.pem")
        let shared = CVerdict.pki(context, CChain(pem: fullPEM), CRefs(domain: "example.com"))
        let sharedJSON = shared.json
        let stop = Flag()

        let setter = Thread {
            var flip = false
            while !stop.isSet {
                flip.toggle()
                // The names verdicts below do not depend on these settings.
                _ = xmppdna_ctx_set_time(context.pointer, flip ? TestPKI.time : TestPKI.time + 86_400)
                _ = xmppdna_ctx_set_flags(context.pointer, flip ? XMPPDNA_FLAG_NO_PKIX : 0)
                _ = xmppdna_ctx_set_ca_file(context.pointer, pki.path("root.pem"))
            }
        }
        setter.start()

        let results = await withTaskGroup(of: [String].self) { group in
            for worker in 0..<ConcurrencyTests.threads {
                group.addTask {
                    var problems: [String] = []
                    for _ in 0..<ConcurrencyTests.iterations {
                        let hosting = worker % 2 == 0
                        let refs = CRefs(domain: "example.com", names: hosting ? ["host1.example.net"] : [])
                        let verdict = CVerdict.pki(context, CChain(pem: hosting ? hostPEM : fullPEM), refs)
                        if !verdict.accepted { problems.append("worker \(worker): rejected \(verdict.reasons)") }
                        let hostChain = CChain(pem: hostPEM)
                        let domainRefs = CRefs(domain: "example.com")
                        withExtendedLifetime((hostChain, domainRefs)) {
                            var ids: OpaquePointer?
                            _ = xmppdna_chain_idset(hostChain.pointer, &ids)
                            var out: OpaquePointer?
                            _ = xmppdna_match(context.pointer, ids, domainRefs.pointer, &out)
                            if xmppdna_verdict_accepted(out) != 0 { problems.append("worker \(worker): host1 matched example.com") }
                            xmppdna_verdict_free(out)
                            xmppdna_idset_free(ids)
                        }
                        if shared.json != sharedJSON || !shared.accepted { problems.append("shared verdict changed") }
                    }
                    return problems
                }
            }
            var all: [String] = []
            for await problems in group { all += problems }
            return all
        }
        stop.set()
        while !setter.isFinished { usleep(1000) }
        #expect(results.isEmpty, "\(results.prefix(5))")
    }
}

/// A stop signal the setter thread polls.
private final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
