import CLDNS
import XMPPDNACore

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
        dropRepeatedRRsets(pkt)
        return DNSPacket(owning: pkt)
    }

    /// RFC 2181 section 5: an RRset belongs in one section. A later copy is
    /// dropped, as Unbound's parser drops it, so records moved into the
    /// answer (where nothing reads them) no longer prove a denial beside it.
    /// RRSIGs are exempt: they join their RRset wherever they travel.
    private static func dropRepeatedRRsets(_ pkt: UnsafeMutablePointer<ldns_pkt>) {
        var seen: Set<String> = []
        func key(_ rr: UnsafeMutablePointer<ldns_rr>) -> String? {
            let type = ldns_rr_get_type(rr).rawValue
            guard type != UInt32(DNSType.rrsig) else { return nil }
            return "\(DName.text(of: ldns_rr_owner(rr)))/\(type)/\(ldns_rr_get_class(rr).rawValue)"
        }
        func keep(_ list: UnsafeMutablePointer<ldns_rr_list>?) -> UnsafeMutablePointer<ldns_rr_list>? {
            guard let list else { return nil }
            let sectionKeys = Set((0..<ldns_rr_list_rr_count(list)).compactMap { key(ldns_rr_list_rr(list, $0)) })
            defer { seen.formUnion(sectionKeys) }
            guard (0..<ldns_rr_list_rr_count(list)).contains(where: { key(ldns_rr_list_rr(list, $0)).map(seen.contains) ?? false }),
                  let kept = ldns_rr_list_new() else { return nil }
            for index in 0..<ldns_rr_list_rr_count(list) {
                let rr = ldns_rr_list_rr(list, index)!
                if key(rr).map(seen.contains) ?? false { continue }
                _ = ldns_rr_list_push_rr(kept, ldns_rr_clone(rr))
            }
            ldns_rr_list_deep_free(list)
            return kept
        }
        _ = keep(ldns_pkt_answer(pkt))
        if let authority = keep(ldns_pkt_authority(pkt)) {
            ldns_pkt_set_authority(pkt, authority)
            ldns_pkt_set_nscount(pkt, UInt16(ldns_rr_list_rr_count(authority)))
        }
        if let additional = keep(ldns_pkt_additional(pkt)) {
            ldns_pkt_set_additional(pkt, additional)
            ldns_pkt_set_arcount(pkt, UInt16(ldns_rr_list_rr_count(additional)))
        }
    }

    var id: UInt16 { ldns_pkt_id(pkt) }
    var isResponse: Bool { ldns_pkt_qr(pkt) != 0 }
    var truncated: Bool { ldns_pkt_tc(pkt) != 0 }
    var authenticData: Bool { ldns_pkt_ad(pkt) != 0 }
    var authoritative: Bool { ldns_pkt_aa(pkt) != 0 }

    /// No answer, NS records in the authority section and no SOA: the server
    /// is pointing elsewhere instead of answering (RFC 2308 section 2.2 tells
    /// a referral from NODATA by the SOA alone, whatever the AA bit says).
    var isReferral: Bool {
        guard rcode == 0, ldns_rr_list_rr_count(answer) == 0, let authority else { return false }
        let types = (0..<ldns_rr_list_rr_count(authority)).map { ldns_rr_get_type(ldns_rr_list_rr(authority, $0)) }
        return types.contains(LDNS_RR_TYPE_NS) && !types.contains(LDNS_RR_TYPE_SOA)
    }
    var rcode: UInt8 { UInt8(ldns_pkt_get_rcode(pkt).rawValue) }

    /// The options of the response's OPT record in wire order, as ldns
    /// splits them; empty without an OPT record, and empty when the options
    /// do not parse (one runs past the end of the record's data). ldns
    /// caches the parsed list inside the packet it is asked about, so it is
    /// asked about a scratch packet holding a copy of the OPT data: this
    /// packet stays unchanged and safe to share.
    var ednsOptions: [(code: UInt16, data: [UInt8])] {
        guard let data = ldns_pkt_edns_data(pkt), ldns_rdf_size(data) > 0, let scratch = ldns_pkt_new() else { return [] }
        defer { ldns_pkt_free(scratch) }
        ldns_pkt_set_edns_data(scratch, ldns_rdf_clone(data))
        guard let list = ldns_pkt_edns_get_option_list(scratch) else { return [] }
        return (0..<ldns_edns_option_list_get_count(list)).compactMap { index in
            guard let option = ldns_edns_option_list_get_option(list, index) else { return nil }
            let size = ldns_edns_get_size(option)
            let bytes = size == 0 ? [] : ldns_edns_get_data(option).map { Array(UnsafeBufferPointer(start: $0, count: size)) }
            guard let bytes else { return nil }
            return (UInt16(truncatingIfNeeded: ldns_edns_get_code(option).rawValue), bytes)
        }
    }

    var question: UnsafeMutablePointer<ldns_rr_list>? { ldns_pkt_question(pkt) }
    var answer: UnsafeMutablePointer<ldns_rr_list>? { ldns_pkt_answer(pkt) }
    var authority: UnsafeMutablePointer<ldns_rr_list>? { ldns_pkt_authority(pkt) }
    var additional: UnsafeMutablePointer<ldns_rr_list>? { ldns_pkt_additional(pkt) }
}
