/// A host name in its one comparable form: A-labels, ASCII lowercase, no
/// trailing dot. RFC 9525 section 6.3 compares DNS names this way.
public struct DNSName: Hashable, Sendable, CustomStringConvertible {
    /// The normalised text, e.g. "xn--bcher-kva.example".
    public let text: String
    public var description: String { text }

    /// Lowercase labels, left-most first.
    public var labels: [Substring] { text.split(separator: ".", omittingEmptySubsequences: false) }

    /// The longest name DNS can carry (RFC 1035), without the trailing dot.
    public static let maxLength = 253
    public static let maxLabelLength = 63

    /// Parses a caller's name: U-labels are converted with IDNA2008, then the
    /// result must be LDH host-name syntax (RFC 1123). A name whose last label
    /// is all digits is refused, so "192.0.2.1" is never taken for a host.
    public init(_ name: String) throws(IdentityInputError) {
        if let parsed = name.utf8.withContiguousStorageIfAvailable(DNSName.init(hostNameBytes:)), let parsed {
            self = parsed
            return
        }
        try self.init(parsing: name)
    }

    /// Every name `init(hostNameBytes:)` does not take: IDNA, and the reason a name is refused.
    init(parsing name: String) throws(IdentityInputError) {
        if name.utf8.contains(0) { throw .encoding("contains a NUL byte") }
        var trimmed = Substring(name)
        if trimmed.hasSuffix(".") { trimmed = trimmed.dropLast() }
        guard !trimmed.isEmpty else { throw .badName("is empty") }
        guard let ascii = IDNA.toASCII(String(trimmed)) else {
            throw .badName("is not a valid internationalized domain name (IDNA2008)")
        }
        if let problem = DNSName.syntaxProblem(ascii) { throw .badName(problem) }
        self.text = DNSName.asciiLowercased(ascii)
    }

    /// The common case in one pass over the caller's bytes: an ASCII host
    /// name, with or without its trailing dot. nil for anything else (IDNA,
    /// errors), which `init(_:)` then parses in full; where both accept a
    /// name they give the same one, as IDNA leaves ASCII alone.
    public init?(hostNameBytes bytes: UnsafeBufferPointer<UInt8>) {
        var count = bytes.count
        if count > 0 && bytes[count - 1] == UInt8(ascii: ".") { count -= 1 }
        let name = UnsafeBufferPointer(rebasing: bytes[0..<count])
        guard DNSName.syntaxProblem(bytes: name) == nil else { return nil }
        text = String(unsafeUninitializedCapacity: count) { buffer in
            for i in 0..<count {
                let c = name[i]
                buffer[i] = (c >= 0x41 && c <= 0x5a) ? c | 0x20 : c
            }
            return count
        }
    }

    /// For names already checked by `syntaxProblem` and lowercased.
    init(normalized: String) { self.text = normalized }

    /// Why `ascii` is not a host name, or nil. Shared by references and
    /// presented identifiers so both sides obey one grammar.
    static func syntaxProblem(_ ascii: String) -> String? {
        var ascii = ascii
        return ascii.withUTF8 { syntaxProblem(bytes: $0) }
    }

    private static func syntaxProblem(bytes: UnsafeBufferPointer<UInt8>) -> String? {
        if bytes.isEmpty { return "is empty" }
        if bytes.count > maxLength { return "is longer than \(maxLength) octets" }
        var labelStart = 0
        var lastLabelAllDigits = false
        for i in 0...bytes.count {
            if i < bytes.count && bytes[i] != UInt8(ascii: ".") {
                let c = bytes[i]
                let ldh = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c == 0x2d
                if !ldh { return "has a character that a host name cannot carry" }
                continue
            }
            let label = bytes[labelStart..<i]
            if label.isEmpty { return "has an empty label" }
            if label.count > maxLabelLength { return "has a label longer than \(maxLabelLength) octets" }
            if label.first == 0x2d || label.last == 0x2d { return "has a label that starts or ends with a hyphen" }
            lastLabelAllDigits = label.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
            labelStart = i + 1
        }
        if lastLabelAllDigits { return "is not a host name (its last label is all digits)" }
        return nil
    }

    package static func asciiLowercased(_ s: String) -> String {
        // A fixed ASCII table, never the locale (RFC 9525 section 6.3).
        guard s.utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5a }) else { return s }
        return String(decoding: s.utf8.map { ($0 >= 0x41 && $0 <= 0x5a) ? $0 | 0x20 : $0 }, as: UTF8.self)
    }
}
