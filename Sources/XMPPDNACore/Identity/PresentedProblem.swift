/// Why a presented identifier was set aside. It never matches, and it is
/// reported so an operator can see what the certificate really carries.
public enum PresentedProblem: Error, Hashable, Sendable, CustomStringConvertible {
    case nulByte
    case notPrintableASCII
    case notUTF8
    case wildcardNotLeftmost
    case wildcardNotAlone
    case wildcardTooBroad
    case wildcardNotAllowed
    case invalidSyntax(String)
    case wrongASN1Type(String)
    case badAddressLength(Int)
    /// Outside what a CA on the path may vouch for (RFC 5280 section 4.2.1.10).
    case nameConstraints(String)

    public var description: String {
        switch self {
        case .nulByte: return "contains a NUL byte"
        case .notPrintableASCII: return "contains bytes that are not printable ASCII"
        case .notUTF8: return "is not valid UTF-8"
        case .wildcardNotLeftmost: return "has a wildcard that is not the left-most label"
        case .wildcardNotAlone: return "has a partial wildcard (RFC 9525 allows only a whole \"*\" label)"
        case .wildcardTooBroad: return "has a wildcard over fewer than three labels"
        case .wildcardNotAllowed: return "has a wildcard, which this identifier type never allows"
        case .invalidSyntax(let why): return why
        case .wrongASN1Type(let why): return why
        case .badAddressLength(let n): return "is \(n) octets long; an IP address has 4 or 16"
        case .nameConstraints(let why): return "\(why) (name constraints)"
        }
    }
}
