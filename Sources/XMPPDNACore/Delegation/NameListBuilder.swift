/// Already-resolved A and AAAA answers for one host.
public struct AddressAnswers: Hashable, Sendable {
    public var a: DNSAnswer<IPAddress>?
    public var aaaa: DNSAnswer<IPAddress>?

    public init(a: DNSAnswer<IPAddress>? = nil, aaaa: DNSAnswer<IPAddress>? = nil) {
        self.a = a
        self.aaaa = aaaa
    }

    var all: [(type: String, answer: DNSAnswer<IPAddress>)] {
        [("A", a), ("AAAA", aaaa)].compactMap { entry in entry.1.map { (entry.0, $0) } }
    }
}

/// Builds the acceptable name list L and the connection candidates from
/// records that were already fetched and validated (draft-hildebrand-xmpp-
/// dnssec section 3, RFC 7673, RFC 6120 section 3.2, XEP-0368). Pure: the
/// resolver feeds it, and so can a server that does its own DNS.
///
/// The rules, in order:
/// 1. L starts as the domain itself.
/// 2. A secure SRV RRset adds every target; secure CNAME hops from a target
///    add every name on the chain; secure A/AAAA records add addresses.
/// 3. An insecure answer adds nothing; its targets stay candidates.
/// 4. A bogus answer anywhere fails the whole list: L is the domain alone,
///    there are no candidates, and the status carries the reason.
/// 5. A lone SRV record with target "." means the service is not offered.
/// 6. No SRV at all: the domain itself is the candidate (RFC 6120).
/// 7. Candidates follow RFC 2782 order over the merged xmpp-* and xmpps-*
///    records of the same role (XEP-0368).
/// 8. At most `maxTargets` distinct targets count, the first by priority
///    then name: a hostile RRset of 1,000 targets costs no more than 16.
public enum NameListBuilder {
    public static let defaultMaxTargets = 16

    /// The targets that count, in the order rule 8 takes them; the
    /// resolver looks up addresses for exactly these.
    public static func targets(of srv: [XMPPService: DNSAnswer<SRVRecord>], role: [XMPPService],
                               limit: Int = defaultMaxTargets) -> [DNSName] {
        var targets: [DNSName] = []
        for member in role {
            for record in srv[member].map({ byPriority($0.records) }) ?? [] {
                guard let target = record.target, !targets.contains(target) else { continue }
                guard targets.count < limit else { return targets }
                targets.append(target)
            }
        }
        return targets
    }

    // Servers rotate RRset order; L should not.
    private static func byPriority(_ records: [SRVRecord]) -> [SRVRecord] {
        records.sorted { ($0.priority, $0.target?.text ?? "") < ($1.priority, $1.target?.text ?? "") }
    }

    public static func build(domain: DNSName, service: XMPPService,
                             srv: [XMPPService: DNSAnswer<SRVRecord>],
                             addresses: [DNSName: AddressAnswers],
                             maxTargets: Int = defaultMaxTargets,
                             using generator: inout some RandomNumberGenerator) -> NameList {
        let counted = Set(targets(of: srv, role: service.role, limit: maxTargets))
        var names = [AcceptableName(value: .dns(domain), status: nil, source: "the domain itself")]
        var candidates: [ConnectionCandidate] = []
        var status: DNSSECStatus?
        var bogus: BogusReason?
        var sawSRV = false
        var sawUnavailable = false
        var delegated = false
        var denials: [RecordProvenance] = []

        func add(_ entry: AcceptableName) {
            if !names.contains(where: { $0.value == entry.value }) { names.append(entry) }
        }

        for member in service.role {
            guard let answer = srv[member] else { continue }
            let owner = member.srvOwner(for: domain)
            let srvStatus = answer.pathStatus
            if case .bogus(let reason) = srvStatus { bogus = bogus ?? reason }
            status = (status ?? srvStatus).combined(with: srvStatus)
            let records = answer.records
            if records.isEmpty {
                denials.append(RecordProvenance(record: "no SRV at \(owner)", status: srvStatus))
                continue
            }
            sawSRV = true
            if records.count == 1 && records[0].target == nil {
                sawUnavailable = true
                continue
            }
            for record in byPriority(records) {
                guard let target = record.target, counted.contains(target) else { continue }
                let srvSource = "SRV \(owner) \(record)"
                var provenance = answer.cnames.map { RecordProvenance(record: "CNAME \($0.owner) \($0.target)", status: $0.status) }
                provenance.append(RecordProvenance(record: srvSource, status: answer.status))
                if srvStatus.isSecure {
                    add(AcceptableName(value: .dns(target), status: .secure, source: srvSource))
                    delegated = true
                }
                var hostAddresses: [IPAddress] = []
                for (type, lookup) in addresses[target]?.all ?? [] {
                    var pathSoFar = srvStatus
                    for link in lookup.cnames {
                        pathSoFar = pathSoFar.combined(with: link.status)
                        let source = "CNAME \(link.owner) \(link.target)"
                        provenance.append(RecordProvenance(record: source, status: link.status))
                        if pathSoFar.isSecure, let hop = try? DNSName(link.target) {
                            add(AcceptableName(value: .dns(hop), status: .secure, source: source))
                        }
                    }
                    let lookupStatus = pathSoFar.combined(with: lookup.status)
                    if case .bogus(let reason) = lookupStatus { bogus = bogus ?? reason }
                    let owner = lookup.cnames.last?.target ?? target.text
                    for address in lookup.records {
                        let source = "\(type) \(owner) \(address)"
                        provenance.append(RecordProvenance(record: source, status: lookup.status))
                        hostAddresses.append(address)
                        if lookupStatus.isSecure { add(AcceptableName(value: .ip(address), status: .secure, source: source)) }
                    }
                    if lookup.records.isEmpty {
                        provenance.append(RecordProvenance(record: "\(type) \(owner) (none)", status: lookup.status))
                    }
                }
                candidates.append(ConnectionCandidate(
                    host: target, port: record.port, directTLS: member.directTLS, service: member,
                    priority: record.priority, weight: record.weight, records: provenance, addresses: hostAddresses))
            }
        }

        if let bogus {
            return NameList(domain: domain, service: service, kind: sawSRV ? .srv : .noSRV, status: .bogus(bogus),
                            acceptableNames: [names[0]], candidates: [])
        }
        let overall: DNSSECStatus = delegated ? .secure : (status ?? .indeterminate("no SRV answer was supplied"))
        if !sawSRV {
            // RFC 6120 section 3.2.2: without SRV, connect to the domain itself.
            // Unknown is not "none": a failed lookup gives no fallback.
            var fallback: [ConnectionCandidate] = []
            if case .indeterminate = overall {} else {
                // The domain's own A and AAAA lead there: a candidate is as
                // secure as they are (dialback strength, TLSA that counts).
                var records = denials
                var found: [IPAddress] = []
                for (type, lookup) in addresses[domain]?.all ?? [] {
                    records += lookup.cnames.map { RecordProvenance(record: "CNAME \($0.owner) \($0.target)", status: $0.status) }
                    let owner = lookup.cnames.last?.target ?? domain.text
                    records += lookup.records.map { RecordProvenance(record: "\(type) \(owner) \($0)", status: lookup.status) }
                    if lookup.records.isEmpty { records.append(RecordProvenance(record: "\(type) \(owner) (none)", status: lookup.status)) }
                    found += lookup.records
                }
                fallback = service.role.compactMap { member in
                    member.fallbackPort.map {
                        ConnectionCandidate(host: domain, port: $0, directTLS: false, service: member, priority: 0,
                                            weight: 0, records: records, addresses: found)
                    }
                }
            }
            return NameList(domain: domain, service: service, kind: .noSRV, status: overall,
                            acceptableNames: names, candidates: fallback)
        }
        if candidates.isEmpty && sawUnavailable {
            return NameList(domain: domain, service: service, kind: .serviceUnavailable, status: overall,
                            acceptableNames: names, candidates: [])
        }
        let ordered = SRVOrdering.order(candidates, priority: \.priority, weight: \.weight, using: &generator)
        return NameList(domain: domain, service: service, kind: .srv, status: overall,
                        acceptableNames: names, candidates: ordered)
    }
}
