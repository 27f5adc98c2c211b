import CLDNS

/// A parsed DNS response, owned. ldns types stay inside the DNS adapter.
final class DNSPacket: @unchecked Sendable {
    let pkt: UnsafeMutablePointer<ldns_pkt>

    init(owning pkt: UnsafeMutablePointer<ldns_pkt>) { self.pkt = pkt }
    deinit { ldns_pkt_free(pkt) }

    static func parse(_ wire: UnsafeRawBufferPointer) -> DNSPacket? {
        var pkt: UnsafeMutablePointer<ldns_pkt>?
        guard let base = wire.baseAddress,
              ldns_wire2pkt(&pkt, base.assumingMemoryBound(to: UInt8.self), wire.count) == LDNS_STATUS_OK,
              let pkt else { return nil }
        return DNSPacket(owning: pkt)
    }

    var id: UInt16 { ldns_pkt_id(pkt) }
    var isResponse: Bool { ldns_pkt_qr(pkt) != 0 }
    var truncated: Bool { ldns_pkt_tc(pkt) != 0 }
    var authenticData: Bool { ldns_pkt_ad(pkt) != 0 }
    var authoritative: Bool { ldns_pkt_aa(pkt) != 0 }

    /// A non-authoritative answer with NS records in the authority section:
    /// the server is pointing elsewhere instead of answering (a referral).
    var isReferral: Bool {
        guard !authoritative, ldns_rr_list_rr_count(answer) == 0, let authority else { return false }
        return (0..<ldns_rr_list_rr_count(authority)).contains {
            ldns_rr_get_type(ldns_rr_list_rr(authority, $0)) == LDNS_RR_TYPE_NS
        }
    }
    var rcode: UInt8 { UInt8(ldns_pkt_get_rcode(pkt).rawValue) }

    var question: UnsafeMutablePointer<ldns_rr_list>? { ldns_pkt_question(pkt) }
    var answer: UnsafeMutablePointer<ldns_rr_list>? { ldns_pkt_answer(pkt) }
    var authority: UnsafeMutablePointer<ldns_rr_list>? { ldns_pkt_authority(pkt) }
}
