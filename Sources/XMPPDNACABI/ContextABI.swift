import CXMPPDNA
import XMPPDNA
import XMPPDNACore
import XMPPDNAOpenSSL
import XMPPDNAResolver
import XMPPDNANet

/// The C handle of an `XMPPDNAContext`, plus the C callbacks of queries
/// not yet processed.
final class ContextHandle: Handle, @unchecked Sendable {
    let context: XMPPDNAContext
    let async: AsyncState

    init(_ context: XMPPDNAContext) {
        self.context = context
        async = AsyncState(context.queries)
        super.init()
    }

    var verifier: PKIVerifier { context.pki }
    var resolver: ResolverSettings { context.resolver }
    var posh: POSHSettings { context.posh }
}

private let knownFlags = UInt32(XMPPDNA_FLAG_CN_FALLBACK)

@c(xmppdna_ctx_new)
public func xmppdnaCtxNew(_ out: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    guard let out else { return ResultCode.misuse }
    out.pointee = nil
    guard let context = try? XMPPDNAContext() else { return ResultCode.noMemory }
    store(ContextHandle(context), to: out)
    return ResultCode.ok
}

@c(xmppdna_ctx_free)
public func xmppdnaCtxFree(_ ctx: OpaquePointer?) {
    // Pending queries are dropped and the workers joined before the context goes.
    Handle.borrow(ctx, as: ContextHandle.self)?.async.shutdown()
    Handle.release(ctx, as: ContextHandle.self)
}

@c(xmppdna_ctx_set_ca)
public func xmppdnaCtxSetCA(_ ctx: OpaquePointer?, _ file: UnsafePointer<CChar>?, _ directory: UnsafePointer<CChar>?) -> Int32 {
    guard let context = Handle.borrow(ctx, as: ContextHandle.self) else { return ResultCode.misuse }
    var paths: [String?] = []
    for path in [file, directory] {
        guard let path else { paths.append(nil); continue }
        guard let text = CStrings.text(fromUTF8: bytes(ofCString: path)) else { return ResultCode.encoding }
        paths.append(text)
    }
    do {
        try context.verifier.updateTrust { trust in
            trust.caFile = paths[0]
            trust.caDirectory = paths[1]
        }
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
    context.verifier.update { $0.commonNameFallback = flags & UInt32(XMPPDNA_FLAG_CN_FALLBACK) != 0 }
    return ResultCode.ok
}

private func server(_ text: UnsafePointer<CChar>?) -> Result<DNSServerAddress, ABIError> {
    guard let text else { return .failure(ABIError(ResultCode.misuse)) }
    guard let string = CStrings.text(fromUTF8: bytes(ofCString: text)) else { return .failure(ABIError(ResultCode.encoding)) }
    do {
        return .success(try DNSServerAddress(string))
    } catch {
        return .failure(ABIError(ResultCode.of(error)))
    }
}

@c(xmppdna_ctx_add_server)
public func xmppdnaCtxAddServer(_ ctx: OpaquePointer?, _ address: UnsafePointer<CChar>?, _ flags: UInt32) -> Int32 {
    guard let context = Handle.borrow(ctx, as: ContextHandle.self) else { return ResultCode.misuse }
    guard flags & ~UInt32(XMPPDNA_SERVER_TRUST_AD) == 0 else { return ResultCode.invalid }
    switch server(address) {
    case .success(let parsed):
        context.resolver.addServer(parsed)
        if flags & UInt32(XMPPDNA_SERVER_TRUST_AD) != 0 { context.resolver.addTrustedResolver(parsed) }
        return ResultCode.ok
    case .failure(let error):
        return error.code
    }
}

@c(xmppdna_ctx_clear_servers)
public func xmppdnaCtxClearServers(_ ctx: OpaquePointer?) -> Int32 {
    guard let context = Handle.borrow(ctx, as: ContextHandle.self) else { return ResultCode.misuse }
    context.resolver.clearServers()
    return ResultCode.ok
}

@c(xmppdna_ctx_set_trust_mode)
public func xmppdnaCtxSetTrustMode(_ ctx: OpaquePointer?, _ mode: Int32) -> Int32 {
    guard let context = Handle.borrow(ctx, as: ContextHandle.self) else { return ResultCode.misuse }
    switch mode {
    case XMPPDNA_TRUST_VALIDATE: context.resolver.setTrustMode(.validate)
    case XMPPDNA_TRUST_AD: context.resolver.setTrustMode(.trustAD)
    default: return ResultCode.invalid
    }
    return ResultCode.ok
}

@c(xmppdna_ctx_set_anchor_file)
public func xmppdnaCtxSetAnchorFile(_ ctx: OpaquePointer?, _ path: UnsafePointer<CChar>?) -> Int32 {
    guard let context = Handle.borrow(ctx, as: ContextHandle.self) else { return ResultCode.misuse }
    var file: String?
    if let path {
        guard let text = CStrings.text(fromUTF8: bytes(ofCString: path)) else { return ResultCode.encoding }
        file = text
    }
    do {
        try context.resolver.setAnchorFile(file)
        return ResultCode.ok
    } catch {
        return ResultCode.trust
    }
}

@c(xmppdna_ctx_set_dns_timeout)
public func xmppdnaCtxSetDNSTimeout(_ ctx: OpaquePointer?, _ milliseconds: Int32, _ retries: Int32,
                                    _ lookupDeadline: Int32) -> Int32 {
    guard let context = Handle.borrow(ctx, as: ContextHandle.self) else { return ResultCode.misuse }
    guard (1...60_000).contains(milliseconds), (0...10).contains(retries), (100...600_000).contains(lookupDeadline) else {
        return ResultCode.invalid
    }
    context.resolver.setTimeout(milliseconds: Int(milliseconds), retries: Int(retries))
    context.resolver.setLookupDeadline(milliseconds: Int(lookupDeadline))
    return ResultCode.ok
}

@c(xmppdna_ctx_set_cache_ttl)
public func xmppdnaCtxSetCacheTTL(_ ctx: OpaquePointer?, _ minimum: UInt32, _ maximum: UInt32) -> Int32 {
    guard let context = Handle.borrow(ctx, as: ContextHandle.self) else { return ResultCode.misuse }
    guard minimum <= maximum else { return ResultCode.invalid }
    context.resolver.cache.setTTLBounds(minimum: minimum, maximum: maximum)
    return ResultCode.ok
}

@c(xmppdna_ctx_flush_cache)
public func xmppdnaCtxFlushCache(_ ctx: OpaquePointer?) -> Int32 {
    guard let context = Handle.borrow(ctx, as: ContextHandle.self) else { return ResultCode.misuse }
    context.context.flushCaches()
    return ResultCode.ok
}

@c(xmppdna_ctx_set_posh)
public func xmppdnaCtxSetPOSH(_ ctx: OpaquePointer?, _ urlBase: UnsafePointer<CChar>?, _ timeoutMilliseconds: Int32) -> Int32 {
    guard let context = Handle.borrow(ctx, as: ContextHandle.self) else { return ResultCode.misuse }
    guard (1...60_000).contains(timeoutMilliseconds) else { return ResultCode.invalid }
    var base: POSHURL?
    if let urlBase {
        guard let text = CStrings.text(fromUTF8: bytes(ofCString: urlBase)) else { return ResultCode.encoding }
        guard let url = try? POSHURL(text), url.target == "/" else { return ResultCode.badName }
        base = url
    }
    context.posh.set(urlBase: base, timeoutMilliseconds: Int(timeoutMilliseconds))
    return ResultCode.ok
}

@c(xmppdna_ctx_set_limits)
public func xmppdnaCtxSetLimits(_ ctx: OpaquePointer?, _ dnsInFlight: Int32, _ dnsPerZone: Int32,
                                _ poshInFlight: Int32, _ poshPerZone: Int32) -> Int32 {
    guard let context = Handle.borrow(ctx, as: ContextHandle.self) else { return ResultCode.misuse }
    guard (1...65_536).contains(dnsInFlight), (1...dnsInFlight).contains(dnsPerZone),
          (1...4_096).contains(poshInFlight), (1...poshInFlight).contains(poshPerZone) else { return ResultCode.invalid }
    var dns = context.resolver.limits.settings, posh = context.posh.limits.settings
    (dns.maxOutstanding, dns.maxPerZone) = (Int(dnsInFlight), Int(dnsPerZone))
    (posh.maxOutstanding, posh.maxPerZone) = (Int(poshInFlight), Int(poshPerZone))
    context.resolver.limits.update(dns)
    context.posh.limits.update(posh)
    return ResultCode.ok
}

@c(xmppdna_ctx_set_cache_limits)
public func xmppdnaCtxSetCacheLimits(_ ctx: OpaquePointer?, _ dnsEntries: Int32, _ poshDocuments: Int32,
                                     _ verifiedChains: Int32) -> Int32 {
    guard let context = Handle.borrow(ctx, as: ContextHandle.self) else { return ResultCode.misuse }
    guard (1...1_000_000).contains(dnsEntries), (1...100_000).contains(poshDocuments),
          (1...1_000_000).contains(verifiedChains) else { return ResultCode.invalid }
    context.resolver.cache.setLimit(Int(dnsEntries))
    context.posh.cache.setLimit(Int(poshDocuments))
    context.verifier.setVerifiedChainLimit(Int(verifiedChains))
    return ResultCode.ok
}

@c(xmppdna_set_certificate_cache_limit)
public func xmppdnaSetCertificateCacheLimit(_ certificates: Int32) -> Int32 {
    guard (1...1_000_000).contains(certificates) else { return ResultCode.invalid }
    CertificateCache.shared.setCapacity(Int(certificates))
    return ResultCode.ok
}
