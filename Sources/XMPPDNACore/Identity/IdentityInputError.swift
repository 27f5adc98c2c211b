/// Why a caller-supplied identifier (a reference identifier) was refused.
/// Presented identifiers never throw: hostile certificate content is kept and
/// marked unusable instead, so it can be reported.
public enum IdentityInputError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Not UTF-8, or a NUL byte inside the value.
    case encoding(String)
    /// Not a valid domain name, SRV name, JID, URI or IP address.
    case badName(String)

    public var description: String {
        switch self {
        case .encoding(let why), .badName(let why): return why
        }
    }
}
