/// One record a caller resolved itself, with its DNSSEC status; `data` nil
/// means "no records of this type here" (a denial with that status).
public struct SuppliedRecord: Hashable, Sendable {
    public let owner: String
    public let type: UInt16
    public let status: DNSSECStatus
    public let data: String?

    public init(owner: String, type: UInt16, status: DNSSECStatus, data: String?) {
        var owner = DNSName.asciiLowercased(owner)
        if owner.count > 1 && owner.hasSuffix(".") { owner.removeLast() }
        self.owner = owner
        self.type = type
        self.status = status
        self.data = data
    }
}

/// Turns caller-supplied records into the answers the name-list builder
/// takes, so a server with its own resolver gets the same rules.
public enum SuppliedRecords {
    static let srv: UInt16 = 33, a: UInt16 = 1, aaaa: UInt16 = 28, cname: UInt16 = 5

    public static func nameList(domain: DNSName, service: XMPPService,
                                records: [SuppliedRecord]) throws(IdentityInputError) -> NameList {
        // Every record must parse, needed or not: a caller's bad record is
        // a bug to report, not something to skip silently.
        for record in records { try validate(record) }
        var srvAnswers: [XMPPService: DNSAnswer<SRVRecord>] = [:]
        var addresses: [DNSName: AddressAnswers] = [:]
        for member in service.role {
            let answer = try lookup(member.srvOwner(for: domain), srv, in: records, parse: parseSRV)
            srvAnswers[member] = answer
            for target in answer.records.compactMap(\.target) where addresses[target] == nil {
                addresses[target] = AddressAnswers(
                    a: try lookup(target.text, a, in: records, parse: parseIPv4),
                    aaaa: try lookup(target.text, aaaa, in: records, parse: parseIPv6))
            }
        }
        var generator = SystemRandom()
        return NameListBuilder.build(domain: domain, service: service, srv: srvAnswers, addresses: addresses,
                                     using: &generator)
    }

    /// Records of `type` at `owner`, following supplied CNAMEs.
    static func lookup<Record>(_ owner: String, _ type: UInt16, in records: [SuppliedRecord],
                               parse: (String) throws(IdentityInputError) -> Record) throws(IdentityInputError) -> DNSAnswer<Record> {
        var current = owner
        var cnames: [CNAMELink] = []
        for _ in 0..<8 {
            let here = records.filter { $0.owner == current && $0.type == type }
            if !here.isEmpty {
                let status = here.dropFirst().reduce(here[0].status) { $0.combined(with: $1.status) }
                let data = here.compactMap(\.data)
                if data.isEmpty { return DNSAnswer(.noData, status: status, cnames: cnames) }
                var parsed: [Record] = []
                for text in data { parsed.append(try parse(text)) }
                return DNSAnswer(.records(parsed), status: status, cnames: cnames)
            }
            guard let alias = records.first(where: { $0.owner == current && $0.type == cname }), let target = alias.data else { break }
            var next = DNSName.asciiLowercased(target.trimmingCharacters())
            if next.count > 1 && next.hasSuffix(".") { next.removeLast() }
            cnames.append(CNAMELink(owner: current, target: next, status: alias.status))
            current = next
        }
        return DNSAnswer(.failure, status: .indeterminate("no records were supplied for \(current) type \(type)"), cnames: cnames)
    }

    static func validate(_ record: SuppliedRecord) throws(IdentityInputError) {
        // SRV owners carry the two underscore labels of `_service._proto`.
        var owner = Substring(record.owner)
        if record.type == srv {
            let labels = owner.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
            guard labels.count == 3, labels[0].count > 1, labels[0].hasPrefix("_"), labels[1].count > 1,
                  labels[1].hasPrefix("_") else { throw .badName("is not an SRV owner \"_service._proto.domain\"") }
            owner = labels[2]
        }
        _ = try DNSName(String(owner))
        guard let data = record.data else { return }
        switch record.type {
        case srv: _ = try parseSRV(data)
        case a: _ = try parseIPv4(data)
        case aaaa: _ = try parseIPv6(data)
        case cname: _ = try DNSName(data.trimmingCharacters())
        default: break
        }
    }

    static func parseSRV(_ text: String) throws(IdentityInputError) -> SRVRecord {
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard fields.count == 4, let priority = UInt16(fields[0]), let weight = UInt16(fields[1]),
              let port = UInt16(fields[2]) else { throw .badName("is not SRV data \"priority weight port target\"") }
        let target = fields[3] == "." ? nil : try DNSName(String(fields[3]))
        return SRVRecord(priority: priority, weight: weight, port: port, target: target)
    }

    static func parseIPv4(_ text: String) throws(IdentityInputError) -> IPAddress { try parseAddress(text, octets: 4) }
    static func parseIPv6(_ text: String) throws(IdentityInputError) -> IPAddress { try parseAddress(text, octets: 16) }

    static func parseAddress(_ text: String, octets: Int) throws(IdentityInputError) -> IPAddress {
        let address = try IPAddress(text.trimmingCharacters())
        guard address.octets.count == octets else { throw .badName("is not an \(octets == 4 ? "IPv4" : "IPv6") address") }
        return address
    }
}
