/// One entry of the acceptable name list L, with where it came from.
public struct AcceptableName: Hashable, Sendable, CustomStringConvertible {
    public enum Value: Hashable, Sendable {
        case dns(DNSName)
        case ip(IPAddress)
    }

    public let value: Value
    /// nil for the domain itself, which needs no DNS to be acceptable.
    public let status: DNSSECStatus?
    /// The record that put it here, e.g. "SRV _xmpp-server._tcp.example.com 5 0 5269 host1.example.net.".
    public let source: String

    public init(value: Value, status: DNSSECStatus?, source: String) {
        self.value = value
        self.status = status
        self.source = source
    }

    /// The reference identifier this entry stands for: a DNS-ID or an IP.
    public var reference: ReferenceIdentifier {
        switch value {
        case .dns(let name): return .dns(name)
        case .ip(let address): return .ip(address)
        }
    }

    public var text: String {
        switch value {
        case .dns(let name): return name.text
        case .ip(let address): return address.description
        }
    }

    public var description: String { "\(text) (\(status?.tag ?? "given"): \(source))" }
}
