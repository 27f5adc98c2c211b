import XMPPDNA
import XMPPDNACore

/// Every C handle is a retained Swift object behind an opaque pointer. The
/// common base lets each entry point check that it got the kind of handle
/// it expects, so passing a chain where a verdict belongs fails with
/// XMPPDNA_EMISUSE instead of corrupting memory.
class Handle: @unchecked Sendable {
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

    /// Balances `retainedPointer`; a wrong kind of handle is left alone.
    static func release<T: Handle>(_ pointer: OpaquePointer?, as type: T.Type) {
        guard let pointer else { return }
        let unmanaged = Unmanaged<Handle>.fromOpaque(UnsafeRawPointer(pointer))
        guard unmanaged.takeUnretainedValue() is T else { return }
        unmanaged.release()
    }
}

/// Writes a new handle to an out pointer (or NULL on failure paths).
func store(_ handle: Handle?, to out: UnsafeMutablePointer<OpaquePointer?>?) {
    out?.pointee = handle?.retainedPointer()
}
