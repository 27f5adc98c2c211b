import CXMPPDNA
import XMPPDNA

final class ContextHandle: Handle, @unchecked Sendable {
    let verifier = PKIVerifier()
}

private let knownFlags = UInt32(XMPPDNA_FLAG_CN_FALLBACK | XMPPDNA_FLAG_NO_PKIX)

@c(xmppdna_ctx_new)
public func xmppdnaCtxNew(_ out: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    guard let out else { return ResultCode.misuse }
    store(ContextHandle(), to: out)
    return ResultCode.ok
}

@c(xmppdna_ctx_free)
public func xmppdnaCtxFree(_ ctx: OpaquePointer?) {
    Handle.release(ctx, as: ContextHandle.self)
}

@c(xmppdna_ctx_set_ca_file)
public func xmppdnaCtxSetCAFile(_ ctx: OpaquePointer?, _ path: UnsafePointer<CChar>?) -> Int32 {
    setTrust(ctx, path) { $0.caFile = $1 }
}

@c(xmppdna_ctx_set_ca_dir)
public func xmppdnaCtxSetCADir(_ ctx: OpaquePointer?, _ path: UnsafePointer<CChar>?) -> Int32 {
    setTrust(ctx, path) { $0.caDirectory = $1 }
}

private func setTrust(_ ctx: OpaquePointer?, _ path: UnsafePointer<CChar>?,
                      _ change: (inout TrustSource, String?) -> Void) -> Int32 {
    guard let context = Handle.borrow(ctx, as: ContextHandle.self) else { return ResultCode.misuse }
    var newPath: String?
    if let path {
        guard let text = text(fromUTF8: bytes(ofCString: path)), !text.isEmpty else { return ResultCode.encoding }
        newPath = text
    }
    var source = context.verifier.configuration.trust
    change(&source, newPath)
    do {
        try context.verifier.setTrust(source)
        return ResultCode.ok
    } catch {
        return ResultCode.trust
    }
}

@c(xmppdna_ctx_set_time)
public func xmppdnaCtxSetTime(_ ctx: OpaquePointer?, _ unixTime: Int64) -> Int32 {
    guard let context = Handle.borrow(ctx, as: ContextHandle.self) else { return ResultCode.misuse }
    // XMPPDNA_TIME_NOW is INT64_MIN.
    context.verifier.update { $0.time = unixTime == Int64.min ? nil : unixTime }
    return ResultCode.ok
}

@c(xmppdna_ctx_set_flags)
public func xmppdnaCtxSetFlags(_ ctx: OpaquePointer?, _ flags: UInt32) -> Int32 {
    guard let context = Handle.borrow(ctx, as: ContextHandle.self) else { return ResultCode.misuse }
    guard flags & ~knownFlags == 0 else { return ResultCode.invalid }
    context.verifier.update {
        $0.commonNameFallback = flags & UInt32(XMPPDNA_FLAG_CN_FALLBACK) != 0
        $0.skipChain = flags & UInt32(XMPPDNA_FLAG_NO_PKIX) != 0
    }
    return ResultCode.ok
}

@c(xmppdna_ctx_flags)
public func xmppdnaCtxFlags(_ ctx: UnsafeRawPointer?) -> UInt32 {
    guard let context = Handle.borrow(ctx, as: ContextHandle.self) else { return 0 }
    let configuration = context.verifier.configuration
    return (configuration.commonNameFallback ? UInt32(XMPPDNA_FLAG_CN_FALLBACK) : 0)
        | (configuration.skipChain ? UInt32(XMPPDNA_FLAG_NO_PKIX) : 0)
}
