import XMPPDNACore

/// Why no usable response arrived. Every case ends as "indeterminate",
/// never as an answer.
public enum DNSTransportError: Error, Hashable, Sendable, CustomStringConvertible {
    case timeout(servers: [DNSServerAddress])
    case network(String)
    case badQuestion(String)
    /// Responses came, but none was a well-formed answer to our question.
    case unusableResponses(String)

    public var description: String {
        switch self {
        case .timeout(let servers): return "no answer from \(servers.map(\.description).joined(separator: ", "))"
        case .network(let why): return "network error: \(why)"
        case .badQuestion(let why): return "cannot ask: \(why)"
        case .unusableResponses(let why): return "no usable response: \(why)"
        }
    }
}
