#if canImport(Glibc)
import Glibc
#endif

/// NUL-terminated copies that a handle lends to C callers: allocated once,
/// freed with the handle, so a borrowed `const char *` stays valid exactly
/// as long as the header promises.
final class CStringPool: @unchecked Sendable {
    private var pointers: [UnsafeMutablePointer<CChar>] = []

    /// Interior NULs cannot occur: callers pass display forms, which escape them.
    func lend(_ text: String) -> UnsafeMutablePointer<CChar> {
        let copy = strdup(text)!
        pointers.append(copy)
        return copy
    }

    deinit { pointers.forEach { free($0) } }
}

/// A malloc'd copy the caller releases with xmppdna_free().
func mallocCopy(_ text: String) -> UnsafeMutablePointer<CChar>? {
    strdup(text)
}

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
