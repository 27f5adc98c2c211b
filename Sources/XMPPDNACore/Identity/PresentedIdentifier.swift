/// An identifier exactly as a certificate carries it (RFC 9525 section 6.2),
/// with its parsed form when it is usable, or the reason it is not.
public struct PresentedIdentifier: Hashable, Sendable, CustomStringConvertible {
    public enum Parsed: Hashable, Sendable {
        case dns(DNSPattern)
        case srv(SRVName)
        case xmpp(XMPPAddress)
        case uri(URIName)
        case ip(IPAddress)
    }

    public let type: IdentifierType
    public let raw: [UInt8]
    public let parsed: Parsed?
    public let problem: PresentedProblem?

    public var isUsable: Bool { parsed != nil }

    public init(type: IdentifierType, raw: [UInt8]) {
        self.type = type
        self.raw = raw
        switch PresentedIdentifier.parse(type: type, raw: raw) {
        case .success(let parsed):
            self.parsed = parsed
            self.problem = nil
        case .failure(let problem):
            self.parsed = nil
            self.problem = problem
        }
    }

    /// A problem found outside the value itself, such as an otherName whose
    /// ASN.1 type is wrong.
    public init(type: IdentifierType, raw: [UInt8], problem: PresentedProblem) {
        self.type = type
        self.raw = raw
        self.parsed = nil
        self.problem = problem
    }

    /// A printable form: IP addresses in text, other bytes as UTF-8 when
    /// they are printable, with anything else escaped as \xHH.
    public var display: String {
        if type == .ip, let address = IPAddress(octets: raw) { return address.description }
        if type == .ip { return raw.map { hex($0) }.joined(separator: ":") }
        if let text = String(validating: raw, as: UTF8.self), !text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) {
            return text
        }
        var out = ""
        for byte in raw {
            if byte >= 0x20 && byte < 0x7f && byte != UInt8(ascii: "\\") {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out += "\\x" + hex(byte)
            }
        }
        return out
    }

    public var description: String { "\(type) \(display)" }

    private func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0xf)]])
    }

    private static func parse(type: IdentifierType, raw: [UInt8]) -> Result<Parsed, PresentedProblem> {
        switch type {
        case .dns, .cn:
            return DNSPattern.parse(raw).map { .dns($0) }
        case .ip:
            guard let address = IPAddress(octets: raw) else { return .failure(.badAddressLength(raw.count)) }
            return .success(.ip(address))
        case .srv, .uri, .xmpp:
            if raw.contains(0) { return .failure(.nulByte) }
            guard let text = String(validating: raw, as: UTF8.self) else { return .failure(.notUTF8) }
            // SRV-IDs and URI-IDs never carry wildcards (RFC 9525 section 6.3).
            if text.contains("*") { return .failure(.wildcardNotAllowed) }
            do throws(IdentityInputError) {
                switch type {
                case .srv:
                    // IA5String on the wire (RFC 4985): U-labels are not allowed.
                    guard raw.allSatisfy({ $0 < 0x80 }) else { return .failure(.notPrintableASCII) }
                    return .success(.srv(try SRVName(text)))
                case .uri:
                    guard raw.allSatisfy({ $0 < 0x80 }) else { return .failure(.notPrintableASCII) }
                    return .success(.uri(try URIName(text)))
                default:
                    return .success(.xmpp(try XMPPAddress(text)))
                }
            } catch {
                return .failure(.invalidSyntax(error.description))  // phrased to follow "it"
            }
        }
    }
}
