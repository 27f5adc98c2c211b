import XMPPDNA
import XMPPDNACore

/// Every C handle is a retained Swift object behind an opaque pointer. The
/// common base lets each entry point check that it got the kind of handle
/// it expects, so passing a chain where a verdict belongs fails with
/// XMPPDNA_EMISUSE instead of corrupting memory.
class Handle: @unchecked Sendable {
    /// Lent by another handle (xmppdna_verdict_presented, xmppdna_dna_pki):
    /// only the lender releases it, so a *_free on it is refused.
    let isLent: Bool

    init(lent: Bool = false) { isLent = lent }

    func retainedPointer() -> OpaquePointer {
        OpaquePointer(Unmanaged.passRetained(self).toOpaque())
    }

    static func borrow<T: Handle>(_ pointer: OpaquePointer?, as type: T.Type) -> T? {
        guard let pointer else { return nil }
        return Unmanaged<Handle>.fromOpaque(UnsafeRawPointer(pointer)).takeUnretainedValue() as? T
    }

    static func borrow<T: Handle>(_ pointer: UnsafeRawPointer?, as type: T.Type) -> T? {
        guard let pointer else { return nil }
        return Unmanaged<Handle>.fromOpaque(pointer).takeUnretainedValue() as? T
    }

    /// Balances `retainedPointer`; a wrong kind of handle, or a lent one, is left alone.
    static func release<T: Handle>(_ pointer: OpaquePointer?, as type: T.Type) {
        guard let pointer else { return }
        let unmanaged = Unmanaged<Handle>.fromOpaque(UnsafeRawPointer(pointer))
        guard let handle = unmanaged.takeUnretainedValue() as? T, !handle.isLent else { return }
        unmanaged.release()
    }
}

/// Writes a new handle to an out pointer (or NULL on failure paths).
func store(_ handle: Handle?, to out: UnsafeMutablePointer<OpaquePointer?>?) {
    out?.pointee = handle?.retainedPointer()
}
