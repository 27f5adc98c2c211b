/// Where a redirect sends a POSH fetch: the response's one Location (RFC
/// 9110 section 10.2.2), an https URL, or an absolute path or network-path
/// reference resolved against the URL asked (RFC 3986 section 5.2).
/// Relative paths are refused rather than merged: POSH documents sit at
/// fixed paths, and nothing legitimate needs them.
package enum HTTPRedirect {
    package static let statuses: Set<Int> = [301, 302, 303, 307, 308]

    package static func target(of response: HTTPResponse, from current: POSHURL) throws(POSHError) -> POSHURL {
        let locations = response.values("location")
        guard let location = locations.first else { throw .fetch("\(current) redirects without a Location") }
        guard locations.count == 1 else { throw .fetch("\(current) redirects with more than one Location") }
        if location.hasPrefix("//") { return try POSHURL("https:" + location) }
        if location.hasPrefix("/") { return try POSHURL("https://\(current.authority)\(location)") }
        guard hasScheme(location) else {
            throw .fetch("\(current) redirects to \(location.prefix(80).debugDescription), a relative reference; "
                         + "only URLs and absolute paths are followed")
        }
        return try POSHURL(location)
    }

    /// `ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"` (RFC 3986 section 3.1).
    private static func hasScheme(_ reference: String) -> Bool {
        let bytes = Array(reference.utf8)
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")), colon > 0, isAlpha(bytes[0]) else { return false }
        return bytes[..<colon].allSatisfy { isAlpha($0) || HTTPSyntax.isDigit($0) || "+-.".utf8.contains($0) }
    }

    private static func isAlpha(_ byte: UInt8) -> Bool { (65...90).contains(byte) || (97...122).contains(byte) }
}
