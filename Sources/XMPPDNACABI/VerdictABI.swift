import CXMPPDNA
import XMPPDNA
import XMPPDNACore

/// A verdict plus the C strings it lends. The strings are made on first
/// access, under a lock, not with the verdict: a server that reads only
/// `accepted` pays for no copies, and concurrent readers still see one
/// consistent set.
final class VerdictHandle: Handle, @unchecked Sendable {
    /// A names-only check keeps its PKI verdict and makes the DNA verdict
    /// (the same acceptance, with attempts and findings) when first read.
    private let nameCheck: NameCheck?
    /// What is made on first use, under the handle's stripe of StripedLock
    /// (no lock of its own to allocate: a server makes a handle per connection).
    private struct Made {
        var verdict: DNAVerdict?
        var lent: Lent?
    }
    private var made: Made

    var verdict: DNAVerdict { StripedLock.withLock(for: self) { Self.verdict(&made, nameCheck) } }

    private static func verdict(_ made: inout Made, _ nameCheck: NameCheck?) -> DNAVerdict {
        if let verdict = made.verdict { return verdict }
        // Only a names-only handle starts without its verdict.
        let verdict = nameCheck!.verdict()
        made.verdict = verdict
        return verdict
    }

    var accepted: Bool { nameCheck?.pki.accepted ?? verdict.accepted }
    var prooftype: Prooftype? { nameCheck.map { $0.pki.accepted ? .pki : nil } ?? verdict.prooftype }

    var findingCount: Int { verdict.attempts.reduce(0) { $0 + $1.findings.count } }

    struct Lent {
        let pool = CStringPool()
        let summary: UnsafeMutablePointer<CChar>
        let reasons: [UnsafeMutablePointer<CChar>]
        let findings: [LentFinding]
        let chainText: UnsafeMutablePointer<CChar>?
        let matchValues: [(reference: UnsafeMutablePointer<CChar>, presented: UnsafeMutablePointer<CChar>)]
        let presented: [(value: UnsafeMutablePointer<CChar>, problem: UnsafeMutablePointer<CChar>?)]
        let evidence: [UnsafeMutablePointer<CChar>]

        init(_ verdict: DNAVerdict) throws(ABIError) {
            let pool = self.pool
            func lend(_ text: String?) throws(ABIError) -> UnsafeMutablePointer<CChar>? {
                try text.map { text throws(ABIError) in try pool.lend(text) }
            }
            summary = try pool.lend(verdict.summary)
            reasons = try verdict.attempts.map { attempt throws(ABIError) in try pool.lend(attempt.reason) }
            // Every attempt's findings in attempt order, each with its attempt's outcome.
            findings = try verdict.attempts.flatMap { attempt in attempt.findings.map { ($0, attempt.outcome) } }
                .map { finding, outcome throws(ABIError) in
                    LentFinding(finding: finding, outcome: outcome, subject: try lend(finding.subject),
                                expected: try lend(finding.expected), seen: try lend(finding.seen),
                                detail: try lend(finding.detail), text: try pool.lend(finding.text))
                }
            if case .invalid(_, _, let text) = verdict.pki.chain { chainText = try pool.lend(text) } else { chainText = nil }
            matchValues = try verdict.pki.matches.map { match throws(ABIError) in
                (try pool.lend(match.reference.value), try pool.lend(match.presented.display))
            }
            presented = try verdict.pki.presented.map { identifier throws(ABIError) in
                (try pool.lend(identifier.display), try lend(identifier.problem?.description))
            }
            evidence = try verdict.evidence.map { item throws(ABIError) in try pool.lend(item.what) }
        }
    }

    struct LentFinding {
        let finding: DNAFinding
        let outcome: DNAAttempt.Outcome
        let subject, expected, seen, detail: UnsafeMutablePointer<CChar>?
        let text: UnsafeMutablePointer<CChar>
    }

    /// The strings, made once; out of memory leaves nothing made, for a
    /// later call to try again.
    func lent() throws(ABIError) -> Lent {
        try StripedLock.withLock(for: self) { () throws(ABIError) in
            if let lent = made.lent { return lent }
            let lent = try Lent(Self.verdict(&made, nameCheck))
            made.lent = lent
            return lent
        }
    }

    init(_ verdict: DNAVerdict) {
        nameCheck = nil
        made = Made(verdict: verdict)
        super.init()
    }

    init(_ nameCheck: NameCheck) {
        self.nameCheck = nameCheck
        made = Made()
        super.init()
    }
}

@c(xmppdna_verdict_free)
public func xmppdnaVerdictFree(_ verdict: OpaquePointer?) {
    Handle.release(verdict, as: VerdictHandle.self)
}

@c(xmppdna_verdict_accepted)
public func xmppdnaVerdictAccepted(_ verdict: UnsafeRawPointer?) -> Int32 {
    guard let handle = Handle.borrow(verdict, as: VerdictHandle.self) else { return ResultCode.misuse }
    return handle.accepted ? 1 : 0
}

@c(xmppdna_verdict_prooftype)
public func xmppdnaVerdictProoftype(_ verdict: UnsafeRawPointer?) -> Int32 {
    guard let handle = Handle.borrow(verdict, as: VerdictHandle.self) else { return ResultCode.misuse }
    return handle.prooftype?.code ?? 0
}

@c(xmppdna_verdict_summary)
public func xmppdnaVerdictSummary(_ verdict: UnsafeRawPointer?) -> UnsafePointer<CChar>? {
    guard let handle = Handle.borrow(verdict, as: VerdictHandle.self), let lent = try? handle.lent() else { return nil }
    return UnsafePointer(lent.summary)
}

@c(xmppdna_verdict_attempt_count)
public func xmppdnaVerdictAttemptCount(_ verdict: UnsafeRawPointer?) -> UInt {
    UInt(Handle.borrow(verdict, as: VerdictHandle.self)?.verdict.attempts.count ?? 0)
}

@c(xmppdna_verdict_attempt_get)
public func xmppdnaVerdictAttemptGet(_ verdict: UnsafeRawPointer?, _ position: UInt, _ prooftype: UnsafeMutablePointer<Int32>?,
                                     _ outcome: UnsafeMutablePointer<Int32>?,
                                     _ reason: UnsafeMutablePointer<UnsafePointer<CChar>?>?) -> Int32 {
    guard let handle = Handle.borrow(verdict, as: VerdictHandle.self) else { return ResultCode.misuse }
    guard position < handle.verdict.attempts.count else { return ResultCode.range }
    let index = Int(position)
    let attempt = handle.verdict.attempts[index]
    if let reason {
        guard let lent = try? handle.lent() else { return ResultCode.noMemory }
        reason.pointee = UnsafePointer(lent.reasons[index])
    }
    prooftype?.pointee = attempt.prooftype.code
    outcome?.pointee = attempt.outcome.code
    return ResultCode.ok
}

@c(xmppdna_verdict_finding_count)
public func xmppdnaVerdictFindingCount(_ verdict: UnsafeRawPointer?) -> UInt {
    UInt(Handle.borrow(verdict, as: VerdictHandle.self)?.findingCount ?? 0)
}

@c(xmppdna_verdict_finding_get)
public func xmppdnaVerdictFindingGet(_ verdict: UnsafeRawPointer?, _ position: UInt,
                                     _ out: UnsafeMutablePointer<xmppdna_finding>?) -> Int32 {
    guard let handle = Handle.borrow(verdict, as: VerdictHandle.self), let out else { return ResultCode.misuse }
    guard position < handle.findingCount else { return ResultCode.range }
    guard let lent = try? handle.lent() else { return ResultCode.noMemory }
    let strings = lent.findings[Int(position)], finding = strings.finding
    out.pointee = xmppdna_finding(
        code: finding.code.rawValue, prooftype: finding.prooftype.code, outcome: strings.outcome.code,
        dnssec: finding.dnssec?.code ?? XMPPDNA_DNSSEC_NONE, extended_error: Int32(finding.extendedErrorCode),
        openssl_code: finding.opensslCode, depth: Int32(clamping: finding.depth),
        subject: strings.subject.map { UnsafePointer($0) }, expected: strings.expected.map { UnsafePointer($0) },
        seen: strings.seen.map { UnsafePointer($0) }, detail: strings.detail.map { UnsafePointer($0) },
        text: UnsafePointer(strings.text))
    return ResultCode.ok
}

@c(xmppdna_verdict_chain)
public func xmppdnaVerdictChain(_ verdict: UnsafeRawPointer?, _ status: UnsafeMutablePointer<Int32>?,
                                _ code: UnsafeMutablePointer<Int32>?, _ depth: UnsafeMutablePointer<Int32>?,
                                _ text: UnsafeMutablePointer<UnsafePointer<CChar>?>?) -> Int32 {
    guard let handle = Handle.borrow(verdict, as: VerdictHandle.self) else { return ResultCode.misuse }
    if let text {
        guard let lent = try? handle.lent() else { return ResultCode.noMemory }
        text.pointee = lent.chainText.map { UnsafePointer($0) }
    }
    switch handle.verdict.pki.chain {
    case .notChecked: status?.pointee = XMPPDNA_CHAIN_NOT_CHECKED
    case .valid: status?.pointee = XMPPDNA_CHAIN_VALID
    case .invalid: status?.pointee = XMPPDNA_CHAIN_INVALID
    }
    if case .invalid(let errorCode, let errorDepth, _) = handle.verdict.pki.chain {
        code?.pointee = errorCode
        depth?.pointee = errorDepth
    } else {
        code?.pointee = 0
        depth?.pointee = 0
    }
    return ResultCode.ok
}

@c(xmppdna_verdict_match_count)
public func xmppdnaVerdictMatchCount(_ verdict: UnsafeRawPointer?) -> UInt {
    UInt(Handle.borrow(verdict, as: VerdictHandle.self)?.verdict.pki.matches.count ?? 0)
}

@c(xmppdna_verdict_match_get)
public func xmppdnaVerdictMatchGet(_ verdict: UnsafeRawPointer?, _ position: UInt,
                                   _ refType: UnsafeMutablePointer<Int32>?,
                                   _ refValue: UnsafeMutablePointer<UnsafePointer<CChar>?>?,
                                   _ presentedType: UnsafeMutablePointer<Int32>?,
                                   _ presentedValue: UnsafeMutablePointer<UnsafePointer<CChar>?>?) -> Int32 {
    guard let handle = Handle.borrow(verdict, as: VerdictHandle.self) else { return ResultCode.misuse }
    guard position < handle.verdict.pki.matches.count else { return ResultCode.range }
    guard let lent = try? handle.lent() else { return ResultCode.noMemory }
    let match = handle.verdict.pki.matches[Int(position)]
    let values = lent.matchValues[Int(position)]
    refType?.pointee = match.reference.type.rawValue
    refValue?.pointee = UnsafePointer(values.reference)
    presentedType?.pointee = match.presented.type.rawValue
    presentedValue?.pointee = UnsafePointer(values.presented)
    return ResultCode.ok
}

@c(xmppdna_verdict_presented_count)
public func xmppdnaVerdictPresentedCount(_ verdict: UnsafeRawPointer?) -> UInt {
    UInt(Handle.borrow(verdict, as: VerdictHandle.self)?.verdict.pki.presented.count ?? 0)
}

@c(xmppdna_verdict_presented_get)
public func xmppdnaVerdictPresentedGet(_ verdict: UnsafeRawPointer?, _ position: UInt, _ idType: UnsafeMutablePointer<Int32>?,
                                       _ value: UnsafeMutablePointer<UnsafePointer<CChar>?>?,
                                       _ usable: UnsafeMutablePointer<Int32>?,
                                       _ problem: UnsafeMutablePointer<UnsafePointer<CChar>?>?) -> Int32 {
    guard let handle = Handle.borrow(verdict, as: VerdictHandle.self) else { return ResultCode.misuse }
    guard position < handle.verdict.pki.presented.count else { return ResultCode.range }
    guard let lent = try? handle.lent() else { return ResultCode.noMemory }
    let identifier = handle.verdict.pki.presented[Int(position)]
    let strings = lent.presented[Int(position)]
    idType?.pointee = identifier.type.rawValue
    value?.pointee = UnsafePointer(strings.value)
    usable?.pointee = identifier.isUsable ? 1 : 0
    problem?.pointee = strings.problem.map { UnsafePointer($0) }
    return ResultCode.ok
}

@c(xmppdna_verdict_evidence_count)
public func xmppdnaVerdictEvidenceCount(_ verdict: UnsafeRawPointer?) -> UInt {
    UInt(Handle.borrow(verdict, as: VerdictHandle.self)?.verdict.evidence.count ?? 0)
}

@c(xmppdna_verdict_evidence_get)
public func xmppdnaVerdictEvidenceGet(_ verdict: UnsafeRawPointer?, _ position: UInt,
                                      _ what: UnsafeMutablePointer<UnsafePointer<CChar>?>?,
                                      _ status: UnsafeMutablePointer<Int32>?) -> Int32 {
    guard let handle = Handle.borrow(verdict, as: VerdictHandle.self) else { return ResultCode.misuse }
    guard position < handle.verdict.evidence.count else { return ResultCode.range }
    guard let lent = try? handle.lent() else { return ResultCode.noMemory }
    let index = Int(position)
    what?.pointee = UnsafePointer(lent.evidence[index])
    status?.pointee = handle.verdict.evidence[index].status?.code ?? XMPPDNA_DNSSEC_NONE
    return ResultCode.ok
}

@c(xmppdna_verdict_json)
public func xmppdnaVerdictJSON(_ verdict: UnsafeRawPointer?, _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    handOut(Handle.borrow(verdict, as: VerdictHandle.self)?.verdict.json, to: out)
}

extension DNAAttempt.Outcome {
    var code: Int32 {
        switch self {
        case .accepted: return XMPPDNA_ATTEMPT_ACCEPTED
        case .rejected: return XMPPDNA_ATTEMPT_REJECTED
        case .notApplicable: return XMPPDNA_ATTEMPT_NOT_APPLICABLE
        case .notTried: return XMPPDNA_ATTEMPT_NOT_TRIED
        }
    }
}
