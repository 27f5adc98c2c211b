import CXMPPDNA
import XMPPDNA
import XMPPDNACore

/// A verdict plus the C strings it lends. The strings are made on first
/// access, under a lock, not with the verdict: a server that reads only
/// `accepted` pays for no copies, and concurrent readers still see one
/// consistent set.
final class VerdictHandle: Handle, @unchecked Sendable {
    let verdict: PKIVerdict

    struct Lent {
        let presented: IdsetHandle
        let pool: CStringPool
        let reasons: [UnsafeMutablePointer<CChar>]
        let matchValues: [(reference: UnsafeMutablePointer<CChar>, presented: UnsafeMutablePointer<CChar>)]
        let chainText: UnsafeMutablePointer<CChar>?

        init(_ verdict: PKIVerdict) throws(ABIError) {
            let pool = CStringPool()
            self.pool = pool
            presented = try IdsetHandle(verdict.presented, lent: true)
            reasons = try verdict.reasons.map { text throws(ABIError) in try pool.lend(text) }
            matchValues = try verdict.matches.map { match throws(ABIError) in
                (try pool.lend(match.reference.value), try pool.lend(match.presented.display))
            }
            if case .invalid(_, _, let text) = verdict.chain {
                chainText = try pool.lend(text)
            } else {
                chainText = nil
            }
        }
    }

    private let lentOnce = MadeOnce<Lent>()

    func lent() throws(ABIError) -> Lent {
        try lentOnce.get { () throws(ABIError) in try Lent(verdict) }
    }

    init(_ verdict: PKIVerdict, lent: Bool = false) {
        self.verdict = verdict
        super.init(lent: lent)
    }
}

@c(xmppdna_verdict_free)
public func xmppdnaVerdictFree(_ verdict: OpaquePointer?) {
    Handle.release(verdict, as: VerdictHandle.self)
}

@c(xmppdna_verdict_accepted)
public func xmppdnaVerdictAccepted(_ verdict: UnsafeRawPointer?) -> Int32 {
    guard let handle = Handle.borrow(verdict, as: VerdictHandle.self) else { return ResultCode.misuse }
    return handle.verdict.accepted ? 1 : 0
}

@c(xmppdna_verdict_chain_status)
public func xmppdnaVerdictChainStatus(_ verdict: UnsafeRawPointer?) -> Int32 {
    guard let handle = Handle.borrow(verdict, as: VerdictHandle.self) else { return ResultCode.misuse }
    switch handle.verdict.chain {
    case .notChecked: return XMPPDNA_CHAIN_NOT_CHECKED
    case .valid: return XMPPDNA_CHAIN_VALID
    case .invalid: return XMPPDNA_CHAIN_INVALID
    }
}

@c(xmppdna_verdict_chain_error)
public func xmppdnaVerdictChainError(_ verdict: UnsafeRawPointer?, _ code: UnsafeMutablePointer<Int32>?,
                                     _ depth: UnsafeMutablePointer<Int32>?,
                                     _ text: UnsafeMutablePointer<UnsafePointer<CChar>?>?) -> Int32 {
    guard let handle = Handle.borrow(verdict, as: VerdictHandle.self) else { return ResultCode.misuse }
    guard let lent = try? handle.lent() else { return ResultCode.noMemory }
    if case .invalid(let errorCode, let errorDepth, _) = handle.verdict.chain {
        code?.pointee = errorCode
        depth?.pointee = errorDepth
    } else {
        code?.pointee = 0
        depth?.pointee = 0
    }
    text?.pointee = lent.chainText.map { UnsafePointer($0) }
    return ResultCode.ok
}

@c(xmppdna_verdict_match_count)
public func xmppdnaVerdictMatchCount(_ verdict: UnsafeRawPointer?) -> UInt {
    UInt(Handle.borrow(verdict, as: VerdictHandle.self)?.verdict.matches.count ?? 0)
}

@c(xmppdna_verdict_match)
public func xmppdnaVerdictMatch(_ verdict: UnsafeRawPointer?, _ index: UInt,
                                _ refType: UnsafeMutablePointer<Int32>?,
                                _ refValue: UnsafeMutablePointer<UnsafePointer<CChar>?>?,
                                _ presentedType: UnsafeMutablePointer<Int32>?,
                                _ presentedValue: UnsafeMutablePointer<UnsafePointer<CChar>?>?) -> Int32 {
    guard let handle = Handle.borrow(verdict, as: VerdictHandle.self) else { return ResultCode.misuse }
    guard index < handle.verdict.matches.count else { return ResultCode.range }
    guard let lent = try? handle.lent() else { return ResultCode.noMemory }
    let match = handle.verdict.matches[Int(index)]
    let values = lent.matchValues[Int(index)]
    refType?.pointee = match.reference.type.rawValue
    refValue?.pointee = UnsafePointer(values.reference)
    presentedType?.pointee = match.presented.type.rawValue
    presentedValue?.pointee = UnsafePointer(values.presented)
    return ResultCode.ok
}

@c(xmppdna_verdict_reason_count)
public func xmppdnaVerdictReasonCount(_ verdict: UnsafeRawPointer?) -> UInt {
    UInt(Handle.borrow(verdict, as: VerdictHandle.self)?.verdict.reasons.count ?? 0)
}

@c(xmppdna_verdict_reason)
public func xmppdnaVerdictReason(_ verdict: UnsafeRawPointer?, _ index: UInt) -> UnsafePointer<CChar>? {
    guard let handle = Handle.borrow(verdict, as: VerdictHandle.self), index < handle.verdict.reasons.count,
          let lent = try? handle.lent() else { return nil }
    return UnsafePointer(lent.reasons[Int(index)])
}

@c(xmppdna_verdict_presented)
public func xmppdnaVerdictPresented(_ verdict: UnsafeRawPointer?) -> UnsafeRawPointer? {
    guard let handle = Handle.borrow(verdict, as: VerdictHandle.self), let lent = try? handle.lent() else { return nil }
    // Borrowed: the verdict keeps the set alive.
    return UnsafeRawPointer(Unmanaged.passUnretained(lent.presented as Handle).toOpaque())
}

@c(xmppdna_verdict_json)
public func xmppdnaVerdictJSON(_ verdict: UnsafeRawPointer?, _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    guard let out else { return ResultCode.misuse }
    out.pointee = nil
    guard let handle = Handle.borrow(verdict, as: VerdictHandle.self) else { return ResultCode.misuse }
    guard let copy = mallocCopy(handle.verdict.json) else { return ResultCode.noMemory }
    out.pointee = copy
    return ResultCode.ok
}
