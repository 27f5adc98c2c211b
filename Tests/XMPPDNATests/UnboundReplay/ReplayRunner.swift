import CLDNS
import Foundation
@testable import XMPPDNA
@testable import XMPPDNACore
@testable import XMPPDNANet
@testable import XMPPDNAOpenSSL
@testable import XMPPDNAResolver

/// A DNSSEC status as both validators can state it: Unbound's through its
/// reply (AD, no AD, SERVFAIL), ours through the Answer.
enum ReplayStatus: String, Sendable {
    case secure, insecure, bogus, indeterminate

    /// How much trust the status grants: secure > insecure > bogus. An
    /// indeterminate answer fails closed like Unbound's SERVFAIL.
    var trust: Int {
        switch self {
        case .secure: return 2
        case .insecure: return 1
        case .bogus, .indeterminate: return 0
        }
    }
}

enum ReplayVerdict: String, Sendable {
    case agrees
    case moreTrusting = "DISAGREES-MORE-TRUSTING"
    case lessTrusting = "DISAGREES-LESS-TRUSTING"
    case notApplicable = "NOT APPLICABLE"
}

/// One STEP QUERY and its CHECK_ANSWER.
struct ReplayStepOutcome: Sendable {
    let step: Int
    let question: String
    var expected: ReplayStatus?
    var ours: ReplayStatus?
    /// Our Answer's status text (with the bogus reason).
    var detail = ""
    var notApplicable: String?

    var verdict: ReplayVerdict {
        guard notApplicable == nil, let expected, let ours else { return .notApplicable }
        if ours.trust > expected.trust { return .moreTrusting }
        if ours.trust < expected.trust { return .lessTrusting }
        return .agrees
    }
}

struct ReplayOutcome: Sendable {
    let file: String
    let steps: [ReplayStepOutcome]
    /// Why the whole scenario cannot run against a stub validator.
    var scenarioReason: String?

    var name: String { String(file.dropLast(4)) }

    /// The worst step decides: more trusting, then less trusting, then agreement.
    var verdict: ReplayVerdict {
        if scenarioReason != nil { return .notApplicable }
        let verdicts = steps.map(\.verdict)
        for verdict in [ReplayVerdict.moreTrusting, .lessTrusting, .agrees] where verdicts.contains(verdict) { return verdict }
        return .notApplicable
    }

    var notApplicableReason: String {
        if let scenarioReason { return scenarioReason }
        var reasons: [String] = []
        for reason in steps.compactMap(\.notApplicable) where !reasons.contains(reason) { reasons.append(reason) }
        return reasons.joined(separator: "; ")
    }

    var summary: String {
        if verdict == .notApplicable { return notApplicableReason }
        return steps.map { step in
            let status = step.notApplicable.map { "n/a (\($0))" }
                ?? "ours \(step.ours?.rawValue ?? "?") (\(step.detail)), Unbound \(step.expected?.rawValue ?? "?")"
            return "step \(step.step) \(step.question): \(status)"
        }.joined(separator: " | ")
    }
}

/// Runs one scenario: every STEP QUERY against a fresh validator (no cache)
/// at the scenario's time, with the scenario's trust anchors.
enum ReplayRunner {
    /// Any address: ReplayWire ignores it and starts at the scenario's stubs.
    private static let stubServer = try! DNSServerAddress("192.0.2.53")

    static func run(_ scenario: ReplayScenario) async -> ReplayOutcome {
        if let reason = notApplicable(scenario) { return ReplayOutcome(file: scenario.file, steps: [], scenarioReason: reason) }
        guard let time = scenario.validationTime else {
            return ReplayOutcome(file: scenario.file, steps: [], scenarioReason: "no val-override-date to validate at")
        }
        let anchors: TrustAnchors
        switch TrustAnchors.parse(scenario.trustAnchors.joined(separator: "\n")) {
        case .success(let parsed): anchors = parsed
        case .failure(let problem):
            return ReplayOutcome(file: scenario.file, steps: [], scenarioReason: "trust anchor unreadable: \(problem)")
        }
        var outcomes: [ReplayStepOutcome] = []
        var queryIndex = 0
        var timePassed = false
        var pending: (step: Int, entry: ReplayScenario.Entry, outcome: ReplayStepOutcome)?
        for step in scenario.steps {
            switch step {
            case .other(_, let what):
                // Tiny ELAPSE values only let testbound's events run; real
                // time passing changes what Unbound's cache and clock say.
                let words = what.split(separator: " ")
                if words.first == "TIME_PASSES", let seconds = words.last.flatMap({ Double($0) }), seconds >= 1 { timePassed = true }
            case .query(let number, let entry):
                queryIndex += 1
                var outcome = ReplayStepOutcome(step: number, question: entry.question.map { "\($0.name) \($0.type)" } ?? "?")
                if timePassed {
                    outcome.notApplicable = "asked after time passes: depends on Unbound's cache and clock"
                } else {
                    outcome = await look(up: entry, scenario: scenario, anchors: anchors, time: time, step: number,
                                   first: queryIndex == 1, outcome: outcome)
                }
                pending = (number, entry, outcome)
            case .checkAnswer(_, let expected):
                guard let (_, query, pendingOutcome) = pending else { continue }
                pending = nil
                var outcome = pendingOutcome
                if outcome.notApplicable == nil { outcome.notApplicable = unreadable(query: query, expected: expected) }
                outcome.expected = status(of: expected)
                outcomes.append(outcome)
            }
        }
        return ReplayOutcome(file: scenario.file, steps: outcomes)
    }

    /// Scenario-wide reasons a stub validator cannot reproduce it.
    private static func notApplicable(_ scenario: ReplayScenario) -> String? {
        if !scenario.trustAnchorFiles.isEmpty { return "trust-anchor-file, which the replay does not read" }
        if scenario.trustAnchors.isEmpty { return "no trust anchor" }
        if scenario.option("domain-insecure") != nil { return "negative trust anchor (domain-insecure), which the library does not have" }
        if scenario.hasMalformedAddressRecord {
            return "a malformed A record (generic rdata of the wrong length) that ldns's text parser shortens before the replay can serve it"
        }
        if scenario.option("harden-dnssec-stripped")?.contains("no") == true {
            return "harden-dnssec-stripped: no (Unbound told to take stripped DNSSEC as insecure): the library always fails closed"
        }
        if scenario.option("harden-algo-downgrade")?.contains("yes") == true {
            return "harden-algo-downgrade (every DS algorithm must sign): a non-default Unbound option against RFC 6840 section 5.11, which asks to accept any one valid path"
        }
        return nil
    }

    /// Step reasons that come from the question and the expected reply alone.
    private static func unreadable(query: ReplayScenario.Entry, expected: ReplayScenario.Entry) -> String? {
        if query.question?.type == "ANY" { return "qtype ANY, which the library never asks" }
        if query.question?.type == "RRSIG" { return "qtype RRSIG, which the library never asks" }
        if query.flags.contains("CD") { return "asked with CD: Unbound answers without validating" }
        if !["NOERROR", "NXDOMAIN", "SERVFAIL"].contains(expected.rcode) { return "expected rcode \(expected.rcode)" }
        if expected.rcode != "SERVFAIL" && !query.flags.contains("DO") && !query.flags.contains("AD") {
            return "asked without DO or AD: Unbound's reply carries no AD bit whatever the status"
        }
        let synthesised = expected.records("ANSWER").compactMap(ReplayRR.init).contains { $0.type == "DNAME" }
        if synthesised { return "DNAME: the answer is a synthesised CNAME, which the validator does not derive" }
        return nil
    }

    private static func status(of expected: ReplayScenario.Entry) -> ReplayStatus? {
        switch expected.rcode {
        case "SERVFAIL": return .bogus
        case "NOERROR", "NXDOMAIN": return expected.flags.contains("AD") ? .secure : .insecure
        default: return nil
        }
    }

    private static func look(up query: ReplayScenario.Entry, scenario: ReplayScenario, anchors: TrustAnchors, time: Int64,
                             step: Int, first: Bool, outcome: ReplayStepOutcome) async -> ReplayStepOutcome {
        var outcome = outcome
        guard let question = query.question else {
            outcome.notApplicable = "STEP QUERY without a question"
            return outcome
        }
        let type = UInt16(ldns_get_rr_type_by_name(question.type).rawValue)
        guard type != 0, question.type != "ANY" else {
            outcome.notApplicable = question.type == "ANY" ? "qtype ANY, which the library never asks" : "unknown qtype \(question.type)"
            return outcome
        }
        let wire = ReplayWire(scenario: scenario, step: step)
        let transport = DNSTransport(servers: [stubServer], timeoutMilliseconds: 1, retries: 0, wire: wire)
        let validator = DNSSECValidator(transport: transport, anchors: anchors, time: time, pinnedTime: time, cache: nil)
        let answer = await validator.lookup(question.name, type)
        let status = answer.cnames.reduce(answer.status) { $0.combined(with: $1.status) }
        outcome.ours = ReplayStatus(rawValue: status.tag)
        outcome.detail = status.description
        if ProcessInfo.processInfo.environment["XMPPDNA_REPLAY_VERBOSE"] == "1", !wire.questionsWithoutAnswer.isEmpty {
            outcome.detail += "; unanswered: \(wire.questionsWithoutAnswer.joined(separator: ", "))"
        }
        // A later step no server answers was answered from Unbound's cache
        // (aggressive NSEC, negative cache): a fresh stub cannot replay it.
        if !first, !wire.questionsWithoutAnswer.isEmpty {
            outcome.notApplicable = "a later step answered from Unbound's cache: no simulated server answers it"
            outcome.detail += "; unanswered: \(wire.questionsWithoutAnswer[0])"
        }
        return outcome
    }
}
