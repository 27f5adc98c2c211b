/// The "_service.domain" form of an SRV-ID (RFC 4985, RFC 9525 section 6.4):
/// the service label without its underscore, compared case-insensitively,
/// and the domain as a `DNSName`.
public struct SRVName: Hashable, Sendable, CustomStringConvertible {
    public let service: String
    public let name: DNSName

    public var description: String { "_\(service).\(name)" }

    public init(service: String, name: DNSName) {
        self.service = DNSName.asciiLowercased(service)
        self.name = name
    }

    /// Parses "_service.domain"; the domain may use U-labels.
    public init(_ text: String) throws(IdentityInputError) {
        if text.utf8.contains(0) { throw .encoding("contains a NUL byte") }
        guard text.hasPrefix("_"), let dot = text.firstIndex(of: ".") else {
            throw .badName("is not an SRV name of the form _service.domain")
        }
        let service = String(text[text.index(after: text.startIndex)..<dot])
        if let problem = SRVName.serviceProblem(service) { throw .badName(problem) }
        let name = try DNSName(String(text[text.index(after: dot)...]))
        self.init(service: service, name: name)
    }

    /// RFC 6335 section 5.1 names services with letters, digits and hyphens;
    /// the label must also fit in one DNS label.
    static func serviceProblem(_ service: String) -> String? {
        let bytes = Array(service.utf8)
        if bytes.isEmpty || bytes.count > DNSName.maxLabelLength { return "has an empty or overlong service label" }
        let ok = bytes.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c == 0x2d
        }
        return ok ? nil : "has a service label with a character other than letters, digits and hyphens"
    }
}
