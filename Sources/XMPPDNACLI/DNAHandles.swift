import CXMPPDNA

/// Owns a DNA request.
final class DNARequest {
    let pointer: OpaquePointer

    init(domain: String, service: Int32, direction: Int32) throws {
        var out: OpaquePointer?
        let rc = xmppdna_dna_request_new(domain, service, direction, &out)
        guard rc == XMPPDNA_OK, let out else { throw InputError(code: rc, "invalid --domain \(domain)") }
        pointer = out
    }

    deinit { xmppdna_dna_request_free(pointer) }

    /// Turns a C result into an input error naming the option.
    func check(_ rc: Int32, _ what: String) throws {
        guard rc == XMPPDNA_OK else { throw InputError(code: rc, what) }
    }
}

/// Owns a DNA verdict.
final class DNAVerdict {
    let pointer: OpaquePointer
    init(owning pointer: OpaquePointer) { self.pointer = pointer }
    deinit { xmppdna_dna_free(pointer) }

    var accepted: Bool { xmppdna_dna_accepted(pointer) == 1 }
    var prooftype: String? { prooftypeName(xmppdna_dna_prooftype(pointer)) }
    var summary: String { xmppdna_dna_summary(pointer).map { String(cString: $0) } ?? "" }

    var attempts: [(prooftype: String, outcome: Int32, reason: String)] {
        (0..<xmppdna_dna_attempt_count(pointer)).compactMap { i in
            var prooftype: Int32 = 0, outcome: Int32 = 0
            var reason: UnsafePointer<CChar>?
            guard xmppdna_dna_attempt(pointer, i, &prooftype, &outcome, &reason) == XMPPDNA_OK, let reason else { return nil }
            return (prooftypeName(prooftype) ?? "?", outcome, String(cString: reason))
        }
    }

    var evidence: [(what: String, status: Int32)] {
        (0..<xmppdna_dna_evidence_count(pointer)).compactMap { i in
            var what: UnsafePointer<CChar>?
            var status: Int32 = 0
            guard xmppdna_dna_evidence(pointer, i, &what, &status) == XMPPDNA_OK, let what else { return nil }
            return (String(cString: what), status)
        }
    }

    var dialbackStrength: Int32 { xmppdna_dna_dialback_strength(pointer) }

    /// The PKI part, borrowed from this verdict.
    var pki: Verdict? {
        xmppdna_dna_pki(pointer).map { Verdict(borrowing: $0, from: self) }
    }

    var json: String? {
        var out: UnsafeMutablePointer<CChar>?
        guard xmppdna_dna_json(pointer, &out) == XMPPDNA_OK, let out else { return nil }
        defer { xmppdna_free(out) }
        return String(cString: out)
    }
}

func prooftypeName(_ code: Int32) -> String? {
    switch code {
    case XMPPDNA_PROOF_DANE: return "dane"
    case XMPPDNA_PROOF_PKI: return "pki"
    case XMPPDNA_PROOF_POSH: return "posh"
    case XMPPDNA_PROOF_DIALBACK: return "dialback"
    default: return nil
    }
}

func prooftypeCode(_ name: String) -> Int32? {
    switch name {
    case "dane": return XMPPDNA_PROOF_DANE
    case "pki": return XMPPDNA_PROOF_PKI
    case "posh": return XMPPDNA_PROOF_POSH
    case "dialback": return XMPPDNA_PROOF_DIALBACK
    default: return nil
    }
}
