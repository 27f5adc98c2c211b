import CLDNS
import Foundation
import Testing
@testable import XMPPDNA
@testable import XMPPDNACore
@testable import XMPPDNANet
@testable import XMPPDNAOpenSSL
@testable import XMPPDNAResolver

// Outside the suite type: its trait cannot refer to the type's own members.
private let scenarioDirectory = ReplayRepository.shared.appendingPathComponent("peer-suites/unbound-val")

/// Unbound's validator scenarios (../shared/peer-suites/unbound-val) replayed
/// against our validator: each STEP QUERY is looked up at the scenario's
/// val-override-date through ReplayWire, and our status must be Unbound's
/// (AD = secure, no AD = insecure, SERVFAIL = bogus). We may never be more
/// trusting than Unbound; a scenario whose meaning a stub validator cannot
/// reproduce is reported not applicable, with the reason. The README's table
/// is rendered from the result (XMPPDNA_WRITE_README=1 writes it).
@Suite(.enabled(if: FileManager.default.fileExists(atPath: scenarioDirectory.path),
                "../shared/peer-suites/unbound-val absent: Unbound replay skipped"))
struct UnboundReplayTests {
    /// Every scenario, run once for all the tests that read it.
    static let replayed = ReplayedOnce()

    static func runAll() async -> [ReplayOutcome] {
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: scenarioDirectory.path)) ?? [])
            .filter { $0.hasSuffix(".rpl") }.sorted()
            // XMPPDNA_REPLAY_ONLY=val_x.rpl runs one scenario (with XMPPDNA_REPLAY_TRACE=1 to see its questions).
            .filter { ProcessInfo.processInfo.environment["XMPPDNA_REPLAY_ONLY"].map($0.elementsEqual) ?? true }
        var outcomes: [ReplayOutcome] = []
        for file in files {
            let url = scenarioDirectory.appendingPathComponent(file)
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                outcomes.append(ReplayOutcome(file: file, steps: [], scenarioReason: "unreadable"))
                continue
            }
            do {
                outcomes.append(await ReplayRunner.run(try ReplayScenario.parse(file: file, text: text)))
            } catch {
                outcomes.append(ReplayOutcome(file: file, steps: [], scenarioReason: "unparsable: \(error)"))
            }
        }
        return outcomes
    }

    @Test func everyScenarioParses() async {
        let results = await Self.replayed.value
        let broken = results.filter { $0.scenarioReason?.hasPrefix("unparsable") == true || $0.scenarioReason == "unreadable" }
        #expect(broken.isEmpty, "\(broken.map { "\($0.file): \($0.scenarioReason ?? "")" })")
        #expect(results.count > 150, "only \(results.count) scenarios found")
    }

    @Test func neverMoreTrustingThanUnbound() async {
        let results = await Self.replayed.value
        for outcome in results where outcome.verdict == .moreTrusting {
            Issue.record("\(outcome.file): \(outcome.summary)")
        }
    }

    /// Where we still say less than Unbound (never more): each one fails
    /// closed. The list may only shrink; a new entry, or one that now agrees,
    /// fails this test. Issue #16 stays open until it is empty.
    /// Scenarios where the library is knowingly less trusting, each with
    /// its reason. Empty since val_cnametooptout.rpl agrees (a referral for
    /// a CNAME's target is judged by the denial beside the CNAME).
    static let knownLessTrusting: Set<String> = []

    @Test func lessTrustingOnlyWhereKnown() async {
        let results = await Self.replayed.value
        for outcome in results where outcome.verdict == .lessTrusting && !Self.knownLessTrusting.contains(outcome.file) {
            Issue.record("\(outcome.file) is newly less trusting than Unbound: \(outcome.summary)")
        }
        for outcome in results where Self.knownLessTrusting.contains(outcome.file) && outcome.verdict != .lessTrusting {
            Issue.record("\(outcome.file) now \(outcome.verdict.rawValue): take it off knownLessTrusting")
        }
    }

    @Test func readmeTableIsCurrent() async throws {
        let results = await Self.replayed.value
        if ProcessInfo.processInfo.environment["XMPPDNA_REPLAY_VERBOSE"] == "1" {
            for outcome in results { print("\(outcome.file): \(outcome.verdict.rawValue) \(outcome.summary)") }
        }
        try RenderedReadmeTable.check(ReplayReport.markdown(results), marker: "unbound-replay", renderedBy: "UnboundReplayTests")
    }
}

enum ReplayRepository {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let shared = root.deletingLastPathComponent().appendingPathComponent("shared")
}

/// The replay's outcomes, computed by the first test that asks.
actor ReplayedOnce {
    private var running: Task<[ReplayOutcome], Never>?

    var value: [ReplayOutcome] {
        get async {
            if let running { return await running.value }
            let task = Task { await UnboundReplayTests.runAll() }
            running = task
            return await task.value
        }
    }
}
