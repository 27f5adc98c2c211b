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
}
