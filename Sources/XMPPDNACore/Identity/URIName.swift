/// The scheme and host of a URI-ID (RFC 9525 section 6.5): "xmpp:example.com"
/// or "https://example.com/path" both give (scheme, host). Only these two
/// parts take part in matching.
public struct URIName: Hashable, Sendable, CustomStringConvertible {
    public let scheme: String
    public let host: DNSName

    public var description: String { "\(scheme):\(host)" }

    public init(_ uri: String) throws(IdentityInputError) {
        if uri.utf8.contains(0) { throw .encoding("contains a NUL byte") }
        guard let colon = uri.firstIndex(of: ":") else {
            throw .badName("is not a URI (no scheme)")
        }
        let scheme = uri[..<colon]
        let schemeOK = !scheme.isEmpty && scheme.utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)
                || c == 0x2b || c == 0x2d || c == 0x2e
        }
        guard schemeOK, let first = scheme.utf8.first, (first | 0x20) >= 0x61, (first | 0x20) <= 0x7a else {
            throw .badName("has an invalid URI scheme")
        }
        var rest = uri[uri.index(after: colon)...]
        if rest.hasPrefix("//") { rest = rest.dropFirst(2) }
        // The authority ends at the path, query or fragment.
        if let end = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { rest = rest[..<end] }
        if let at = rest.lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
        if let port = rest.lastIndex(of: ":") { rest = rest[..<port] }
        self.scheme = DNSName.asciiLowercased(String(scheme))
        self.host = try DNSName(String(rest))
    }
}
