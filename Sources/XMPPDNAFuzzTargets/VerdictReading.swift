import CXMPPDNA

/// Reads every accessor of a result, as a server's logging would, and traps
/// on a broken invariant: that turns a wrong answer into a fuzz finding.
enum VerdictReading {
    /// The hundreds of each prooftype's finding codes (include/xmppdna.h).
    private static let findingGroup: [Int32: Int32] = [XMPPDNA_PROOF_PKI: 1, XMPPDNA_PROOF_DANE: 2, XMPPDNA_PROOF_POSH: 3,
                                                       XMPPDNA_PROOF_DIALBACK: 4]

    static func read(verdict v: OpaquePointer) {
        let accepted = xmppdna_verdict_accepted(v)
        check(accepted == 0 || accepted == 1, "verdict_accepted returned \(accepted)")
        let prooftype = xmppdna_verdict_prooftype(v)
        check((accepted == 1) == (prooftype != 0), "accepted \(accepted) with prooftype \(prooftype)")
        check(xmppdna_verdict_summary(v) != nil, "no summary")
        var chainStatus: Int32 = -1, code: Int32 = 0, depth: Int32 = 0
        var text: UnsafePointer<CChar>?
        check(xmppdna_verdict_chain(v, &chainStatus, &code, &depth, &text) == XMPPDNA_OK, "chain unreadable")
        check((chainStatus == XMPPDNA_CHAIN_INVALID) == (text != nil), "chain status \(chainStatus) with text \(text != nil)")
        let matches = xmppdna_verdict_match_count(v)
        for i in 0..<matches {
            var refType: Int32 = 0, presentedType: Int32 = 0
            var ref: UnsafePointer<CChar>?, presented: UnsafePointer<CChar>?
            check(xmppdna_verdict_match_get(v, i, &refType, &ref, &presentedType, &presented) == XMPPDNA_OK, "match \(i) unreadable")
            check(ref != nil && presented != nil, "match \(i) without strings")
        }
        if prooftype == XMPPDNA_PROOF_PKI {
            // PKI acceptance needs a name match and a chain that verified (or names only).
            check(matches > 0, "accepted by PKI without a matching identifier")
            check(chainStatus == XMPPDNA_CHAIN_VALID || chainStatus == XMPPDNA_CHAIN_NOT_CHECKED,
                  "accepted by PKI with chain status \(chainStatus)")
        }
        var acceptedAttempts = 0
        var outcomes: [Int32: Int32] = [:]
        for i in 0..<xmppdna_verdict_attempt_count(v) {
            var type: Int32 = 0, outcome: Int32 = -1
            var reason: UnsafePointer<CChar>?
            check(xmppdna_verdict_attempt_get(v, i, &type, &outcome, &reason) == XMPPDNA_OK && reason != nil, "attempt \(i) unreadable")
            outcomes[type] = outcome
            if outcome == XMPPDNA_ATTEMPT_ACCEPTED { acceptedAttempts += 1 }
            if type == XMPPDNA_PROOF_DANE && outcome == XMPPDNA_ATTEMPT_REJECTED {
                check(accepted == 0, "accepted although DANE rejected")
            }
        }
        check(accepted == 0 || acceptedAttempts == 1, "accepted with \(acceptedAttempts) accepting attempts")
        for i in 0..<xmppdna_verdict_finding_count(v) {
            var finding = xmppdna_finding()
            check(xmppdna_verdict_finding_get(v, i, &finding) == XMPPDNA_OK && finding.text != nil, "finding \(i) unreadable")
            check(outcomes[finding.prooftype] == finding.outcome, "finding \(i) disagrees with its attempt's outcome")
            check(finding.code > 0 && (finding.code < 100 || finding.code / 100 == findingGroup[finding.prooftype]),
                  "finding \(i) code \(finding.code) outside its prooftype's group")
        }
        for i in 0..<xmppdna_verdict_presented_count(v) {
            var type: Int32 = 0, usable: Int32 = 0
            var value: UnsafePointer<CChar>?, problem: UnsafePointer<CChar>?
            check(xmppdna_verdict_presented_get(v, i, &type, &value, &usable, &problem) == XMPPDNA_OK, "identifier \(i) unreadable")
            check(value != nil, "identifier \(i) without a value")
            check(usable == 1 || problem != nil, "identifier \(i) set aside without a reason")
        }
        for i in 0..<xmppdna_verdict_evidence_count(v) {
            var what: UnsafePointer<CChar>?
            var status: Int32 = -1
            check(xmppdna_verdict_evidence_get(v, i, &what, &status) == XMPPDNA_OK && what != nil, "evidence \(i) unreadable")
            check((XMPPDNA_DNSSEC_BOGUS...XMPPDNA_DNSSEC_NONE).contains(status), "evidence \(i) status \(status)")
        }
        readJSON { xmppdna_verdict_json(v, $0) }
    }

    static func read(names: OpaquePointer) {
        var status: Int32 = -1, kind: Int32 = -1, trustMode: Int32 = -1, extended: Int32 = -1
        var reason: UnsafePointer<CChar>?
        check(xmppdna_names_status(names, &status, &kind, &trustMode, &extended, &reason) == XMPPDNA_OK, "names status unreadable")
        check((XMPPDNA_DNSSEC_BOGUS...XMPPDNA_DNSSEC_SECURE).contains(status), "names status \(status)")
        check((status == XMPPDNA_DNSSEC_BOGUS || status == XMPPDNA_DNSSEC_INDETERMINATE) == (reason != nil), "names reason")
        let count = xmppdna_names_count(names)
        check(count >= 1, "a name list without the domain")
        for i in 0..<count {
            var type: Int32 = 0, entryStatus: Int32 = 0
            var value: UnsafePointer<CChar>?, source: UnsafePointer<CChar>?
            check(xmppdna_names_get(names, i, &type, &value, &entryStatus, &source) == XMPPDNA_OK, "entry \(i) unreadable")
            // The core promise: only a secure path widens the list.
            if i > 0 { check(entryStatus == XMPPDNA_DNSSEC_SECURE, "entry \(i) added with status \(entryStatus)") }
        }
        if status != XMPPDNA_DNSSEC_SECURE { check(count == 1, "a list that is not secure was widened to \(count) names") }
        for i in 0..<xmppdna_names_candidate_count(names) {
            var host: UnsafePointer<CChar>?
            var port: Int32 = 0, direct: Int32 = 0, candidateStatus: Int32 = 0
            check(xmppdna_names_candidate_get(names, i, &host, &port, &direct, &candidateStatus) == XMPPDNA_OK, "candidate \(i) unreadable")
        }
        readJSON { xmppdna_names_json(names, $0) }
    }

    private static func readJSON(_ render: (UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32) {
        var json: UnsafeMutablePointer<CChar>?
        check(render(&json) == XMPPDNA_OK && json != nil, "no JSON")
        if let json {
            let text = String(cString: json)
            check(text.first == "{" && text.last == "}", "JSON is not an object: \(text.prefix(80))")
            xmppdna_free(json)
        }
    }

    static func check(_ condition: Bool, _ message: @autoclosure () -> String) {
        if !condition { fatalError("fuzz invariant: \(message())") }
    }
}
