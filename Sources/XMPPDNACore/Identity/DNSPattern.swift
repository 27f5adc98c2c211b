/// A DNS-ID (or legacy CN) as the certificate presents it, checked once when
/// built so the matcher stays trivial (RFC 9525 section 6.3):
/// - `*` only as the whole left-most label ("*.example.com"), never partial
///   ("f*.example.com") and never elsewhere;
/// - a wildcard needs at least three labels, so "*.com" and "*.co" are out;
/// - the other labels follow host-name syntax.
public struct DNSPattern: Hashable, Sendable {
    /// The name after the wildcard label, or the whole name.
    public let base: DNSName
    public let isWildcard: Bool

    /// Parses presented bytes; returns the reason on failure.
    static func parse(_ bytes: [UInt8]) -> Result<DNSPattern, PresentedProblem> {
        if bytes.contains(0) { return .failure(.nulByte) }
        guard bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7f }) else { return .failure(.notPrintableASCII) }
        var text = String(decoding: bytes, as: UTF8.self)
        if text.hasSuffix(".") { text.removeLast() }
        if text == "*" { return .failure(.wildcardTooBroad) }
        var isWildcard = false
        if text.hasPrefix("*.") {
            isWildcard = true
            text.removeFirst(2)
            if text.split(separator: ".", omittingEmptySubsequences: false).count < 2 {
                return .failure(.wildcardTooBroad)
            }
        }
        if let star = text.firstIndex(of: "*") {
            let firstLabelEnd = text.firstIndex(of: ".") ?? text.endIndex
            return .failure(star < firstLabelEnd && !isWildcard ? .wildcardNotAlone : .wildcardNotLeftmost)
        }
        if let problem = DNSName.syntaxProblem(text) { return .failure(.invalidSyntax(problem)) }
        return .success(DNSPattern(base: DNSName(normalized: DNSName.asciiLowercased(text)), isWildcard: isWildcard))
    }

    /// RFC 9525 section 6.3: a wildcard stands for exactly one whole label.
    public func matches(_ reference: DNSName) -> Bool {
        guard isWildcard else { return base == reference }
        let text = reference.text
        guard let dot = text.utf8.firstIndex(of: UInt8(ascii: ".")), dot != text.utf8.startIndex else { return false }
        return text[text.index(after: dot)...] == base.text
    }
}
