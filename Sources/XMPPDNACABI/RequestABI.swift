import CXMPPDNA
import XMPPDNA
import XMPPDNACore
import XMPPDNANet

final class RequestHandle: Handle, @unchecked Sendable {
    var question: DNAQuestion

    init(_ request: DNARequest) { question = DNAQuestion(request: request) }
}

private let knownRequestFlags = UInt32(XMPPDNA_REQUEST_REFUSE_WEAK_DIALBACK | XMPPDNA_REQUEST_NO_LOOKUPS | XMPPDNA_REQUEST_NAMES_ONLY)

/// No identifier type comes near this; anything longer is refused unread.
private let maxIdentifierLength: UInt = 65_536

@c(xmppdna_request_new)
public func xmppdnaRequestNew(_ domain: UnsafePointer<CChar>?, _ service: Int32, _ direction: Int32,
                              _ out: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    guard let out else { return ResultCode.misuse }
    out.pointee = nil
    guard let direction = PeerDirection(rawValue: direction) else { return ResultCode.invalid }
    switch domainAndService(domain, service) {
    case .success(let (name, service)):
        store(RequestHandle(DNARequest(direction: direction, domain: name, service: service)), to: out)
        return ResultCode.ok
    case .failure(let error):
        return error.code
    }
}

@c(xmppdna_request_free)
public func xmppdnaRequestFree(_ request: OpaquePointer?) {
    Handle.release(request, as: RequestHandle.self)
}

/// A host name argument, or the ABI code for why not.
private func hostName(_ host: UnsafePointer<CChar>) -> Result<DNSName, ABIError> {
    guard let text = CStrings.text(fromUTF8: bytes(ofCString: host)) else { return .failure(ABIError(ResultCode.encoding)) }
    do { return .success(try DNSName(text)) } catch { return .failure(ABIError(ResultCode.of(error))) }
}

@c(xmppdna_request_set_endpoint)
public func xmppdnaRequestSetEndpoint(_ request: OpaquePointer?, _ host: UnsafePointer<CChar>?, _ port: Int32) -> Int32 {
    guard let handle = Handle.borrow(request, as: RequestHandle.self), let host else { return ResultCode.misuse }
    guard (1...65535).contains(port) else { return ResultCode.invalid }
    switch hostName(host) {
    case .success(let name):
        handle.question.request.endpoint = (name, UInt16(port))
        return ResultCode.ok
    case .failure(let error):
        return error.code
    }
}

@c(xmppdna_request_set_prooftypes)
public func xmppdnaRequestSetProoftypes(_ request: OpaquePointer?, _ prooftypes: UnsafePointer<Int32>?, _ count: UInt) -> Int32 {
    guard let handle = Handle.borrow(request, as: RequestHandle.self), let prooftypes else { return ResultCode.misuse }
    guard count >= 1, count <= UInt(Prooftype.allCases.count) else { return ResultCode.invalid }
    var list: [Prooftype] = []
    for value in UnsafeBufferPointer(start: prooftypes, count: Int(count)) {
        guard let prooftype = Prooftype(code: value), !list.contains(prooftype) else { return ResultCode.invalid }
        list.append(prooftype)
    }
    handle.question.request.prooftypes = list
    return ResultCode.ok
}

@c(xmppdna_request_set_names)
public func xmppdnaRequestSetNames(_ request: OpaquePointer?, _ names: UnsafeRawPointer?) -> Int32 {
    guard let handle = Handle.borrow(request, as: RequestHandle.self),
          let names = Handle.borrow(names, as: NamesHandle.self) else { return ResultCode.misuse }
    guard names.list.domain == handle.question.request.domain, names.list.service.role == handle.question.request.service.role else {
        return ResultCode.invalid
    }
    handle.question.names = names.list
    return ResultCode.ok
}

@c(xmppdna_request_add_tlsa)
public func xmppdnaRequestAddTLSA(_ request: OpaquePointer?, _ host: UnsafePointer<CChar>?, _ port: Int32,
                                  _ rdata: UnsafePointer<CChar>?, _ status: Int32) -> Int32 {
    guard let handle = Handle.borrow(request, as: RequestHandle.self), let rdata else { return ResultCode.misuse }
    guard let status = DNSSECStatus(code: status, owner: "a supplied TLSA record") else { return ResultCode.invalid }
    let key: String
    if let host {
        guard (1...65535).contains(port) else { return ResultCode.invalid }
        switch hostName(host) {
        case .success(let name): key = "\(name.text):\(port)"
        case .failure(let error): return error.code
        }
    } else {
        guard port == 0 else { return ResultCode.invalid }
        key = "*"
    }
    guard let text = CStrings.text(fromUTF8: bytes(ofCString: rdata)) else { return ResultCode.encoding }
    do {
        handle.question.tlsa[key, default: []].append((try TLSARecord(presentation: text), status))
        return ResultCode.ok
    } catch {
        return ResultCode.of(error)
    }
}

@c(xmppdna_request_set_posh)
public func xmppdnaRequestSetPOSH(_ request: OpaquePointer?, _ json: UnsafePointer<CChar>?, _ length: UInt) -> Int32 {
    guard let handle = Handle.borrow(request, as: RequestHandle.self), let json else { return ResultCode.misuse }
    // The parser refuses anything over 64 KiB; reading more would be waste.
    let kept = Int(min(length, UInt(POSHFetcher.maxDocumentBytes + 1)))
    handle.question.poshDocument = Array(UnsafeRawBufferPointer(start: json, count: kept))
    return ResultCode.ok
}

@c(xmppdna_request_set_dialback)
public func xmppdnaRequestSetDialback(_ request: OpaquePointer?, _ result: Int32) -> Int32 {
    guard let handle = Handle.borrow(request, as: RequestHandle.self) else { return ResultCode.misuse }
    switch result {
    case XMPPDNA_DIALBACK_NONE: handle.question.dialback = nil
    case XMPPDNA_DIALBACK_VERIFIED: handle.question.dialback = .verified
    case XMPPDNA_DIALBACK_FAILED: handle.question.dialback = .failed
    default: return ResultCode.invalid
    }
    return ResultCode.ok
}

@c(xmppdna_request_add_ref)
public func xmppdnaRequestAddRef(_ request: OpaquePointer?, _ idType: Int32, _ value: UnsafePointer<CChar>?, _ length: UInt) -> Int32 {
    guard let handle = Handle.borrow(request, as: RequestHandle.self), let value else { return ResultCode.misuse }
    guard idType == XMPPDNA_ID_NAME || (IdentifierType(rawValue: idType).map { $0 != .cn } ?? false) else { return ResultCode.invalid }
    // Far beyond any legal identifier; also keeps Int(length) from trapping.
    guard length <= maxIdentifierLength else { return ResultCode.badName }
    let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(value).assumingMemoryBound(to: UInt8.self), count: Int(length))
    do {
        let reference: ReferenceIdentifier
        if let type = IdentifierType(rawValue: idType) {
            reference = try ReferenceIdentifier(type: type, bytes: bytes)
        } else {
            guard let text = CStrings.text(fromUTF8: bytes) else { return ResultCode.encoding }
            reference = try ReferenceIdentifier(name: text)
        }
        if !handle.question.request.extraNames.contains(reference) { handle.question.request.extraNames.append(reference) }
        return ResultCode.ok
    } catch {
        return ResultCode.of(error)
    }
}

@c(xmppdna_request_add_presented)
public func xmppdnaRequestAddPresented(_ request: OpaquePointer?, _ idType: Int32, _ value: UnsafeRawPointer?,
                                       _ length: UInt) -> Int32 {
    guard let handle = Handle.borrow(request, as: RequestHandle.self), let value else { return ResultCode.misuse }
    guard let type = IdentifierType(rawValue: idType) else { return ResultCode.invalid }
    // Hostile content is kept as unusable, but not without bound.
    guard length <= maxIdentifierLength else { return ResultCode.badName }
    handle.question.presented.append(PresentedIdentifier(type: type, raw: Array(UnsafeRawBufferPointer(start: value, count: Int(length)))))
    return ResultCode.ok
}

@c(xmppdna_request_set_flags)
public func xmppdnaRequestSetFlags(_ request: OpaquePointer?, _ flags: UInt32) -> Int32 {
    guard let handle = Handle.borrow(request, as: RequestHandle.self) else { return ResultCode.misuse }
    guard flags & ~knownRequestFlags == 0 else { return ResultCode.invalid }
    handle.question.request.acceptWeakDialback = flags & UInt32(XMPPDNA_REQUEST_REFUSE_WEAK_DIALBACK) == 0
    handle.question.noLookups = flags & UInt32(XMPPDNA_REQUEST_NO_LOOKUPS) != 0
    handle.question.request.namesOnly = flags & UInt32(XMPPDNA_REQUEST_NAMES_ONLY) != 0
    return ResultCode.ok
}

extension Prooftype {
    init?(code: Int32) {
        switch code {
        case XMPPDNA_PROOF_DANE: self = .dane
        case XMPPDNA_PROOF_PKI: self = .pki
        case XMPPDNA_PROOF_POSH: self = .posh
        case XMPPDNA_PROOF_DIALBACK: self = .dialback
        default: return nil
        }
    }

    var code: Int32 {
        switch self {
        case .dane: return XMPPDNA_PROOF_DANE
        case .pki: return XMPPDNA_PROOF_PKI
        case .posh: return XMPPDNA_PROOF_POSH
        case .dialback: return XMPPDNA_PROOF_DIALBACK
        }
    }
}
