import CLDNS
import XMPPDNACore

/// One validated lookup: records or denial, its status and CNAME hops.
protocol SecureLookup: AnyObject {
    func lookup(_ name: String, _ type: UInt16) async -> DNSSECValidator.Answer
}

extension DNSSECValidator: SecureLookup {}

/// trust-ad mode: a validating resolver did the work; its AD bit is the
/// status. Without AD the answer is insecure as far as we can tell; a
/// SERVFAIL is bogus when its Extended DNS Error says DNSSEC failed.
final class ADTrustingLookup: SecureLookup {
    private let transport: DNSTransport

    init(transport: DNSTransport) { self.transport = transport }

    func lookup(_ name: String, _ type: UInt16) async -> DNSSECValidator.Answer {
        guard let owner = DName(name) else {
            return .init(outcome: .failure, status: .indeterminate("\(name) is not a domain name"), cnames: [])
        }
        let packet: DNSPacket
        switch await transport.query(name: name, type: type, mode: .recursive) {
        case .failure(let problem): return .init(outcome: .failure, status: .indeterminate(problem.description), cnames: [])
        case .success(let response): packet = response
        }
        guard packet.rcode == 0 || packet.rcode == 3 else {
            return .init(outcome: .failure,
                         status: ADTrustingLookup.failureStatus(rcode: packet.rcode, errors: ExtendedDNSError.all(in: packet)),
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

    /// A validating resolver answers SERVFAIL for bogus data, but so it does
    /// for unreachable servers. An RFC 8914 Extended DNS Error tells them
    /// apart: SERVFAIL with a DNSSEC code (6-12) is bogus, with that code.
    /// Anything else stays indeterminate, naming the extended error if any.
    static func failureStatus(rcode: UInt8, errors: [ExtendedDNSError]) -> DNSSECStatus {
        let answered = "the resolver answered \(DNSSECValidator.rcodeName(rcode))"
        guard let decisive = ExtendedDNSError.decisive(errors) else {
            return .indeterminate(answered + (rcode == 2 ? " (bogus data or a failure upstream)" : ""))
        }
        guard rcode == 2, decisive.isDNSSECFailure else {
            return .indeterminate("\(answered) with \(decisive.summary)")
        }
        let said = decisive.text.isEmpty ? "without EXTRA-TEXT" : "saying: \(decisive.text)"
        return .bogus(BogusReason(extendedErrorCode: decisive.code,
                                  detail: "the validating resolver answered SERVFAIL with EDE \(decisive.code) \(said)"))
    }
}
