import CXMPPDNA
import XMPPDNA
import XMPPDNACore

final class RefsHandle: Handle, @unchecked Sendable {
    private(set) var references: [ReferenceIdentifier] = []
    private var values: [UnsafeMutablePointer<CChar>] = []
    private let pool = CStringPool()

    func append(_ reference: ReferenceIdentifier) throws(ABIError) {
        // Duplicates add nothing but noise to verdicts.
        guard !references.contains(reference) else { return }
        let value = try pool.lend(reference.value)
        references.append(reference)
        values.append(value)
    }

    static func with(_ references: [ReferenceIdentifier]) throws(ABIError) -> RefsHandle {
        let refs = RefsHandle()
        for reference in references { try refs.append(reference) }
        return refs
    }

    func value(at index: Int) -> UnsafeMutablePointer<CChar> { values[index] }
}

/// No identifier type comes near this; anything longer is refused unread.
let maxIdentifierLength: UInt = 65_536

@c(xmppdna_refs_new)
public func xmppdnaRefsNew(_ domain: UnsafePointer<CChar>?, _ service: Int32,
                           _ out: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    guard let out else { return ResultCode.misuse }
    out.pointee = nil
    guard let domain else { return ResultCode.misuse }
    guard let service = XMPPService(rawValue: service) else { return ResultCode.invalid }
    let name: DNSName
    do {
        guard let text = CStrings.text(fromUTF8: bytes(ofCString: domain)) else { return ResultCode.encoding }
        if IPAddress.looksLikeAddress(text) { return ResultCode.badName }
        name = try DNSName(text)
    } catch {
        return ResultCode.of(error)
    }
    do {
        store(try RefsHandle.with(service.referenceIdentifiers(for: name)), to: out)
        return ResultCode.ok
    } catch {
        return error.code
    }
}

@c(xmppdna_refs_new_empty)
public func xmppdnaRefsNewEmpty(_ out: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    guard let out else { return ResultCode.misuse }
    store(RefsHandle(), to: out)
    return ResultCode.ok
}

@c(xmppdna_refs_free)
public func xmppdnaRefsFree(_ refs: OpaquePointer?) {
    Handle.release(refs, as: RefsHandle.self)
}

@c(xmppdna_refs_add)
public func xmppdnaRefsAdd(_ refs: OpaquePointer?, _ idType: Int32,
                           _ value: UnsafePointer<CChar>?, _ length: UInt) -> Int32 {
    guard let handle = Handle.borrow(refs, as: RefsHandle.self), let value else { return ResultCode.misuse }
    guard let type = IdentifierType(rawValue: idType), type != .cn else { return ResultCode.invalid }
    // Far beyond any legal identifier; also keeps Int(length) from trapping.
    guard length <= maxIdentifierLength else { return ResultCode.badName }
    let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(value).assumingMemoryBound(to: UInt8.self), count: Int(length))
    return add(to: handle) { () throws(IdentityInputError) in try ReferenceIdentifier(type: type, bytes: bytes) }
}

@c(xmppdna_refs_add_name)
public func xmppdnaRefsAddName(_ refs: OpaquePointer?, _ nameOrIP: UnsafePointer<CChar>?) -> Int32 {
    guard let handle = Handle.borrow(refs, as: RefsHandle.self), let nameOrIP else { return ResultCode.misuse }
    guard let text = CStrings.text(fromUTF8: bytes(ofCString: nameOrIP)) else { return ResultCode.encoding }
    return add(to: handle) { () throws(IdentityInputError) in try ReferenceIdentifier(name: text) }
}

/// Adds a parsed reference; a parse failure or no memory becomes its code.
private func add(to refs: RefsHandle, _ parse: () throws(IdentityInputError) -> ReferenceIdentifier) -> Int32 {
    let reference: ReferenceIdentifier
    do { reference = try parse() } catch { return ResultCode.of(error) }
    do { try refs.append(reference) } catch { return error.code }
    return ResultCode.ok
}

@c(xmppdna_refs_count)
public func xmppdnaRefsCount(_ refs: UnsafeRawPointer?) -> UInt {
    UInt(Handle.borrow(refs, as: RefsHandle.self)?.references.count ?? 0)
}

@c(xmppdna_refs_get)
public func xmppdnaRefsGet(_ refs: UnsafeRawPointer?, _ index: UInt, _ idType: UnsafeMutablePointer<Int32>?,
                           _ value: UnsafeMutablePointer<UnsafePointer<CChar>?>?) -> Int32 {
    guard let handle = Handle.borrow(refs, as: RefsHandle.self) else { return ResultCode.misuse }
    guard index < handle.references.count else { return ResultCode.range }
    idType?.pointee = handle.references[Int(index)].type.rawValue
    value?.pointee = UnsafePointer(handle.value(at: Int(index)))
    return ResultCode.ok
}
