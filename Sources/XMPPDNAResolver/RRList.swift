import CLDNS
import XMPPDNACore

/// An owned list of deep-copied ldns records. ldns mixes shallow and deep
/// ownership per call; copying at this one boundary keeps every list here
/// owned by exactly one Swift object.
final class RRList: @unchecked Sendable {
    let list: UnsafeMutablePointer<ldns_rr_list>

    init() { list = ldns_rr_list_new() }
    deinit { ldns_rr_list_deep_free(list) }

    var count: Int { ldns_rr_list_rr_count(list) }
    var isEmpty: Bool { count == 0 }

    subscript(index: Int) -> UnsafeMutablePointer<ldns_rr> { ldns_rr_list_rr(list, index) }

    /// Borrowed pointers: valid only while this list is alive, so callers
    /// that outlive their last use of the list need withExtendedLifetime.
    var records: [UnsafeMutablePointer<ldns_rr>] { (0..<count).map { self[$0] } }

    func appendCopy(of rr: UnsafePointer<ldns_rr>) {
        _ = ldns_rr_list_push_rr(list, ldns_rr_clone(rr))
    }

    /// Records of `section` with this owner and type (RRSIGs: those covering `type`).
    static func select(from section: UnsafeMutablePointer<ldns_rr_list>?, owner: UnsafePointer<ldns_rdf>,
                       type: UInt16, signatures: Bool = false) -> RRList {
        let result = RRList()
        guard let section else { return result }
        for i in 0..<ldns_rr_list_rr_count(section) {
            guard let rr = ldns_rr_list_rr(section, i), ldns_dname_compare(ldns_rr_owner(rr), owner) == 0 else { continue }
            let rrType = UInt16(ldns_rr_get_type(rr).rawValue)
            if signatures {
                guard rrType == DNSType.rrsig, let covered = ldns_rr_rrsig_typecovered(rr),
                      ldns_rdf2native_int16(covered) == type else { continue }
            } else {
                guard rrType == type else { continue }
            }
            result.appendCopy(of: rr)
        }
        return result
    }

    /// Every record of `type` in a section, whatever its owner.
    static func select(from section: UnsafeMutablePointer<ldns_rr_list>?, type: UInt16) -> RRList {
        let result = RRList()
        guard let section else { return result }
        for i in 0..<ldns_rr_list_rr_count(section) {
            guard let rr = ldns_rr_list_rr(section, i), UInt16(ldns_rr_get_type(rr).rawValue) == type else { continue }
            result.appendCopy(of: rr)
        }
        return result
    }
}

/// The RR types this library asks for or reasons about.
enum DNSType {
    static let a: UInt16 = 1
    static let ns: UInt16 = 2
    static let cname: UInt16 = 5
    static let dname: UInt16 = 39
    static let soa: UInt16 = 6
    static let aaaa: UInt16 = 28
    static let srv: UInt16 = 33
    static let ds: UInt16 = 43
    static let rrsig: UInt16 = 46
    static let nsec: UInt16 = 47
    static let dnskey: UInt16 = 48
    static let nsec3: UInt16 = 50
    static let tlsa: UInt16 = 52
}

/// An owned ldns domain name.
final class DName: @unchecked Sendable {
    let rdf: UnsafeMutablePointer<ldns_rdf>

    init?(_ text: String) {
        guard let rdf = ldns_dname_new_frm_str(text) else { return nil }
        self.rdf = rdf
    }

    init(owning rdf: UnsafeMutablePointer<ldns_rdf>) { self.rdf = rdf }
    deinit { ldns_rdf_deep_free(rdf) }

    static func copy(_ rdf: UnsafePointer<ldns_rdf>) -> DName { DName(owning: ldns_rdf_clone(rdf)) }

    /// Lowercase, without the trailing dot ("." for the root).
    static func text(of rdf: UnsafePointer<ldns_rdf>) -> String {
        guard let raw = ldns_rdf2str(rdf) else { return "?" }
        defer { free(raw) }
        var text = DNSName.asciiLowercased(String(cString: raw))
        if text.count > 1 && text.hasSuffix(".") { text.removeLast() }
        return text
    }

    var text: String { DName.text(of: rdf) }
    var labelCount: Int { Int(ldns_dname_label_count(rdf)) }

    /// The parent name, or nil at the root.
    var parent: DName? {
        guard labelCount > 0, let chopped = ldns_dname_left_chop(rdf) else { return nil }
        return DName(owning: chopped)
    }

    func isSubdomain(ofOrEqual other: DName) -> Bool {
        ldns_dname_compare(rdf, other.rdf) == 0 || ldns_dname_is_subdomain(rdf, other.rdf) != 0
    }
}
