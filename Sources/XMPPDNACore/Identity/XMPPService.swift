/// The XMPP services a peer is reached on (RFC 6120, XEP-0368), numbered as
/// the C ABI numbers them.
public enum XMPPService: Int32, Sendable, CaseIterable, CustomStringConvertible {
    case xmppClient = 1
    case xmppServer = 2
    case xmppsClient = 3
    case xmppsServer = 4

    /// The SRV service label, e.g. "xmpp-server".
    public var label: String {
        switch self {
        case .xmppClient: return "xmpp-client"
        case .xmppServer: return "xmpp-server"
        case .xmppsClient: return "xmpps-client"
        case .xmppsServer: return "xmpps-server"
        }
    }

    public var description: String { label }

    public init?(label: String) {
        guard let service = XMPPService.allCases.first(where: { $0.label == label }) else { return nil }
        self = service
    }

    /// SRV-ID service labels acceptable for this service. Direct TLS
    /// (XEP-0368) serves the same role as STARTTLS, so a certificate issued
    /// for the xmpp-* SRV-ID also fits the matching xmpps-* service.
    var acceptableSRVLabels: [String] {
        switch self {
        case .xmppClient, .xmppServer: return [label]
        case .xmppsClient: return [label, XMPPService.xmppClient.label]
        case .xmppsServer: return [label, XMPPService.xmppServer.label]
        }
    }

    /// The reference identifiers for `domain` on this service (RFC 6120
    /// section 13.7.2.1): DNS-ID, SRV-ID(s) and XmppAddr of the domain.
    public func referenceIdentifiers(for domain: DNSName) -> [ReferenceIdentifier] {
        var references: [ReferenceIdentifier] = [.dns(domain)]
        references += acceptableSRVLabels.map { .srv(SRVName(service: $0, name: domain)) }
        references.append(.xmpp(XMPPAddress(domain: domain)))
        return references
    }

    /// XEP-0368: the xmpps-* services speak TLS from the first byte.
    public var directTLS: Bool { self == .xmppsClient || self == .xmppsServer }

    /// The STARTTLS and direct-TLS services of the same role, whose SRV
    /// records XEP-0368 merges into one ordering.
    public var role: [XMPPService] {
        switch self {
        case .xmppClient, .xmppsClient: return [.xmppClient, .xmppsClient]
        case .xmppServer, .xmppsServer: return [.xmppServer, .xmppsServer]
        }
    }

    /// The RFC 6120 fallback port when a domain has no SRV records; direct
    /// TLS has no fallback (XEP-0368 defines none).
    public var fallbackPort: UInt16? {
        switch self {
        case .xmppClient: return 5222
        case .xmppServer: return 5269
        case .xmppsClient, .xmppsServer: return nil
        }
    }

    /// "_xmpp-server._tcp.example.com" as text.
    public func srvOwner(for domain: DNSName) -> String { "_\(label)._tcp.\(domain.text)" }
}
