/// The outcome of chain verification, as OpenSSL reported it.
public enum ChainStatus: Hashable, Sendable {
    /// Names only: the caller asked for no chain check.
    case notChecked
    case valid
    /// `code` is OpenSSL's X509_V_ERR_*, `depth` the certificate it concerns.
    case invalid(code: Int32, depth: Int32, text: String)

    public var tag: String {
        switch self {
        case .notChecked: return "not_checked"
        case .valid: return "valid"
        case .invalid: return "invalid"
        }
    }
}
