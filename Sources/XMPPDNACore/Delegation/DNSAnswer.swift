/// One CNAME hop met while resolving a name, with its own status. Names
/// are DNS names in text (lowercase, no trailing dot), which need not be
/// host names: an SRV owner such as "_xmpp-server._tcp.example.com" may be
/// an alias too.
public struct CNAMELink: Hashable, Sendable {
    public let owner: String
    public let target: String
    public let status: DNSSECStatus

    public init(owner: String, target: String, status: DNSSECStatus) {
        self.owner = owner
        self.target = target
        self.status = status
    }
}

/// What a resolver found for one name and type, already validated: the
/// records (or a denial), the CNAME hops on the way, and the status of the
/// final RRset or denial. The name-list builder consumes these and never
/// touches the network, so a server that does its own DNS can feed it.
public struct DNSAnswer<Record: Hashable & Sendable>: Hashable, Sendable {
    public enum Outcome: Hashable, Sendable {
        case records([Record])
        /// The name exists but has no records of this type.
        case noData
        /// The name does not exist.
        case nameError
        /// No usable answer (timeout, SERVFAIL, garbage).
        case failure
    }

    public let outcome: Outcome
    /// Status of the final RRset or its denial.
    public let status: DNSSECStatus
    public let cnames: [CNAMELink]

    public init(_ outcome: Outcome, status: DNSSECStatus, cnames: [CNAMELink] = []) {
        self.outcome = outcome
        self.status = status
        self.cnames = cnames
    }

    /// The status of the whole path: every CNAME hop and the final answer.
    public var pathStatus: DNSSECStatus {
        cnames.reduce(status) { $0.combined(with: $1.status) }
    }

    public var records: [Record] {
        if case .records(let records) = outcome { return records }
        return []
    }
}
