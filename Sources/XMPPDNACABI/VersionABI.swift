#if canImport(Glibc)
import Glibc
#endif
import CXMPPDNA

/// Must equal XMPPDNA_VERSION (api_test and ABIMisuseTests check it); a
/// literal, so the text lives in the binary and needs no allocation.
private let versionText: StaticString = "0.3.0"

/// A literal's NUL-terminated bytes, static for the process's lifetime.
private func cText(_ text: StaticString) -> UnsafePointer<CChar> {
    UnsafeRawPointer(text.utf8Start).assumingMemoryBound(to: CChar.self)
}

@c(xmppdna_version)
public func xmppdnaVersion() -> UnsafePointer<CChar>? {
    cText(versionText)
}

@c(xmppdna_version_number)
public func xmppdnaVersionNumber() -> Int32 {
    XMPPDNA_VERSION_NUMBER
}

@c(xmppdna_strerror)
public func xmppdnaStrerror(_ code: Int32) -> UnsafePointer<CChar>? {
    cText(ResultCode.text(code))
}

@c(xmppdna_free)
public func xmppdnaFree(_ pointer: UnsafeMutableRawPointer?) {
    free(pointer)
}
