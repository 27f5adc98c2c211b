import CXMPPDNAShim
import XMPPDNACore

/// OpenSSL keeps errors in a per-thread queue; read the oldest one as text
/// and leave the queue empty so the next call on this thread starts clean.
package enum OpenSSLError {
    package static func drain() -> String {
        let code = ERR_get_error()
        defer { ERR_clear_error() }
        guard code != 0 else { return "unknown OpenSSL error" }
        var buffer = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
