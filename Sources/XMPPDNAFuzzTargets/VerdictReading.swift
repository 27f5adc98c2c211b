import CXMPPDNA

/// Reads every accessor of a result, as a server's logging would, and traps
/// on a broken invariant: that turns a wrong answer into a fuzz finding.
enum VerdictReading {
    static func read(verdict v: OpaquePointer) {
        let accepted = xmppdna_verdict_accepted(v)
        check(accepted == 0 || accepted == 1, "verdict_accepted returned \(accepted)")
        let chainStatus = xmppdna_verdict_chain_status(v)
        var code: Int32 = 0, depth: Int32 = 0
        var text: UnsafePointer<CChar>?
        _ = xmppdna_verdict_chain_error(v, &code, &depth, &text)
        let matches = xmppdna_verdict_match_count(v)
        for i in 0..<matches {
            var refType: Int32 = 0, presentedType: Int32 = 0
            var ref: UnsafePointer<CChar>?, presented: UnsafePointer<CChar>?
            check(xmppdna_verdict_match(v, i, &refType, &ref, &presentedType, &presented) == XMPPDNA_OK, "match \(i) unreadable")
            check(ref != nil && presented != nil, "match \(i) without strings")
        }
        if accepted == 1 {
            // Acceptance needs a name match and a chain that verified (or was not asked to).
            check(matches > 0, "accepted without a matching identifier")
            check(chainStatus == XMPPDNA_CHAIN_VALID || chainStatus == XMPPDNA_CHAIN_NOT_CHECKED,
                  "accepted with chain status \(chainStatus)")
        }
        for i in 0..<xmppdna_verdict_reason_count(v) {
            check(xmppdna_verdict_reason(v, i) != nil, "reason \(i) missing")
        }
        if let presented = xmppdna_verdict_presented(v) { read(idset: presented) }
        readJSON { xmppdna_verdict_json(v, $0) }
    }

    static func read(idset ids: OpaquePointer) {
        for i in 0..<xmppdna_idset_count(ids) {
            var type: Int32 = 0, usable: Int32 = 0
            var value: UnsafePointer<CChar>?, problem: UnsafePointer<CChar>?
            check(xmppdna_idset_get(ids, i, &type, &value, &usable, &problem) == XMPPDNA_OK, "identifier \(i) unreadable")
            check(value != nil, "identifier \(i) without a value")
            check(usable == 1 || problem != nil, "identifier \(i) set aside without a reason")
        }
    }

    static func read(dna v: OpaquePointer) {
        let accepted = xmppdna_dna_accepted(v)
        check(accepted == 0 || accepted == 1, "dna_accepted returned \(accepted)")
        let prooftype = xmppdna_dna_prooftype(v)
        check((accepted == 1) == (prooftype != 0), "accepted \(accepted) with prooftype \(prooftype)")
        check(xmppdna_dna_summary(v) != nil, "no summary")
        var acceptedAttempts = 0
        for i in 0..<xmppdna_dna_attempt_count(v) {
            var type: Int32 = 0, outcome: Int32 = 0
            var reason: UnsafePointer<CChar>?
            check(xmppdna_dna_attempt(v, i, &type, &outcome, &reason) == XMPPDNA_OK, "attempt \(i) unreadable")
            if outcome == XMPPDNA_ATTEMPT_ACCEPTED { acceptedAttempts += 1 }
            if type == XMPPDNA_PROOF_DANE && outcome == XMPPDNA_ATTEMPT_REJECTED {
                check(accepted == 0, "accepted although DANE rejected")
            }
        }
        check(accepted == 0 || acceptedAttempts == 1, "accepted with \(acceptedAttempts) accepting attempts")
        for i in 0..<xmppdna_dna_evidence_count(v) {
            var what: UnsafePointer<CChar>?
            var status: Int32 = 0
            check(xmppdna_dna_evidence(v, i, &what, &status) == XMPPDNA_OK && what != nil, "evidence \(i) unreadable")
        }
        _ = xmppdna_dna_dialback_strength(v)
        if let pki = xmppdna_dna_pki(v) { read(verdict: pki) }
        readJSON { xmppdna_dna_json(v, $0) }
    }

    static func read(names: OpaquePointer) {
        let status = xmppdna_names_status(names)
        check((XMPPDNA_DNSSEC_BOGUS...XMPPDNA_DNSSEC_SECURE).contains(status), "names status \(status)")
        _ = xmppdna_names_kind(names)
        _ = xmppdna_names_trust_mode(names)
        var extended: Int32 = 0
        _ = xmppdna_names_reason(names, &extended)
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
            check(xmppdna_names_candidate(names, i, &host, &port, &direct, &candidateStatus) == XMPPDNA_OK, "candidate \(i) unreadable")
        }
        var refs: OpaquePointer?
        if xmppdna_names_refs(names, &refs) == XMPPDNA_OK, let refs { xmppdna_refs_free(refs) }
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
