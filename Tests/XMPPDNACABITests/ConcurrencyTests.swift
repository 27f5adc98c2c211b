import CXMPPDNA
import Foundation
import Testing

/// The header's thread promises through the C ABI: one context shared by many
/// threads while a setter thread keeps changing its flags (CN fallback) and
/// time; shared read-only handles and one shared verdict read
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
    private static let flagSettings: [UInt32] = [0, XMPPDNA_FLAG_CN_FALLBACK]
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
        #expect(allowed[0].count == 2, "full chain: valid and expired verdicts differ")
        #expect(allowed[5].count == 2, "cn-only names: the CN fallback changes the verdict")
        #expect(allowed.allSatisfy { !$0.isEmpty })
        _ = xmppdna_ctx_set_flags(context.pointer, 0)
        _ = xmppdna_ctx_set_time(context.pointer, TestPKI.time)

        let shared = CVerdict.of(context, CChain(pem: pki.bytes("full-chain.pem")), CRequest(domain: "example.com"))
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
                             xmppdna_ctx_set_ca(context.pointer, TestPKI.shared.path("root.pem"), nil)]
                if codes.contains(where: { $0 != XMPPDNA_OK }) { problems.add("setter: result codes \(codes)") }
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
        let sharedRequest = CRequest(domain: "example.com", names: ["host1.example.net"])
        let namesOnly = UInt32(XMPPDNA_REQUEST_NO_LOOKUPS | XMPPDNA_REQUEST_NAMES_ONLY)
        return [
            Job(name: "pki full-chain example.com") { ctx in
                verdictFingerprint(ctx, CChain(pem: full), CRequest(domain: "example.com"))
            },
            Job(name: "pki host1-chain delegated inbound") { ctx in
                verdictFingerprint(ctx, CChain(pem: host1),
                                   CRequest(domain: "example.com", direction: XMPPDNA_DIR_INBOUND, names: ["host1.example.net"]))
            },
            Job(name: "pki shared handles") { ctx in
                verdictFingerprint(ctx, sharedChain, sharedRequest)
            },
            Job(name: "names only full example.com") { ctx in
                verdictFingerprint(ctx, CChain(pem: full), CRequest(domain: "example.com", flags: namesOnly))
            },
            Job(name: "names only host1 example.com") { ctx in
                verdictFingerprint(ctx, CChain(pem: host1), CRequest(domain: "example.com", flags: namesOnly))
            },
            Job(name: "names only cn-only example.com") { ctx in
                verdictFingerprint(ctx, CChain(pem: cnOnly), CRequest(domain: "example.com", flags: namesOnly))
            },
        ]
    }
}

private func verdictFingerprint(_ ctx: CContext, _ chain: CChain, _ request: CRequest) -> String {
    var out: OpaquePointer?
    let rc = withExtendedLifetime((ctx, chain, request)) {
        xmppdna_verify(ctx.pointer, chain.pointer, request.pointer, &out)
    }
    defer { xmppdna_verdict_free(out) }
    return rc == XMPPDNA_OK ? fingerprint(out) : "xmppdna_verify = \(rc)"
}

/// Everything the accessors and the JSON say about a verdict, as one string.
private func fingerprint(_ v: OpaquePointer?) -> String {
    var status: Int32 = -1, code: Int32 = 0, depth: Int32 = 0
    var text: UnsafePointer<CChar>?
    let chainRC = xmppdna_verdict_chain(v, &status, &code, &depth, &text)
    var lines = ["accepted \(xmppdna_verdict_accepted(v)) by \(xmppdna_verdict_prooftype(v))",
                 "chain \(chainRC) \(status) \(code) \(depth) \(text.map { String(cString: $0) } ?? "-")",
                 "summary \(xmppdna_verdict_summary(v).map { String(cString: $0) } ?? "-")"]
    for i in 0..<xmppdna_verdict_match_count(v) {
        var refType: Int32 = 0, presentedType: Int32 = 0
        var refValue: UnsafePointer<CChar>?, presentedValue: UnsafePointer<CChar>?
        let rc = xmppdna_verdict_match_get(v, i, &refType, &refValue, &presentedType, &presentedValue)
        lines.append("match \(rc) \(refType) \(refValue.map { String(cString: $0) } ?? "-") "
                     + "\(presentedType) \(presentedValue.map { String(cString: $0) } ?? "-")")
    }
    for i in 0..<xmppdna_verdict_finding_count(v) {
        var finding = xmppdna_finding()
        let rc = xmppdna_verdict_finding_get(v, i, &finding)
        lines.append("finding \(rc) \(finding.code) \(finding.outcome) \(finding.openssl_code) "
                     + "\(finding.text.map { String(cString: $0) } ?? "-")")
    }
    for i in 0..<xmppdna_verdict_presented_count(v) {
        var type: Int32 = 0, usable: Int32 = 0
        var value: UnsafePointer<CChar>?, problem: UnsafePointer<CChar>?
        let rc = xmppdna_verdict_presented_get(v, i, &type, &value, &usable, &problem)
        lines.append("presented \(rc) \(type) \(value.map { String(cString: $0) } ?? "-") \(usable) "
                     + (problem.map { String(cString: $0) } ?? "-"))
    }
    var json: UnsafeMutablePointer<CChar>?
    let jsonRC = xmppdna_verdict_json(v, &json)
    // Whether the chain's verification was reused (#20) is the cache's doing, not the verdict's.
    let document = json.map { String(cString: $0).replacingOccurrences(of: ",\"reused\":true", with: "") } ?? "-"
    lines.append("json \(jsonRC) \(document)")
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
