import CXMPPDNA
import XMPPDNA
import XMPPDNACore
import XMPPDNAOpenSSL
import XMPPDNAIO

@c(xmppdna_verify)
public func xmppdnaVerify(_ ctx: OpaquePointer?, _ chain: UnsafeRawPointer?, _ request: UnsafeRawPointer?,
                          _ out: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    guard let out else { return ResultCode.misuse }
    out.pointee = nil
    guard let context = Handle.borrow(ctx, as: ContextHandle.self),
          let handle = Handle.borrow(request, as: RequestHandle.self) else { return ResultCode.misuse }
    let certificates: [Certificate]
    switch chainCertificates(chain) {
    case .success(let chain): certificates = chain
    case .failure(let error): return error.code
    }
    let question = handle.question
    if let names = context.context.checkNames(question, chain: certificates) {
        store(VerdictHandle(names), to: out)
        return ResultCode.ok
    }
    let (code, verdict) = question.noLookups ? answerNow(context, certificates, question)
        : blockingWait { await answer(context, certificates, question) }
    store(verdict.map(VerdictHandle.init), to: out)
    return code
}

/// The certificates of a chain argument: none for NULL (a peer without a
/// certificate), XMPPDNA_EMISUSE for another kind of handle.
func chainCertificates(_ chain: UnsafeRawPointer?) -> Result<[Certificate], ABIError> {
    guard let chain else { return .success([]) }
    guard let handle = Handle.borrow(chain, as: ChainHandle.self) else { return .failure(ABIError(ResultCode.misuse)) }
    return .success(handle.certificates)
}

/// The verdict for a question, with the lookups it needs; used by the
/// blocking call and by the async workers alike.
func answer(_ context: ContextHandle, _ certificates: [Certificate], _ question: DNAQuestion) async -> (Int32, DNAVerdict?) {
    do {
        return (ResultCode.ok, try await context.context.verify(question, chain: certificates))
    } catch {
        return (ResultCode.of(error), nil)
    }
}

/// The verdict for a question that looks nothing up, on this thread.
func answerNow(_ context: ContextHandle, _ certificates: [Certificate], _ question: DNAQuestion) -> (Int32, DNAVerdict?) {
    do {
        return (ResultCode.ok, try context.context.verifyNow(question, chain: certificates))
    } catch {
        return (ResultCode.of(error), nil)
    }
}
