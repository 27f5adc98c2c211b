import CXMPPDNA
import Foundation
import Testing

/// The header's thread promises through the C ABI: one context shared by many
/// threads while a setter thread keeps changing its flags (NO_PKIX, CN
/// fallback) and time; shared read-only handles and one shared verdict read
/// everywhere. Every verdict must equal one that the same job gives
/// single-threaded under some configuration the setter passes through.
/// `make test` runs this suite under TSan (`swift test --sanitize=thread --filter Concurrency`).
// The setter also reloads the (same) CA file, so trust-store publication is in
// the race too; the core guards it with a pthread mutex, which TSan follows.
@Suite struct ConcurrencyTests {
    private static let threads = 8
    private static let iterations = 500
    /// 2040-01-01, after every fixture certificate expired: chain checks fail there.
    private static let expiredTime: Int64 = 2_208_988_800
    private static let flagSettings: [UInt32] = [0, XMPPDNA_FLAG_NO_PKIX, XMPPDNA_FLAG_CN_FALLBACK,
                                                 XMPPDNA_FLAG_NO_PKIX | XMPPDNA_FLAG_CN_FALLBACK]
    private static let timeSettings: [Int64] = [TestPKI.time, expiredTime]

    @Test func sharedContextGivesConsistentVerdictsWhileItsSettingsChange() {
        let pki = TestPKI.shared
        let context = CContext()
        let jobs = Job.all(pki: pki)

        // Every fingerprint a job may legitimately give, one per configuration.
        var allowed = [Set<String>](repeating: [], count: jobs.count)
        for flags in Self.flagSettings {
            for time in Self.timeSettings {
                #expect(xmppdna_ctx_set_flags(context.pointer, flags) == XMPPDNA_OK)
                #expect(xmppdna_ctx_set_time(context.pointer, time) == XMPPDNA_OK)
                for (i, job) in jobs.enumerated() { allowed[i].insert(job.run(context)) }
            }
        }
        // Setting changes must show, or the race below would prove nothing.
        #expect(allowed[0].count == 3, "full chain: NO_PKIX, valid and expired verdicts differ")
        #expect(allowed.allSatisfy { !$0.isEmpty })
        _ = xmppdna_ctx_set_flags(context.pointer, 0)
        _ = xmppdna_ctx_set_time(context.pointer, TestPKI.time)

        let shared = CVerdict.pki(context, CChain(pem: pki.bytes("full-chain.pem")), CRefs(domain: "example.com"))
        let sharedFingerprint = fingerprint(shared.pointer)
        let frozenAllowed = allowed
        let problems = Problems()
        let setter = SetterState()
        let done = DispatchGroup()

        done.enter()
        Thread {
            defer { done.leave() }
            var round = 0
            while !setter.stopped {
                round += 1
                setter.count()
                let flags = Self.flagSettings[round % Self.flagSettings.count]
                let time = Self.timeSettings[(round / Self.flagSettings.count) % Self.timeSettings.count]
                let codes = [xmppdna_ctx_set_flags(context.pointer, flags), xmppdna_ctx_set_time(context.pointer, time),
                             xmppdna_ctx_set_ca_file(context.pointer, TestPKI.shared.path("root.pem"))]
                if codes.contains(where: { $0 != XMPPDNA_OK }) { problems.add("setter: result codes \(codes)") }
                if !Self.flagSettings.contains(xmppdna_ctx_flags(context.pointer)) {
                    problems.add("setter: read back unknown flags")
                }
            }
        }.start()

        let workers = DispatchGroup()
        for worker in 0..<Self.threads {
            workers.enter()
            Thread {
                defer { workers.leave() }
                for iteration in 0..<Self.iterations {
                    // Workers rotate through the jobs from different starts, so all jobs overlap.
                    let i = (worker + iteration) % jobs.count
                    let got = jobs[i].run(context)
                    if !frozenAllowed[i].contains(got) {
                        problems.add("worker \(worker) job \(jobs[i].name): unexpected verdict\n\(got)")
                    }
                    if fingerprint(shared.pointer) != sharedFingerprint {
                        problems.add("worker \(worker): the shared verdict read differently")
                    }
                }
            }.start()
        }
        workers.wait()
        setter.stop()
        done.wait()
        #expect(setter.rounds > 1, "the setter did not run while the workers did")
        withExtendedLifetime((context, shared)) {}

        let (count, first) = problems.summary
        #expect(count == 0, "\(count) problems, first: \(first.prefix(3).joined(separator: "\n"))")
    }
}

/// One verification a worker repeats; it builds its own handles each time
/// except where it names shared ones.
private struct Job: Sendable {
    let name: String
    let run: @Sendable (CContext) -> String

    static func all(pki: TestPKI) -> [Job] {
        let full = pki.bytes("full-chain.pem"), host1 = pki.bytes("host1-chain.pem"),
            cnOnly = pki.bytes("cn-only-chain.pem")
        // Read concurrently by every worker: the header allows many readers.
        let sharedChain = CChain(pem: host1)
        let sharedRefs = CRefs(domain: "example.com", names: ["host1.example.net"])
        return [
            Job(name: "pki full-chain example.com") { ctx in
                pkiFingerprint(ctx, CChain(pem: full), CRefs(domain: "example.com"), XMPPDNA_DIR_OUTBOUND)
            },
            Job(name: "pki host1-chain delegated inbound") { ctx in
                pkiFingerprint(ctx, CChain(pem: host1), CRefs(domain: "example.com", names: ["host1.example.net"]),
                               XMPPDNA_DIR_INBOUND)
            },
            Job(name: "pki shared handles") { ctx in
                pkiFingerprint(ctx, sharedChain, sharedRefs, XMPPDNA_DIR_OUTBOUND)
            },
            Job(name: "match full example.com") { ctx in
                matchFingerprint(ctx, CChain(pem: full), CRefs(domain: "example.com"))
            },
            Job(name: "match host1 example.com") { ctx in
                matchFingerprint(ctx, CChain(pem: host1), CRefs(domain: "example.com"))
            },
            Job(name: "match cn-only example.com") { ctx in
                matchFingerprint(ctx, CChain(pem: cnOnly), CRefs(domain: "example.com"))
            },
        ]
    }
}

private func pkiFingerprint(_ ctx: CContext, _ chain: CChain, _ refs: CRefs, _ direction: Int32) -> String {
    var out: OpaquePointer?
    let rc = withExtendedLifetime((ctx, chain, refs)) {
        xmppdna_verify_pki(ctx.pointer, chain.pointer, refs.pointer, direction, &out)
    }
    defer { xmppdna_verdict_free(out) }
    return rc == XMPPDNA_OK ? fingerprint(out) : "xmppdna_verify_pki = \(rc)"
}

private func matchFingerprint(_ ctx: CContext, _ chain: CChain, _ refs: CRefs) -> String {
    var ids: OpaquePointer?, out: OpaquePointer?
    defer { xmppdna_idset_free(ids); xmppdna_verdict_free(out) }
    return withExtendedLifetime((ctx, chain, refs)) {
        let extracted = xmppdna_chain_idset(chain.pointer, &ids)
        guard extracted == XMPPDNA_OK else { return "xmppdna_chain_idset = \(extracted)" }
        let rc = xmppdna_match(ctx.pointer, ids, refs.pointer, &out)
        return rc == XMPPDNA_OK ? fingerprint(out) : "xmppdna_match = \(rc)"
    }
}

/// Everything the accessors and the JSON say about a verdict, as one string.
private func fingerprint(_ v: OpaquePointer?) -> String {
    var lines = ["accepted \(xmppdna_verdict_accepted(v))", "chain \(xmppdna_verdict_chain_status(v))"]
    var code: Int32 = 0, depth: Int32 = 0
    var text: UnsafePointer<CChar>?
    let errorRC = xmppdna_verdict_chain_error(v, &code, &depth, &text)
    lines.append("chain error \(errorRC) \(code) \(depth) \(text.map { String(cString: $0) } ?? "-")")
    for i in 0..<xmppdna_verdict_match_count(v) {
        var refType: Int32 = 0, presentedType: Int32 = 0
        var refValue: UnsafePointer<CChar>?, presentedValue: UnsafePointer<CChar>?
        let rc = xmppdna_verdict_match(v, i, &refType, &refValue, &presentedType, &presentedValue)
        lines.append("match \(rc) \(refType) \(refValue.map { String(cString: $0) } ?? "-") "
                     + "\(presentedType) \(presentedValue.map { String(cString: $0) } ?? "-")")
    }
    for i in 0..<xmppdna_verdict_reason_count(v) {
        lines.append("reason \(xmppdna_verdict_reason(v, i).map { String(cString: $0) } ?? "-")")
    }
    let ids = xmppdna_verdict_presented(v)
    for i in 0..<xmppdna_idset_count(ids) {
        var type: Int32 = 0, usable: Int32 = 0
        var value: UnsafePointer<CChar>?, problem: UnsafePointer<CChar>?
        let rc = xmppdna_idset_get(ids, i, &type, &value, &usable, &problem)
        lines.append("presented \(rc) \(type) \(value.map { String(cString: $0) } ?? "-") \(usable) "
                     + (problem.map { String(cString: $0) } ?? "-"))
    }
    var json: UnsafeMutablePointer<CChar>?
    let jsonRC = xmppdna_verdict_json(v, &json)
    lines.append("json \(jsonRC) \(json.map { String(cString: $0) } ?? "-")")
    xmppdna_free(json)
    return lines.joined(separator: "\n")
}

/// Problems found on many threads: a count and the first few messages.
private final class Problems: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    private var first: [String] = []
    func add(_ message: String) {
        lock.withLock {
            count += 1
            if first.count < 20 { first.append(message) }
        }
    }
    var summary: (count: Int, first: [String]) { lock.withLock { (count, first) } }
}

/// Tells the setter thread to finish, and counts its rounds.
private final class SetterState: @unchecked Sendable {
    private let lock = NSLock()
    private var done = false
    private var made = 0
    var stopped: Bool { lock.withLock { done } }
    var rounds: Int { lock.withLock { made } }
    func stop() { lock.withLock { done = true } }
    func count() { lock.withLock { made += 1 } }
}
