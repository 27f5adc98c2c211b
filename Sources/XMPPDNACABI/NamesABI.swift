import CXMPPDNA
import XMPPDNA
import XMPPDNACore
import XMPPDNAResolver
import XMPPDNAIO

/// A name list plus the C strings it lends, made on first access (under
/// the handle's stripe of StripedLock) so that a warm lookup whose caller
/// reads only the status pays for no copies, nor for a lock of its own.
final class NamesHandle: Handle, @unchecked Sendable {
    let list: NameList

    struct Lent {
        let pool: CStringPool
        let values: [UnsafeMutablePointer<CChar>]
        let sources: [UnsafeMutablePointer<CChar>]
        let hosts: [UnsafeMutablePointer<CChar>]
        let reason: UnsafeMutablePointer<CChar>?

        init(_ list: NameList) throws(ABIError) {
            let pool = CStringPool()
            self.pool = pool
            values = try list.acceptableNames.map { name throws(ABIError) in try pool.lend(name.text) }
            sources = try list.acceptableNames.map { name throws(ABIError) in try pool.lend(name.source) }
            hosts = try list.candidates.map { candidate throws(ABIError) in try pool.lend(candidate.host.text) }
            switch list.status {
            case .bogus(let why): reason = try pool.lend(why.description)
            case .indeterminate(let why): reason = try pool.lend(why)
            default: reason = nil
            }
        }
    }

    private var made: Lent?

    /// The strings, made once; out of memory leaves nothing made, for a
    /// later call to try again.
    func lent() throws(ABIError) -> Lent {
        try StripedLock.withLock(for: self) { () throws(ABIError) in
            if let made { return made }
            let lent = try Lent(list)
            made = lent
            return lent
        }
    }

    init(_ list: NameList) {
        self.list = list
    }
}

func domainAndService(_ domain: UnsafePointer<CChar>?, _ service: Int32) -> Result<(DNSName, XMPPService), ABIError> {
    guard let domain else { return .failure(ABIError(ResultCode.misuse)) }
    guard let service = XMPPService(rawValue: service) else { return .failure(ABIError(ResultCode.invalid)) }
    // A host name is never an address: its last label is not all digits, and it has no colon.
    if let name = DNSName(hostNameBytes: bytes(ofCString: domain)) { return .success((name, service)) }
    guard let text = CStrings.text(fromUTF8: bytes(ofCString: domain)) else { return .failure(ABIError(ResultCode.encoding)) }
    if IPAddress.looksLikeAddress(text) { return .failure(ABIError(ResultCode.badName)) }
    do {
        return .success((try DNSName(text), service))
    } catch {
        return .failure(ABIError(ResultCode.of(error)))
    }
}

@c(xmppdna_names_lookup)
public func xmppdnaNamesLookup(_ ctx: OpaquePointer?, _ domain: UnsafePointer<CChar>?, _ service: Int32,
                               _ out: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    guard let out else { return ResultCode.misuse }
    out.pointee = nil
    guard let context = Handle.borrow(ctx, as: ContextHandle.self) else { return ResultCode.misuse }
    let target: (DNSName, XMPPService)
    switch domainAndService(domain, service) {
    case .success(let parsed): target = parsed
    case .failure(let error): return error.code
    }
    let (code, list) = cachedNames(context, target.0, target.1) ?? blockingWait { await answerNames(context, target.0, target.1) }
    store(list.map(NamesHandle.init), to: out)
    return code
}

/// A warm list straight from the cache, without a task; nil to look it up.
func cachedNames(_ context: ContextHandle, _ domain: DNSName, _ service: XMPPService) -> (Int32, NameList?)? {
    do {
        return try context.context.cachedNameList(for: domain, service: service).map { (ResultCode.ok, $0) }
    } catch {
        return (ResultCode.of(error), nil)
    }
}

/// The name list with the context's resolver; for the blocking call and the async workers.
func answerNames(_ context: ContextHandle, _ domain: DNSName, _ service: XMPPService) async -> (Int32, NameList?) {
    do {
        return (ResultCode.ok, try await context.context.nameList(for: domain, service: service))
    } catch {
        return (ResultCode.of(error), nil)
    }
}

@c(xmppdna_names_build)
public func xmppdnaNamesBuild(_ domain: UnsafePointer<CChar>?, _ service: Int32,
                              _ records: UnsafePointer<xmppdna_record>?, _ count: UInt,
                              _ out: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    guard let out else { return ResultCode.misuse }
    out.pointee = nil
    let target: (DNSName, XMPPService)
    switch domainAndService(domain, service) {
    case .success(let parsed): target = parsed
    case .failure(let error): return error.code
    }
    guard records != nil || count == 0 else { return ResultCode.misuse }
    guard count <= 100_000 else { return ResultCode.invalid }
    var supplied: [SuppliedRecord] = []
    for i in 0..<Int(count) {
        let record = records![i]
        guard let ownerPointer = record.owner else { return ResultCode.misuse }
        guard let owner = CStrings.text(fromUTF8: bytes(ofCString: ownerPointer)) else { return ResultCode.encoding }
        guard [XMPPDNA_RR_A, XMPPDNA_RR_AAAA, XMPPDNA_RR_SRV, XMPPDNA_RR_CNAME].contains(record.type) else {
            return ResultCode.invalid
        }
        guard let status = DNSSECStatus(code: record.status, owner: owner) else { return ResultCode.invalid }
        var data: String?
        if let pointer = record.data {
            guard let text = CStrings.text(fromUTF8: bytes(ofCString: pointer)) else { return ResultCode.encoding }
            data = text
        }
        supplied.append(SuppliedRecord(owner: owner, type: UInt16(record.type), status: status, data: data))
    }
    do {
        store(NamesHandle(try SuppliedRecords.nameList(domain: target.0, service: target.1, records: supplied)), to: out)
        return ResultCode.ok
    } catch {
        return ResultCode.of(error)
    }
}

@c(xmppdna_names_free)
public func xmppdnaNamesFree(_ names: OpaquePointer?) {
    Handle.release(names, as: NamesHandle.self)
}

@c(xmppdna_names_status)
public func xmppdnaNamesStatus(_ names: UnsafeRawPointer?, _ status: UnsafeMutablePointer<Int32>?,
                               _ kind: UnsafeMutablePointer<Int32>?, _ trustMode: UnsafeMutablePointer<Int32>?,
                               _ extendedError: UnsafeMutablePointer<Int32>?,
                               _ reason: UnsafeMutablePointer<UnsafePointer<CChar>?>?) -> Int32 {
    guard let handle = Handle.borrow(names, as: NamesHandle.self) else { return ResultCode.misuse }
    let list = handle.list
    if let reason {
        guard let lent = try? handle.lent() else { return ResultCode.noMemory }
        reason.pointee = lent.reason.map { UnsafePointer($0) }
    }
    status?.pointee = list.status.code
    switch list.kind {
    case .srv: kind?.pointee = XMPPDNA_NAMES_SRV
    case .noSRV: kind?.pointee = XMPPDNA_NAMES_NO_SRV
    case .serviceUnavailable: kind?.pointee = XMPPDNA_NAMES_UNAVAILABLE
    }
    switch list.trustMode {
    case "validate": trustMode?.pointee = XMPPDNA_TRUST_VALIDATE
    case "trust-ad": trustMode?.pointee = XMPPDNA_TRUST_AD
    default: trustMode?.pointee = XMPPDNA_TRUST_CALLER
    }
    if case .bogus(let why) = list.status {
        extendedError?.pointee = Int32(why.extendedErrorCode)
    } else {
        extendedError?.pointee = 0
    }
    return ResultCode.ok
}

@c(xmppdna_names_count)
public func xmppdnaNamesCount(_ names: UnsafeRawPointer?) -> UInt {
    UInt(Handle.borrow(names, as: NamesHandle.self)?.list.acceptableNames.count ?? 0)
}

@c(xmppdna_names_get)
public func xmppdnaNamesGet(_ names: UnsafeRawPointer?, _ index: UInt, _ idType: UnsafeMutablePointer<Int32>?,
                            _ value: UnsafeMutablePointer<UnsafePointer<CChar>?>?, _ status: UnsafeMutablePointer<Int32>?,
                            _ source: UnsafeMutablePointer<UnsafePointer<CChar>?>?) -> Int32 {
    guard let handle = Handle.borrow(names, as: NamesHandle.self) else { return ResultCode.misuse }
    guard index < handle.list.acceptableNames.count else { return ResultCode.range }
    guard let lent = try? handle.lent() else { return ResultCode.noMemory }
    let i = Int(index)
    let entry = handle.list.acceptableNames[i]
    if case .ip = entry.value { idType?.pointee = XMPPDNA_ID_IP } else { idType?.pointee = XMPPDNA_ID_DNS }
    value?.pointee = UnsafePointer(lent.values[i])
    status?.pointee = entry.status?.code ?? XMPPDNA_DNSSEC_NONE
    source?.pointee = UnsafePointer(lent.sources[i])
    return ResultCode.ok
}

@c(xmppdna_names_candidate_count)
public func xmppdnaNamesCandidateCount(_ names: UnsafeRawPointer?) -> UInt {
    UInt(Handle.borrow(names, as: NamesHandle.self)?.list.candidates.count ?? 0)
}

@c(xmppdna_names_candidate_get)
public func xmppdnaNamesCandidateGet(_ names: UnsafeRawPointer?, _ index: UInt,
                                     _ host: UnsafeMutablePointer<UnsafePointer<CChar>?>?,
                                     _ port: UnsafeMutablePointer<Int32>?, _ directTLS: UnsafeMutablePointer<Int32>?,
                                     _ status: UnsafeMutablePointer<Int32>?) -> Int32 {
    guard let handle = Handle.borrow(names, as: NamesHandle.self) else { return ResultCode.misuse }
    guard index < handle.list.candidates.count else { return ResultCode.range }
    guard let lent = try? handle.lent() else { return ResultCode.noMemory }
    let candidate = handle.list.candidates[Int(index)]
    host?.pointee = UnsafePointer(lent.hosts[Int(index)])
    port?.pointee = Int32(candidate.port)
    directTLS?.pointee = candidate.directTLS ? 1 : 0
    status?.pointee = candidate.status.code
    return ResultCode.ok
}

@c(xmppdna_names_json)
public func xmppdnaNamesJSON(_ names: UnsafeRawPointer?, _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    handOut(Handle.borrow(names, as: NamesHandle.self)?.list.json, to: out)
}
