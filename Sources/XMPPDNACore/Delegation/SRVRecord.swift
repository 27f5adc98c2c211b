/// One SRV record (RFC 2782). A target of "." is kept as nil: it means the
/// service is decidedly not available at this domain.
public struct SRVRecord: Hashable, Sendable, CustomStringConvertible {
    public let priority: UInt16
    public let weight: UInt16
    public let port: UInt16
    public let target: DNSName?

    public init(priority: UInt16, weight: UInt16, port: UInt16, target: DNSName?) {
        self.priority = priority
        self.weight = weight
        self.port = port
        self.target = target
    }

    public var description: String { "\(priority) \(weight) \(port) \(target.map { $0.text + "." } ?? ".")" }
}
