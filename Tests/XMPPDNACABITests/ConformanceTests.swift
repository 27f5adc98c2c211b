import CXMPPDNA
import Foundation
import Testing

/// One line of ../shared/conformance/identity-vectors.jsonl (see shared/README.md).
private struct Vector {
    let id: String
    let kind: String
    let rule: String
    let certPEM: String?
    let presented: [(type: Int32, bytes: [UInt8])]
    let reference: (type: Int32, bytes: [UInt8])?
    let referenceKnown: Bool
    let expect: Bool
    let expectRFC9525: Bool?

    init?(_ line: Substring) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
        let tags = object["tags"] as? [String] ?? []
        // Strings tagged raw_bytes_latin1 stand for raw bytes.
        let encode: (String) -> [UInt8] = tags.contains("raw_bytes_latin1")
            ? { Array($0.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }) } : { Array($0.utf8) }
        id = object["id"] as? String ?? "?"
        kind = object["kind"] as? String ?? "?"
        rule = object["rule"] as? String ?? "?"
        certPEM = object["cert_pem"] as? String
        expect = object["expect"] as? Bool ?? false
        expectRFC9525 = object["expect_rfc9525"] as? Bool
        var presented: [(Int32, [UInt8])] = []
        for (field, type) in [("san_dns", XMPPDNA_ID_DNS), ("san_srv", XMPPDNA_ID_SRV), ("san_xmpp", XMPPDNA_ID_XMPP),
                              ("san_uri", XMPPDNA_ID_URI), ("cn", XMPPDNA_ID_CN)] {
            for value in object[field] as? [String] ?? [] { presented.append((type, encode(value))) }
        }
        for value in object["san_ip"] as? [String] ?? [] {
            presented.append((XMPPDNA_ID_IP, Vector.ipOctets(value)))
        }
        self.presented = presented
        let types: [String: Int32] = ["dns": XMPPDNA_ID_DNS, "srv": XMPPDNA_ID_SRV, "xmpp": XMPPDNA_ID_XMPP,
                                      "uri": XMPPDNA_ID_URI, "ip": XMPPDNA_ID_IP]
        if let text = object["reference"] as? String, let colon = text.firstIndex(of: ":") {
            let type = types[String(text[..<colon])]
            referenceKnown = type != nil
            reference = type.map { ($0, encode(String(text[text.index(after: colon)...]))) }
        } else {
            referenceKnown = true
            reference = nil
        }
    }

    private static func ipOctets(_ text: String) -> [UInt8] {
        var v4 = in_addr(), v6 = in6_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: v4) { Array($0) } }
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: v6) { Array($0) } }
        return Array(text.utf8)
    }
}

private struct Outcome {
    var total = 0, asSource = 0, asRFC9525 = 0, withRFC9525 = 0
    var failures: [String] = []
}

private let vectorFile = Repository.shared.appendingPathComponent("conformance/identity-vectors.jsonl")

@Suite(.enabled(if: FileManager.default.fileExists(atPath: vectorFile.path),
                "../shared absent: conformance suite skipped"))
struct ConformanceTests {
    private static let vectors: [Vector] = {
        let text = (try? String(contentsOf: vectorFile, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap(Vector.init)
    }()

    /// Runs every vector through the C ABI and groups the results by rule.
    private func run(flags: UInt32) -> [String: Outcome] {
        let ctx = CContext(caFile: nil, time: nil, flags: flags)
        var outcomes: [String: Outcome] = [:]
        for vector in ConformanceTests.vectors {
            let passed: Bool
            let got = verdict(vector, ctx)
            switch vector.kind {
            case "pattern_invalid":
                passed = allUnusable(vector)
            case "reference_invalid":
                passed = got == nil
            default:
                passed = (got ?? false) == vector.expect
            }
            var outcome = outcomes[vector.rule, default: Outcome()]
            outcome.total += 1
            if passed { outcome.asSource += 1 } else { outcome.failures.append(vector.id) }
            if let want = vector.expectRFC9525, vector.kind.hasSuffix("match") {
                outcome.withRFC9525 += 1
                if (got ?? false) == want { outcome.asRFC9525 += 1 }
            }
            outcomes[vector.rule] = outcome
        }
        return outcomes
    }

    /// The verdict, or nil when the library refuses the reference.
    private func verdict(_ vector: Vector, _ ctx: CContext) -> Bool? {
        guard vector.referenceKnown else { return nil }
        guard let reference = vector.reference else { return false }
        guard let refs = CRefs(type: reference.type, bytes: reference.bytes) else { return nil }
        let ids = presentedSet(vector)
        defer { xmppdna_idset_free(ids) }
        var out: OpaquePointer?
        withExtendedLifetime((ctx, refs)) {
            precondition(xmppdna_match(ctx.pointer, ids, refs.pointer, &out) == XMPPDNA_OK)
        }
        return CVerdict(owning: out!).accepted
    }

    private func presentedSet(_ vector: Vector) -> OpaquePointer {
        var ids: OpaquePointer?
        if let pem = vector.certPEM {
            let chain = CChain(pem: Array(pem.utf8))
            withExtendedLifetime(chain) { precondition(xmppdna_chain_idset(chain.pointer, &ids) == XMPPDNA_OK) }
            return ids!
        }
        precondition(xmppdna_idset_new(&ids) == XMPPDNA_OK)
        for (type, bytes) in vector.presented {
            let rc = bytes.withUnsafeBytes { xmppdna_idset_add(ids, type, $0.baseAddress ?? UnsafeRawPointer(bitPattern: 1), $0.count) }
            precondition(rc == XMPPDNA_OK)
        }
        return ids!
    }

    private func allUnusable(_ vector: Vector) -> Bool {
        let ids = presentedSet(vector)
        defer { xmppdna_idset_free(ids) }
        return (0..<xmppdna_idset_count(ids)).allSatisfy { i in
            var usable: Int32 = 1
            return xmppdna_idset_get(ids, i, nil, nil, &usable, nil) == XMPPDNA_OK && usable == 0
        }
    }

    private func report(_ outcomes: [String: Outcome], mode: String) -> String {
        var lines = ["conformance (\(mode)): rule | vectors | as the source | as RFC 9525 (where it decides)"]
        for (rule, outcome) in outcomes.sorted(by: { $0.key < $1.key }) {
            lines.append("  \(rule) | \(outcome.total) | \(outcome.asSource) | \(outcome.asRFC9525)/\(outcome.withRFC9525)"
                         + (outcome.failures.isEmpty ? "" : " | differs: " + outcome.failures.prefix(6).joined(separator: " ")))
        }
        return lines.joined(separator: "\n")
    }

    @Test func everyVectorBindingOnBothRFCsPasses() {
        #expect(ConformanceTests.vectors.count > 5000, "the vector file did not load")
        let outcomes = run(flags: 0)
        print(report(outcomes, mode: "default, RFC 9525"))
        let both = outcomes["both"] ?? Outcome()
        #expect(both.total > 4800)
        #expect(both.failures.isEmpty, "rule == both vectors failing: \(both.failures.prefix(50))")
        #expect(outcomes["n/a"]?.failures.isEmpty == true, "invalid patterns or references accepted: \(outcomes["n/a"]?.failures ?? [])")
        #expect(outcomes["rfc9525-only"]?.failures.isEmpty == true)
    }

    @Test func legacyCommonNameModeStillPassesTheBindingVectors() {
        let outcomes = run(flags: XMPPDNA_FLAG_CN_FALLBACK)
        print(report(outcomes, mode: "legacy CN fallback"))
        #expect(outcomes["both"]?.failures.isEmpty == true, "\(outcomes["both"]?.failures.prefix(50) ?? [])")
        #expect(outcomes["rfc6125-only"]?.failures.isEmpty == true, "\(outcomes["rfc6125-only"]?.failures ?? [])")
    }
}
