import CXMPPDNA
import XMPPDNA
import XMPPDNACore
import XMPPDNAOpenSSL
import XMPPDNAResolver
import XMPPDNAIO

@c(xmppdna_verify_dna)
public func xmppdnaVerifyDNA(_ ctx: OpaquePointer?, _ chain: UnsafeRawPointer?, _ request: UnsafeRawPointer?,
                             _ out: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    guard let out else { return ResultCode.misuse }
    out.pointee = nil
    guard let context = Handle.borrow(ctx, as: ContextHandle.self),
          let chain = Handle.borrow(chain, as: ChainHandle.self), !chain.certificates.isEmpty,
          let handle = Handle.borrow(request, as: DNARequestHandle.self) else { return ResultCode.misuse }
    let certificates = chain.certificates, question = handle.question
    let (code, verdict) = dnaHandle(blockingWait { await answerDNA(context, certificates, question) })
    store(verdict, to: out)
    return code
}

/// The C handle for an answer; out of memory becomes XMPPDNA_ENOMEM.
func dnaHandle(_ answer: (Int32, DNAVerdict?)) -> (Int32, DNAHandle?) {
    guard let verdict = answer.1 else { return (answer.0, nil) }
    do {
        return (answer.0, try DNAHandle(verdict))
    } catch {
        return (error.code, nil)
    }
}

/// The verdict for a question, with the lookups it needs; used by the
/// blocking call and by the async workers alike.
func answerDNA(_ context: ContextHandle, _ certificates: [Certificate], _ question: DNAQuestion) async -> (Int32, DNAVerdict?) {
    do {
        return (ResultCode.ok, try await context.context.verify(question, chain: certificates))
    } catch {
        return (ResultCode.of(error), nil)
    }
}
