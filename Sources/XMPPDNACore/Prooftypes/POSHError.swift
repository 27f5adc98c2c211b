/// Why POSH could not give an answer. Each one leaves POSH out of the
/// verdict (fail closed); none of them is ever a match.
public enum POSHError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The document breaks RFC 7711 section 3 or JSON itself.
    case malformed(String)
    case badURL(String)
    /// A reference led to another reference; only one `url` hop is followed.
    case referenceLoop(String)
    /// The HTTPS fetch failed: connection, TLS, certificate, HTTP status or size.
    case fetch(String)
    /// The document's URL answered 404: the domain publishes no POSH document.
    case notPublished(String)

    public var description: String {
        switch self {
        case .malformed(let why): return "malformed POSH document: \(why)"
        case .badURL(let why): return "bad POSH url: \(why)"
        case .referenceLoop(let why): return "POSH reference not followed: \(why)"
        case .fetch(let why), .notPublished(let why): return "POSH fetch failed: \(why)"
        }
    }

    /// The same, typed, for the POSH attempt of a verdict.
    public var finding: DNAFinding {
        switch self {
        case .malformed(let why): return DNAFinding(.poshMalformed, .posh, detail: why)
        case .badURL(let why): return DNAFinding(.poshBadURL, .posh, detail: why)
        case .referenceLoop(let why): return DNAFinding(.poshReferenceNotFollowed, .posh, detail: why)
        case .fetch(let why): return DNAFinding(.poshFetchFailed, .posh, detail: why)
        case .notPublished(let why): return DNAFinding(.poshNotPublished, .posh, detail: why)
        }
    }
}
