/// What the verifier expects the peer to be (RFC 9525 section 6.1): built
/// only from the caller's input, never from the certificate.
public enum ReferenceIdentifier: Hashable, Sendable, CustomStringConvertible {
    case dns(DNSName)
    case srv(SRVName)
    case xmpp(XMPPAddress)
    case uri(URIName)
    case ip(IPAddress)

    public var type: IdentifierType {
        switch self {
        case .dns: return .dns
        case .srv: return .srv
        case .xmpp: return .xmpp
        case .uri: return .uri
        case .ip: return .ip
        }
    }

    /// The normalised value, e.g. "_xmpp-server.example.com".
    public var value: String {
        switch self {
        case .dns(let name): return name.text
        case .srv(let srv): return srv.description
        case .xmpp(let jid): return jid.description
        case .uri(let uri): return uri.description
        case .ip(let address): return address.description
        }
    }

    public var description: String { "\(type) \(value)" }

    /// Parses a caller's UTF-8 bytes as an identifier of `type`.
    public init(type: IdentifierType, bytes: some Collection<UInt8>) throws(IdentityInputError) {
        if bytes.contains(0) { throw .encoding("contains a NUL byte") }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .encoding("is not valid UTF-8")
        }
        switch type {
        case .dns: self = .dns(try DNSName(text))
        case .srv: self = .srv(try SRVName(text))
        case .xmpp: self = .xmpp(try XMPPAddress(text))
        case .uri: self = .uri(try URIName(text))
        case .ip: self = .ip(try IPAddress(text))
        case .cn: throw .badName("a CN is never a reference identifier (RFC 9525 section 6.2)")
        }
    }

    /// An extra acceptable name: an IP literal becomes an IP reference,
    /// anything else a DNS-ID.
    public init(name: String) throws(IdentityInputError) {
        if let address = try? IPAddress(name) {
            self = .ip(address)
        } else {
            self = .dns(try DNSName(name))
        }
    }
}
