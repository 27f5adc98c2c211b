import CXMPPDNA
import XMPPDNA
import XMPPDNACore
import XMPPDNAOpenSSL

/// The C result codes, defined once in include/xmppdna.h.
enum ResultCode {
    static let ok = XMPPDNA_OK
    static let misuse = XMPPDNA_EMISUSE
    static let invalid = XMPPDNA_EINVAL
    static let badName = XMPPDNA_EBADNAME
    static let encoding = XMPPDNA_EENCODING
    static let badCertificate = XMPPDNA_EBADCERT
    static let trust = XMPPDNA_ETRUST
    static let noMemory = XMPPDNA_ENOMEM
    static let range = XMPPDNA_ERANGE
    static let internalError = XMPPDNA_EINTERNAL
    static let noServer = XMPPDNA_ENOSERVER
    static let untrusted = XMPPDNA_EUNTRUSTED
    static let notFound = XMPPDNA_ENOTFOUND

    static func of(_ error: IdentityInputError) -> Int32 {
        switch error {
        case .encoding: return encoding
        case .badName: return badName
        }
    }

    static func of(_ error: ContextError) -> Int32 {
        switch error {
        case .noServer: return noServer
        case .untrustedResolver: return untrusted
        case .trust: return trust
        case .inconsistentRequest: return invalid
        }
    }

    static func text(_ code: Int32) -> StaticString {
        switch code {
        case ok: return "success"
        case misuse: return "a required pointer was NULL, or the handle is of the wrong kind"
        case invalid: return "unknown enumeration value or flag"
        case badName: return "not a valid domain name, IP address, SRV name, JID or URI"
        case encoding: return "not valid UTF-8, or a NUL byte inside a string"
        case badCertificate: return "malformed DER or PEM certificate data"
        case trust: return "the trust store could not be loaded"
        case noMemory: return "out of memory"
        case range: return "index out of range"
        case internalError: return "internal error in xmppdna"
        case noServer: return "no DNS server is configured for a lookup"
        case untrusted: return "trust-ad mode needs a resolver on loopback or one marked trusted"
        case notFound: return "no such async query: already delivered, cancelled, or never made"
        default: return "unknown xmppdna result code"
        }
    }
}

/// A result code carried through Swift error paths.
struct ABIError: Error {
    let code: Int32
    init(_ code: Int32) { self.code = code }
}
