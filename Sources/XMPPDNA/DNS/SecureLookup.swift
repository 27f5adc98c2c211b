import CLDNS

/// One validated lookup: records or denial, its status and CNAME hops.
protocol SecureLookup: AnyObject {
    func lookup(_ name: String, _ type: UInt16) -> DNSSECValidator.Answer
}

extension DNSSECValidator: SecureLookup {}

/// trust-ad mode: a validating resolver did the work; its AD bit is the
/// status. Without AD the answer is insecure as far as we can tell.
final class ADTrustingLookup: SecureLookup {
    private let transport: DNSTransport

    init(transport: DNSTransport) { self.transport = transport }

    func lookup(_ name: String, _ type: UInt16) -> DNSSECValidator.Answer {
        guard let owner = DName(name) else {
            return .init(outcome: .failure, status: .indeterminate("\(name) is not a domain name"), cnames: [])
        }
        let packet: DNSPacket
        switch transport.query(name: name, type: type, mode: .recursive) {
        case .failure(let problem): return .init(outcome: .failure, status: .indeterminate(problem.description), cnames: [])
        case .success(let response): packet = response
        }
        guard packet.rcode == 0 || packet.rcode == 3 else {
            // A validating resolver answers SERVFAIL for bogus data, but so it
            // does for unreachable servers: the two cannot be told apart here.
            return .init(outcome: .failure,
                         status: .indeterminate("the resolver answered \(DNSSECValidator.rcodeName(packet.rcode)) (bogus data or a failure upstream)"),
                         cnames: [])
        }
        let status: DNSSECStatus = packet.authenticData ? .secure : .insecure
        var current = owner
        var cnames: [CNAMELink] = []
        for _ in 0..<8 {
            let rrset = RRList.select(from: packet.answer, owner: current.rdf, type: type)
            if !rrset.isEmpty { return .init(outcome: .records(rrset), status: status, cnames: cnames) }
            let alias = RRList.select(from: packet.answer, owner: current.rdf, type: DNSType.cname)
            guard alias.count == 1, let target = ldns_rr_rdf(alias[0], 0) else { break }
            let next = DName.copy(target)
            cnames.append(CNAMELink(owner: current.text, target: next.text, status: status))
            current = next
        }
        return .init(outcome: packet.rcode == 3 ? .nameError : .noData, status: status, cnames: cnames)
    }
}
