import XMPPDNACore

/// Why no usable response arrived. Every case ends as "indeterminate",
/// never as an answer.
public enum DNSTransportError: Error, Hashable, Sendable, CustomStringConvertible {
    case timeout(servers: [DNSServerAddress])
    case network(String)
    case badQuestion(String)
    /// Responses came, but none was a well-formed answer to our question.
    case unusableResponses(String)
    /// The lookup was cancelled, or its deadline passed, before an answer.
    case cancelled
    /// A limit refused the query (QueryLimits); the text names it.
    case refused(String)

    public var description: String {
        switch self {
        case .timeout(let servers): return "no answer from \(servers.map(\.description).joined(separator: ", "))"
        case .network(let why): return "network error: \(why)"
        case .badQuestion(let why): return "cannot ask: \(why)"
        case .unusableResponses(let why): return "no usable response: \(why)"
        case .cancelled: return "the lookup was cancelled"
        case .refused(let why): return "refused by a limit: \(why)"
        }
    }
}
