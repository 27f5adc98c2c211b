import CXMPPDNA
import XMPPDNA
import XMPPDNACore
import XMPPDNAOpenSSL

final class ChainHandle: Handle, @unchecked Sendable {
    private(set) var certificates: [Certificate] = []

    func append(_ more: [Certificate]) { certificates += more }
}

/// Certificates larger than this are refused unread; real chains are a few KiB.
private let maxCertificateInput: UInt = 16 << 20

@c(xmppdna_chain_new)
public func xmppdnaChainNew(_ out: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    guard let out else { return ResultCode.misuse }
    store(ChainHandle(), to: out)
    return ResultCode.ok
}

@c(xmppdna_chain_free)
public func xmppdnaChainFree(_ chain: OpaquePointer?) {
    Handle.release(chain, as: ChainHandle.self)
}

@c(xmppdna_chain_add_der)
public func xmppdnaChainAddDER(_ chain: OpaquePointer?, _ der: UnsafeRawPointer?, _ length: UInt) -> Int32 {
    guard let handle = Handle.borrow(chain, as: ChainHandle.self), let der else { return ResultCode.misuse }
    guard length > 0, length <= maxCertificateInput else { return ResultCode.badCertificate }
    do {
        let bytes = Array(UnsafeRawBufferPointer(start: der, count: Int(length)))
        handle.append([try CertificateCache.shared.certificate(der: bytes)])
        return ResultCode.ok
    } catch {
        return ResultCode.badCertificate
    }
}

@c(xmppdna_chain_add_pem)
public func xmppdnaChainAddPEM(_ chain: OpaquePointer?, _ pem: UnsafePointer<CChar>?, _ length: UInt) -> Int32 {
    guard let handle = Handle.borrow(chain, as: ChainHandle.self), let pem else { return ResultCode.misuse }
    guard length > 0, length <= maxCertificateInput else { return ResultCode.badCertificate }
    do {
        let bytes = Array(UnsafeRawBufferPointer(start: UnsafeRawPointer(pem), count: Int(length)))
        handle.append(try Certificate.parsePEMBundle(bytes, cache: CertificateCache.shared))
        return ResultCode.ok
    } catch {
        return ResultCode.badCertificate
    }
}

@c(xmppdna_chain_count)
public func xmppdnaChainCount(_ chain: UnsafeRawPointer?) -> UInt {
    UInt(Handle.borrow(chain, as: ChainHandle.self)?.certificates.count ?? 0)
}
