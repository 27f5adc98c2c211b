#if canImport(Glibc)
import Glibc
#endif
import CXMPPDNA

// Static strings for the process's lifetime, as the header promises.
nonisolated(unsafe) private let versionText: UnsafeMutablePointer<CChar> = strdup(XMPPDNA_VERSION)!
nonisolated(unsafe) private let errorTexts: [Int32: UnsafeMutablePointer<CChar>] = {
    var texts: [Int32: UnsafeMutablePointer<CChar>] = [:]
    for code in ResultCode.lowest...ResultCode.ok { texts[code] = strdup(ResultCode.text(code))! }
    return texts
}()
nonisolated(unsafe) private let unknownErrorText: UnsafeMutablePointer<CChar> = strdup(ResultCode.text(Int32.max))!

@c(xmppdna_version)
public func xmppdnaVersion() -> UnsafePointer<CChar>? {
    UnsafePointer(versionText)
}

@c(xmppdna_version_number)
public func xmppdnaVersionNumber() -> Int32 {
    XMPPDNA_VERSION_NUMBER
}

@c(xmppdna_strerror)
public func xmppdnaStrerror(_ code: Int32) -> UnsafePointer<CChar>? {
    UnsafePointer(errorTexts[code] ?? unknownErrorText)
}

@c(xmppdna_free)
public func xmppdnaFree(_ pointer: UnsafeMutableRawPointer?) {
    free(pointer)
}
