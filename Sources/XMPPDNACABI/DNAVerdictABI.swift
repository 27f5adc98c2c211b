import CXMPPDNA
import XMPPDNA
import XMPPDNACore

/// A DNA verdict plus the C strings it lends, all made up front so
/// concurrent readers never race.
final class DNAHandle: Handle, @unchecked Sendable {
    let verdict: DNAVerdict
    let pki: VerdictHandle
    private let pool: CStringPool
    let summary: UnsafeMutablePointer<CChar>
    let reasons: [UnsafeMutablePointer<CChar>]
    let evidence: [UnsafeMutablePointer<CChar>]

    init(_ verdict: DNAVerdict) throws(ABIError) {
        let pool = CStringPool()
        self.pool = pool
        self.verdict = verdict
        pki = VerdictHandle(verdict.pki, lent: true)
        summary = try pool.lend(verdict.summary)
        reasons = try verdict.attempts.map { attempt throws(ABIError) in try pool.lend(attempt.reason) }
        evidence = try verdict.evidence.map { item throws(ABIError) in try pool.lend(item.what) }
        super.init()
    }
}

@c(xmppdna_dna_free)
public func xmppdnaDNAFree(_ verdict: OpaquePointer?) {
    Handle.release(verdict, as: DNAHandle.self)
}

@c(xmppdna_dna_accepted)
public func xmppdnaDNAAccepted(_ verdict: UnsafeRawPointer?) -> Int32 {
    guard let handle = Handle.borrow(verdict, as: DNAHandle.self) else { return ResultCode.misuse }
    return handle.verdict.accepted ? 1 : 0
}

@c(xmppdna_dna_prooftype)
public func xmppdnaDNAProoftype(_ verdict: UnsafeRawPointer?) -> Int32 {
    guard let handle = Handle.borrow(verdict, as: DNAHandle.self) else { return ResultCode.misuse }
    return handle.verdict.prooftype?.code ?? 0
}

@c(xmppdna_dna_summary)
public func xmppdnaDNASummary(_ verdict: UnsafeRawPointer?) -> UnsafePointer<CChar>? {
    Handle.borrow(verdict, as: DNAHandle.self).map { UnsafePointer($0.summary) }
}

@c(xmppdna_dna_attempt_count)
public func xmppdnaDNAAttemptCount(_ verdict: UnsafeRawPointer?) -> UInt {
    UInt(Handle.borrow(verdict, as: DNAHandle.self)?.verdict.attempts.count ?? 0)
}

@c(xmppdna_dna_attempt)
public func xmppdnaDNAAttempt(_ verdict: UnsafeRawPointer?, _ position: UInt, _ prooftype: UnsafeMutablePointer<Int32>?,
                              _ outcome: UnsafeMutablePointer<Int32>?,
                              _ reason: UnsafeMutablePointer<UnsafePointer<CChar>?>?) -> Int32 {
    guard let handle = Handle.borrow(verdict, as: DNAHandle.self) else { return ResultCode.misuse }
    guard position < handle.verdict.attempts.count else { return ResultCode.range }
    let index = Int(position)
    let attempt = handle.verdict.attempts[index]
    prooftype?.pointee = attempt.prooftype.code
    switch attempt.outcome {
    case .accepted: outcome?.pointee = XMPPDNA_ATTEMPT_ACCEPTED
    case .rejected: outcome?.pointee = XMPPDNA_ATTEMPT_REJECTED
    case .notApplicable: outcome?.pointee = XMPPDNA_ATTEMPT_NOT_APPLICABLE
    case .notTried: outcome?.pointee = XMPPDNA_ATTEMPT_NOT_TRIED
    }
    reason?.pointee = UnsafePointer(handle.reasons[index])
    return ResultCode.ok
}

@c(xmppdna_dna_pki)
public func xmppdnaDNAPKI(_ verdict: UnsafeRawPointer?) -> UnsafeRawPointer? {
    guard let handle = Handle.borrow(verdict, as: DNAHandle.self) else { return nil }
    // Borrowed: the DNA handle keeps it alive; the caller never frees it.
    return UnsafeRawPointer(Unmanaged<Handle>.passUnretained(handle.pki).toOpaque())
}

@c(xmppdna_dna_dialback_strength)
public func xmppdnaDNADialbackStrength(_ verdict: UnsafeRawPointer?) -> Int32 {
    guard let handle = Handle.borrow(verdict, as: DNAHandle.self) else { return ResultCode.misuse }
    switch handle.verdict.dialbackStrength {
    case .strong: return XMPPDNA_DIALBACK_STRONG
    case .weak: return XMPPDNA_DIALBACK_WEAK
    case nil: return 0
    }
}

@c(xmppdna_dna_evidence_count)
public func xmppdnaDNAEvidenceCount(_ verdict: UnsafeRawPointer?) -> UInt {
    UInt(Handle.borrow(verdict, as: DNAHandle.self)?.verdict.evidence.count ?? 0)
}

@c(xmppdna_dna_evidence)
public func xmppdnaDNAEvidence(_ verdict: UnsafeRawPointer?, _ position: UInt,
                               _ what: UnsafeMutablePointer<UnsafePointer<CChar>?>?,
                               _ status: UnsafeMutablePointer<Int32>?) -> Int32 {
    guard let handle = Handle.borrow(verdict, as: DNAHandle.self) else { return ResultCode.misuse }
    guard position < handle.verdict.evidence.count else { return ResultCode.range }
    let index = Int(position)
    what?.pointee = UnsafePointer(handle.evidence[index])
    status?.pointee = handle.verdict.evidence[index].status?.code ?? -1
    return ResultCode.ok
}

@c(xmppdna_dna_json)
public func xmppdnaDNAJSON(_ verdict: UnsafeRawPointer?, _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    guard let out else { return ResultCode.misuse }
    out.pointee = nil
    guard let handle = Handle.borrow(verdict, as: DNAHandle.self) else { return ResultCode.misuse }
    guard let copy = mallocCopy(handle.verdict.json) else { return ResultCode.noMemory }
    out.pointee = copy
    return ResultCode.ok
}
