import CXMPPDNA
import Foundation
import Testing

// Outside the suite type: its trait cannot refer to the type's own members.
private let conformanceVectorFile = Repository.shared.appendingPathComponent("conformance/identity-vectors.jsonl")

/// The identity vectors of ../shared/conformance through the C ABI.
/// Binding (rule == both) vectors and invalid patterns/references must pass;
/// every other group is counted and reported, in the default RFC 9525 mode and
/// in the opt-in CN-fallback legacy mode. Without ../shared the suite is
/// disabled by its `.enabled(if:)` trait, which shows the skip message.
/// `XMPPDNA_WRITE_CONFORMANCE=1` also writes the report to docs/conformance.md.
@Suite(.enabled(if: FileManager.default.fileExists(atPath: conformanceVectorFile.path),
                "../shared absent: conformance suite skipped"))
struct ConformanceTests {
    static let vectorFile = conformanceVectorFile
    static let reportFile = Repository.root.appendingPathComponent("docs/conformance.md")

    static let loaded = ConformanceVector.load(vectorFile)
    static let runs: [ConformanceRun] = [
        ConformanceRun(name: "Default mode (RFC 9525, no CN fallback)", flags: 0, vectors: loaded.vectors),
        ConformanceRun(name: "Legacy mode (XMPPDNA_FLAG_CN_FALLBACK)", flags: XMPPDNA_FLAG_CN_FALLBACK,
                       vectors: loaded.vectors),
    ]

    @Test func everyLineOfTheVectorFileReads() {
        #expect(Self.loaded.errors.isEmpty, "unreadable vectors: \(Self.loaded.errors.prefix(20))")
        #expect(Self.loaded.vectors.count > 5000, "only \(Self.loaded.vectors.count) vectors loaded")
    }

    @Test func everyBindingVectorPassesInTheDefaultMode() {
        let both = Self.runs[0].outcomes.filter { $0.vector.rule == "both" }
        let failing = both.filter { !$0.passed }
        #expect(both.count > 4800, "only \(both.count) rule == both vectors")
        // A count, so that the failure shows the message rather than the whole outcome values.
        #expect(failing.count == 0, """
            \(failing.count) of \(both.count) rule == both vectors fail (first 50):
            \(failing.prefix(50).map(\.detail).joined(separator: "\n"))
            """)
    }

    @Test(arguments: ["pattern_invalid", "reference_invalid"])
    func invalidInputNeverMatches(kind: String) {
        let cases = Self.runs[0].outcomes.filter { $0.vector.kind == kind }
        let failing = cases.filter { !$0.passed }
        #expect(!cases.isEmpty, "no \(kind) vectors")
        #expect(failing.count == 0, "\(kind) vectors failing:\n\(failing.map(\.detail).joined(separator: "\n"))")
    }

    /// Reports only: the legacy mode is expected to side with RFC 6125 more often.
    @Test func reportPerRuleInBothModes() throws {
        let report = ConformanceReport.markdown(Self.runs, vectorCount: Self.loaded.vectors.count)
        print(report)
        if ProcessInfo.processInfo.environment["XMPPDNA_WRITE_CONFORMANCE"] == "1" {
            try FileManager.default.createDirectory(at: Self.reportFile.deletingLastPathComponent(),
                                                    withIntermediateDirectories: true)
            try report.write(to: Self.reportFile, atomically: true, encoding: .utf8)
            print("wrote \(Self.reportFile.path)")
        }
    }
}

/// Every vector evaluated with one context configuration.
struct ConformanceRun: Sendable {
    let name: String
    let flags: UInt32
    let outcomes: [ConformanceOutcome]

    init(name: String, flags: UInt32, vectors: [ConformanceVector]) {
        self.name = name
        self.flags = flags
        let context = CContext(caFile: nil, time: nil, flags: flags)
        outcomes = withExtendedLifetime(context) { vectors.map { ConformanceOutcome($0, context.pointer) } }
    }
}

/// What the library made of one vector.
struct ConformanceOutcome: Sendable {
    let vector: ConformanceVector
    /// The verdict; false when there is no reference or the library refused it.
    let got: Bool
    let passed: Bool
    /// The result code of a refused reference.
    let refusedReference: Int32?
    /// A call that must succeed did not; the vector then fails.
    let error: String?
    /// The presented identifiers as the library reports them; kept for failures only.
    let libraryView: [String]

    /// The request's own domain; no vector presents anything that matches it,
    /// so only the vector's reference can make a match.
    static let unmatchedDomain = "xmppdna.conformance-reference.invalid"

    init(_ vector: ConformanceVector, _ ctx: OpaquePointer) {
        self.vector = vector
        var error: String?
        var got = false
        var refused: Int32?
        var verdict: OpaquePointer?
        defer { xmppdna_verdict_free(verdict) }
        var request: OpaquePointer?
        let made = xmppdna_request_new(Self.unmatchedDomain, XMPPDNA_SERVICE_XMPP_SERVER, XMPPDNA_DIR_OUTBOUND, &request)
        defer { xmppdna_request_free(request) }
        var pki = XMPPDNA_PROOF_PKI
        let flags = UInt32(XMPPDNA_REQUEST_NO_LOOKUPS | XMPPDNA_REQUEST_NAMES_ONLY)
        if made != XMPPDNA_OK || xmppdna_request_set_prooftypes(request, &pki, 1) != XMPPDNA_OK
            || xmppdna_request_set_flags(request, flags) != XMPPDNA_OK {
            error = "xmppdna_request_new = \(made)"
        } else if let reference = vector.reference {
            let rc = withCBytes(reference.bytes) { xmppdna_request_add_ref(request, reference.type, $0, $1) }
            if rc != XMPPDNA_OK { refused = rc }
        }
        if error == nil {
            let chain = Self.presented(vector, request, &error)
            defer { xmppdna_chain_free(chain) }
            if error == nil {
                let rc = xmppdna_verify(ctx, chain, request, &verdict)
                let accepted = xmppdna_verdict_accepted(verdict)
                // The fast answer of a names-only check and the verdict made later agree.
                var outcome: Int32 = -1
                _ = xmppdna_verdict_attempt_get(verdict, 0, nil, &outcome, nil)
                if rc != XMPPDNA_OK || (accepted != 0 && accepted != 1) || (outcome == XMPPDNA_ATTEMPT_ACCEPTED) != (accepted == 1) {
                    error = "xmppdna_verify = \(rc), xmppdna_verdict_accepted = \(accepted), the PKI attempt's outcome \(outcome)"
                }
                got = accepted == 1 && refused == nil && vector.reference != nil
            }
        }

        let passed: Bool
        switch vector.kind {
        case "pattern_invalid":
            // Bare identifiers must all be recorded (then set aside); a certificate must yield at least one.
            let wanted = vector.certPEM == nil ? vector.presented.count : nil
            passed = error == nil && Self.allUnusable(verdict, count: wanted)
        case "reference_invalid":
            passed = error == nil && refused != nil
        case "match", "derived_match":
            passed = error == nil && got == vector.expect
        default:
            error = error ?? "unknown kind \(vector.kind)"
            passed = false
        }
        self.got = got
        self.passed = passed
        self.refusedReference = refused
        self.error = error
        libraryView = passed ? [] : Self.view(verdict)
    }

    /// One line for a failure message: reference, presented identifiers, expected, got.
    var detail: String {
        let reference = vector.reference.map { "\(ConformanceVector.typeName($0.type)):\($0.text)".debugDescription }
            ?? "none"
        let listed = vector.presented.map { "\(ConformanceVector.typeName($0.type)):\($0.text)".debugDescription }
        let presented = (vector.certPEM == nil ? "" : "certificate listing ") + listed.joined(separator: " ")
        var line = "\(vector.id) [\(vector.kind), \(vector.tags.joined(separator: ","))] reference \(reference)"
            + " presented \(presented) expected \(expectation) got \(result)"
        if !libraryView.isEmpty { line += "; library sees \(libraryView.joined(separator: ", "))" }
        return line
    }

    private var expectation: String {
        switch vector.kind {
        case "pattern_invalid": "every identifier unusable"
        case "reference_invalid": "reference refused"
        default: vector.expect ? "accepted" : "rejected"
        }
    }

    var result: String {
        if let error { return "error: \(error)" }
        if let refusedReference {
            return "reference refused (\(String(cString: xmppdna_strerror(refusedReference))))"
        }
        switch vector.kind {
        case "pattern_invalid": return passed ? "every identifier unusable" : "a usable identifier"
        case "reference_invalid": return "reference accepted"
        default: return got ? "accepted" : "rejected"
        }
    }

    /// The certificate as a chain, or the bare identifiers added to the request.
    private static func presented(_ vector: ConformanceVector, _ request: OpaquePointer?, _ error: inout String?) -> OpaquePointer? {
        if let pem = vector.certPEM {
            var chain: OpaquePointer?
            guard xmppdna_chain_new(&chain) == XMPPDNA_OK else { error = "xmppdna_chain_new failed"; return nil }
            let added = withCBytes(Array(pem.utf8)) { xmppdna_chain_add_pem(chain, $0, $1) }
            if added != XMPPDNA_OK { error = "xmppdna_chain_add_pem = \(added)" }
            return chain
        }
        for identifier in vector.presented {
            let rc = withCBytes(identifier.bytes) { xmppdna_request_add_presented(request, identifier.type, $0, $1) }
            if rc != XMPPDNA_OK {
                error = "xmppdna_request_add_presented(\(ConformanceVector.typeName(identifier.type)), "
                    + "\(identifier.text.debugDescription)) = \(rc)"
            }
        }
        return nil
    }

    private static func allUnusable(_ verdict: OpaquePointer?, count wanted: Int?) -> Bool {
        let count = xmppdna_verdict_presented_count(verdict)
        guard verdict != nil, count > 0, wanted.map({ $0 == count }) ?? true else { return false }
        return (0..<count).allSatisfy { i in
            var usable: Int32 = -1
            return xmppdna_verdict_presented_get(verdict, i, nil, nil, &usable, nil) == XMPPDNA_OK && usable == 0
        }
    }

    private static func view(_ verdict: OpaquePointer?) -> [String] {
        (0..<xmppdna_verdict_presented_count(verdict)).map { i in
            var type: Int32 = 0, usable: Int32 = -1
            var value: UnsafePointer<CChar>?, problem: UnsafePointer<CChar>?
            let rc = xmppdna_verdict_presented_get(verdict, i, &type, &value, &usable, &problem)
            guard rc == XMPPDNA_OK, let value else { return "#\(i): xmppdna_verdict_presented_get = \(rc)" }
            let text = "\(ConformanceVector.typeName(type)):\(String(cString: value))".debugDescription
            return usable == 1 ? "\(text) usable" : "\(text) unusable (\(problem.map { String(cString: $0) } ?? "no problem given"))"
        }
    }
}

/// Passes len bytes with a NUL after them, so that even an empty value is a
/// real pointer while the explicit length keeps inner NUL bytes.
private func withCBytes<T>(_ bytes: [UInt8], _ body: (UnsafePointer<CChar>, Int) -> T) -> T {
    (bytes + [0]).withUnsafeBufferPointer { buffer in
        buffer.withMemoryRebound(to: CChar.self) { body($0.baseAddress!, bytes.count) }
    }
}

/// The per-rule tables and the list of differing vectors, as markdown.
enum ConformanceReport {
    /// Binding groups first, then the rest alphabetically.
    private static let ruleOrder = ["both", "rfc9525-only", "rfc6125-only", "impl-specific"]

    private struct Counts {
        var total = 0, passed = 0
        var agree9525 = 0, decided9525 = 0, agree6125 = 0, decided6125 = 0
    }

    static func markdown(_ runs: [ConformanceRun], vectorCount: Int) -> String {
        var out = """
            # Identity conformance

            Generated by `XMPPDNA_WRITE_CONFORMANCE=1 swift test --filter Conformance`
            (`Tests/XMPPDNACABITests/ConformanceTests.swift`); do not edit by hand.

            \(vectorCount) vectors from `../shared/conformance/identity-vectors.jsonl` (see `../shared/README.md`)
            run through the C ABI: a chain for a certificate, else `xmppdna_request_add_presented`; the reference
            through `xmppdna_request_add_ref`; the verdict from `xmppdna_verify` with PKI by names alone.
            A reference the library refuses counts as no match.

            - **pass**: `match`/`derived_match`: the verdict equals the source's `expect`;
              `pattern_invalid`: every presented identifier is reported unusable;
              `reference_invalid`: `xmppdna_request_add_ref` refuses the reference.
            - **RFC 9525** / **RFC 6125**: the verdict agrees with `expect_rfc9525` / `expect_rfc6125`, over the
              match vectors where that field is not null.
            - The suite requires every `both` vector and every invalid pattern or reference to pass in the
              default mode; the other groups are reported, not required.

            """
        for run in runs {
            out += "\n" + section(run)
        }
        return out
    }

    private static func section(_ run: ConformanceRun) -> String {
        var counts: [String: Counts] = [:]
        var all = Counts()
        for outcome in run.outcomes {
            for key in [outcome.vector.rule, "*"] {
                var c = key == "*" ? all : counts[key, default: Counts()]
                c.total += 1
                if outcome.passed { c.passed += 1 }
                if outcome.vector.isMatch, let want = outcome.vector.expectRFC9525 {
                    c.decided9525 += 1
                    if outcome.got == want && outcome.error == nil { c.agree9525 += 1 }
                }
                if outcome.vector.isMatch, let want = outcome.vector.expectRFC6125 {
                    c.decided6125 += 1
                    if outcome.got == want && outcome.error == nil { c.agree6125 += 1 }
                }
                if key == "*" { all = c } else { counts[key] = c }
            }
        }
        let rules = counts.keys.sorted { a, b in
            let ia = ruleOrder.firstIndex(of: a) ?? ruleOrder.count, ib = ruleOrder.firstIndex(of: b) ?? ruleOrder.count
            return ia != ib ? ia < ib : a < b
        }
        func row(_ name: String, _ c: Counts) -> String {
            "| \(name) | \(c.total) | \(c.passed) | \(c.agree9525)/\(c.decided9525) | \(c.agree6125)/\(c.decided6125) |"
        }
        var lines = [
            "## \(run.name)", "",
            "| rule | vectors | pass | agree RFC 9525 | agree RFC 6125 |",
            "|---|---:|---:|---:|---:|",
        ]
        lines += rules.map { row("`\($0)`", counts[$0]!) }
        lines.append(row("**all**", all))
        lines.append("")

        let failing = run.outcomes.filter { !$0.passed }
        if failing.isEmpty {
            lines.append("Every vector passes.")
        } else {
            lines.append("### Vectors that differ from the source, by rule, outcome and tags")
            for rule in rules {
                let inRule = failing.filter { $0.vector.rule == rule }
                if inRule.isEmpty { continue }
                lines += ["", "**`\(rule)`** (\(inRule.count)):", ""]
                // Buckets keep the file order of their first vector.
                var order: [String] = []
                var buckets: [String: [ConformanceOutcome]] = [:]
                for outcome in inRule {
                    let tags = outcome.vector.tags.filter { $0 != "generated_cross_product" }
                    let key = "expected \(expectationWord(outcome)), got \(outcome.result)"
                        + (tags.isEmpty ? "" : " — tags \(tags.joined(separator: ", "))")
                    if buckets[key] == nil { order.append(key) }
                    buckets[key, default: []].append(outcome)
                }
                for key in order {
                    let bucket = buckets[key]!
                    lines.append("- \(key) (\(bucket.count)): \(bucket.map(\.vector.id).joined(separator: ", "))")
                    lines.append("  - e.g. `\(bucket[0].detail.replacingOccurrences(of: "`", with: "'"))`")
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func expectationWord(_ outcome: ConformanceOutcome) -> String {
        switch outcome.vector.kind {
        case "pattern_invalid": "unusable"
        case "reference_invalid": "refused"
        default: outcome.vector.expect ? "accepted" : "rejected"
        }
    }
}
