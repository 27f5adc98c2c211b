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
    var rcode: UInt8 { UInt8(ldns_pkt_get_rcode(pkt).rawValue) }

    var question: UnsafeMutablePointer<ldns_rr_list>? { ldns_pkt_question(pkt) }
    var answer: UnsafeMutablePointer<ldns_rr_list>? { ldns_pkt_answer(pkt) }
    var authority: UnsafeMutablePointer<ldns_rr_list>? { ldns_pkt_authority(pkt) }
}
