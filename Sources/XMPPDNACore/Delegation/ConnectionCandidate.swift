/// A record that lies behind a connection candidate, with its status.
public struct RecordProvenance: Hashable, Sendable, CustomStringConvertible {
    public let record: String
    public let status: DNSSECStatus

    public init(record: String, status: DNSSECStatus) {
        self.record = record
        self.status = status
    }

    public var description: String { "\(record) [\(status.tag)]" }
}

/// Where to connect, in order: from SRV (RFC 2782, XEP-0368) or the RFC
/// 6120 fallback to the domain itself.
public struct ConnectionCandidate: Hashable, Sendable {
    public let host: DNSName
    public let port: UInt16
    /// XEP-0368 xmpps-* records mean TLS from the first byte.
    public let directTLS: Bool
    public let service: XMPPService
    public let priority: UInt16
    public let weight: UInt16
    /// Every record behind this candidate: the SRV, CNAME hops, A and AAAA.
    public let records: [RecordProvenance]
    public let addresses: [IPAddress]

    public init(host: DNSName, port: UInt16, directTLS: Bool, service: XMPPService, priority: UInt16,
                weight: UInt16, records: [RecordProvenance], addresses: [IPAddress]) {
        self.host = host
        self.port = port
        self.directTLS = directTLS
        self.service = service
        self.priority = priority
        self.weight = weight
        self.records = records
        self.addresses = addresses
    }

    /// The weakest status of the records behind it.
    public var status: DNSSECStatus {
        records.reduce(DNSSECStatus.secure) { $0.combined(with: $1.status) }
    }
}
