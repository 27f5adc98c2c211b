#if canImport(Glibc)
import Glibc
#endif
import XMPPDNA
import XMPPDNACore

/// NUL-terminated copies that a handle lends to C callers: allocated once,
/// freed with the handle, so a borrowed `const char *` stays valid exactly
/// as long as the header promises.
final class CStringPool: @unchecked Sendable {
    private var pointers: [UnsafeMutablePointer<CChar>] = []

    /// Interior NULs cannot occur: callers pass display forms, which escape them.
    func lend(_ text: String) throws(ABIError) -> UnsafeMutablePointer<CChar> {
        guard let copy = cStringCopy(text) else { throw ABIError(ResultCode.noMemory) }
        pointers.append(copy)
        return copy
    }

    deinit { pointers.forEach { free($0) } }
}

/// Writes a malloc'd copy of `text` (the caller frees it with
/// xmppdna_free()) to `out`: XMPPDNA_EMISUSE when there is no out pointer
/// or no text (a NULL or wrong handle), XMPPDNA_ENOMEM when the copy
/// cannot be made; `out` is NULL then.
func handOut(_ text: @autoclosure () -> String?, to out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    guard let out else { return ResultCode.misuse }
    out.pointee = nil
    guard let text = text() else { return ResultCode.misuse }
    guard let copy = cStringCopy(text) else { return ResultCode.noMemory }
    out.pointee = copy
    return ResultCode.ok
}

/// Every C string the ABI hands out is made here, so tests can make it fail.
func cStringCopy(_ text: String) -> UnsafeMutablePointer<CChar>? {
    #if DEBUG
    if AllocationFaults.shouldFail() { return nil }
    #endif
    return strdup(text)
}

#if DEBUG
/// Test seam: makes C string allocations on the calling thread fail, as
/// strdup does when memory runs out. Thread-local, so parallel tests are
/// unaffected; absent from release builds.
enum AllocationFaults {
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    /// Runs body with every allocation after the first `succeeding` failing.
    static func failing<T>(after succeeding: Int = 0, _ body: () throws -> T) rethrows -> T {
        pthread_setspecific(key, UnsafeRawPointer(bitPattern: succeeding + 1))
        defer { pthread_setspecific(key, nil) }
        return try body()
    }

    static func shouldFail() -> Bool {
        guard let value = pthread_getspecific(key) else { return false }
        let remaining = Int(bitPattern: value) - 1
        if remaining == 0 { return true }
        pthread_setspecific(key, UnsafeRawPointer(bitPattern: remaining))
        return false
    }
}
#endif

/// The bytes of a NUL-terminated C string.
func bytes(ofCString pointer: UnsafePointer<CChar>) -> UnsafeBufferPointer<UInt8> {
    UnsafeBufferPointer(start: UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self), count: strlen(pointer))
}

enum CStrings {
    /// Text from caller bytes, or nil unless valid UTF-8 without NUL.
    static func text(fromUTF8 bytes: some Collection<UInt8>) -> String? {
        if bytes.contains(0) { return nil }
        return String(validating: bytes, as: UTF8.self)
    }
}
