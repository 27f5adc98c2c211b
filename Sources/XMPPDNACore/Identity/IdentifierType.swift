/// The kinds of identifier, numbered as the C ABI numbers them.
public enum IdentifierType: Int32, Sendable, CaseIterable, CustomStringConvertible {
    case dns = 1
    case srv = 2
    case xmpp = 3
    case uri = 4
    case ip = 5
    /// Subject commonName: presented side only, legacy fallback only.
    case cn = 6

    /// The name RFC 9525 and RFC 6120 use, for messages and JSON.
    public var description: String {
        switch self {
        case .dns: return "DNS-ID"
        case .srv: return "SRV-ID"
        case .xmpp: return "XmppAddr"
        case .uri: return "URI-ID"
        case .ip: return "IP"
        case .cn: return "CN"
        }
    }

    /// Short lowercase tag for JSON.
    public var tag: String {
        switch self {
        case .dns: return "dns"
        case .srv: return "srv"
        case .xmpp: return "xmpp"
        case .uri: return "uri"
        case .ip: return "ip"
        case .cn: return "cn"
        }
    }
}
