import CXMPPDNA
import XMPPDNA
import XMPPDNACore

@c(xmppdna_verify_pki)
public func xmppdnaVerifyPKI(_ ctx: OpaquePointer?, _ chain: UnsafeRawPointer?, _ refs: UnsafeRawPointer?,
                             _ direction: Int32, _ out: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    guard let out else { return ResultCode.misuse }
    out.pointee = nil
    guard let context = Handle.borrow(ctx, as: ContextHandle.self),
          let chain = Handle.borrow(chain, as: ChainHandle.self), !chain.certificates.isEmpty,
          let refs = Handle.borrow(refs, as: RefsHandle.self) else { return ResultCode.misuse }
    guard let direction = PeerDirection(rawValue: direction) else { return ResultCode.invalid }
    do {
        let verdict = try context.context.verifyPKI(chain: chain.certificates, references: refs.references, direction: direction)
        store(VerdictHandle(verdict), to: out)
        return ResultCode.ok
    } catch {
        return ResultCode.of(error)
    }
}

@c(xmppdna_match)
public func xmppdnaMatch(_ ctx: OpaquePointer?, _ ids: UnsafeRawPointer?, _ refs: UnsafeRawPointer?,
                         _ out: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    guard let out else { return ResultCode.misuse }
    out.pointee = nil
    guard let context = Handle.borrow(ctx, as: ContextHandle.self),
          let ids = Handle.borrow(ids, as: IdsetHandle.self),
          let refs = Handle.borrow(refs, as: RefsHandle.self) else { return ResultCode.misuse }
    let verdict = context.verifier.match(presented: ids.identifiers, references: refs.references)
    store(VerdictHandle(verdict), to: out)
    return ResultCode.ok
}
