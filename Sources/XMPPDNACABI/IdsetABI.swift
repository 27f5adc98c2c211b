import CXMPPDNA
import XMPPDNA
import XMPPDNACore

final class IdsetHandle: Handle, @unchecked Sendable {
    private(set) var identifiers: [PresentedIdentifier] = []
    private var displays: [UnsafeMutablePointer<CChar>] = []
    private var problems: [UnsafeMutablePointer<CChar>?] = []
    private let pool = CStringPool()

    convenience init(_ identifiers: [PresentedIdentifier], lent: Bool = false) throws(ABIError) {
        self.init(lent: lent)
        for identifier in identifiers { try append(identifier) }
    }

    /// Adds nothing unless every string it lends could be made.
    func append(_ identifier: PresentedIdentifier) throws(ABIError) {
        let display = try pool.lend(identifier.display)
        let problem = try identifier.problem.map { problem throws(ABIError) in try pool.lend(problem.description) }
        identifiers.append(identifier)
        displays.append(display)
        problems.append(problem)
    }

    func display(at index: Int) -> UnsafeMutablePointer<CChar> { displays[index] }
    func problem(at index: Int) -> UnsafeMutablePointer<CChar>? { problems[index] }
}

@c(xmppdna_idset_new)
public func xmppdnaIdsetNew(_ out: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    guard let out else { return ResultCode.misuse }
    store(IdsetHandle(), to: out)
    return ResultCode.ok
}

@c(xmppdna_idset_free)
public func xmppdnaIdsetFree(_ ids: OpaquePointer?) {
    Handle.release(ids, as: IdsetHandle.self)
}

@c(xmppdna_idset_add)
public func xmppdnaIdsetAdd(_ ids: OpaquePointer?, _ idType: Int32, _ value: UnsafeRawPointer?, _ length: UInt) -> Int32 {
    guard let handle = Handle.borrow(ids, as: IdsetHandle.self), let value else { return ResultCode.misuse }
    guard let type = IdentifierType(rawValue: idType) else { return ResultCode.invalid }
    // Hostile content is kept as unusable, but not without bound.
    guard length <= maxIdentifierLength else { return ResultCode.badName }
    do {
        try handle.append(PresentedIdentifier(type: type, raw: Array(UnsafeRawBufferPointer(start: value, count: Int(length)))))
        return ResultCode.ok
    } catch {
        return error.code
    }
}

@c(xmppdna_idset_count)
public func xmppdnaIdsetCount(_ ids: UnsafeRawPointer?) -> UInt {
    UInt(Handle.borrow(ids, as: IdsetHandle.self)?.identifiers.count ?? 0)
}

@c(xmppdna_idset_get)
public func xmppdnaIdsetGet(_ ids: UnsafeRawPointer?, _ index: UInt, _ idType: UnsafeMutablePointer<Int32>?,
                            _ value: UnsafeMutablePointer<UnsafePointer<CChar>?>?,
                            _ usable: UnsafeMutablePointer<Int32>?,
                            _ problem: UnsafeMutablePointer<UnsafePointer<CChar>?>?) -> Int32 {
    guard let handle = Handle.borrow(ids, as: IdsetHandle.self) else { return ResultCode.misuse }
    guard index < handle.identifiers.count else { return ResultCode.range }
    let i = Int(index)
    idType?.pointee = handle.identifiers[i].type.rawValue
    value?.pointee = UnsafePointer(handle.display(at: i))
    usable?.pointee = handle.identifiers[i].isUsable ? 1 : 0
    problem?.pointee = handle.problem(at: i).map { UnsafePointer($0) }
    return ResultCode.ok
}
