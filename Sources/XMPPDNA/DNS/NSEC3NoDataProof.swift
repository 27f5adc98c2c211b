import CLDNS

/// RFC 5155 sections 8.5 to 8.7: NSEC3 proof that a name has no records of
/// a type (NODATA, wildcard NODATA, and the opt-out DS case), on ldns
/// primitives. ldns_dnssec_verify_denial_nsec3 does the same but, in ldns
/// 1.8.3, leaks the hashed query name on every NODATA call (found by the dns
/// fuzz target); a hostile server could repeat that without bound. The
/// NXDOMAIN case (section 8.4) frees what it makes and stays with ldns.
/// The records' signatures are checked by the caller beforehand.
enum NSEC3NoDataProof {
    static func holds(owner: DName, type: UInt16, nsec3s: RRList) -> Bool {
        guard nsec3s.count > 0, let first = ldns_rr_list_rr(nsec3s.list, 0) else { return false }
        // Sections 8.5 and 8.6: an NSEC3 at the hashed name without the type (or a CNAME).
        if let hashed = hashedOwner(of: owner, like: first),
           deniesType(type, at: hashed, nsec3s: nsec3s) { return true }
        guard let ceRDF = ldns_dnssec_nsec3_closest_encloser(owner.rdf, ldns_rr_type(rawValue: UInt32(type)), nsec3s.list) else {
            return false
        }
        let closestEncloser = DName(owning: ceRDF)
        if type == DNSType.ds {
            // Section 8.6: an opt-out NSEC3 covers the next closer name.
            let ownerLabels = ldns_dname_label_count(owner.rdf)
            let encloserLabels = ldns_dname_label_count(closestEncloser.rdf)
            var nextCloser = owner
            if encloserLabels + 1 < ownerLabels {
                guard let cut = ldns_dname_clone_from(owner.rdf, UInt16(ownerLabels - (encloserLabels + 1))) else { return false }
                nextCloser = DName(owning: cut)
            }
            guard let hashed = hashedOwner(of: nextCloser, like: first) else { return false }
            return nsec3s.records.contains { ldns_nsec_covers_name($0, hashed.rdf) != 0 && ldns_nsec3_optout($0) != 0 }
        }
        // Section 8.7: the wildcard at the closest encloser exists without the type.
        guard let star = DName("*"), ldns_dname_cat(star.rdf, closestEncloser.rdf) == LDNS_STATUS_OK,
              let hashedWildcard = hashedOwner(of: star, like: first) else { return false }
        return deniesType(type, at: hashedWildcard, nsec3s: nsec3s)
    }

    /// The owner an NSEC3 record for `name` has: `name` hashed with the
    /// parameters of `proof`, in the zone of `proof`.
    static func hashedOwner(of name: DName, like proof: UnsafeMutablePointer<ldns_rr>) -> DName? {
        guard let zone = DName.copy(ldns_rr_owner(proof)).parent,
              let hashedRDF = ldns_nsec3_hash_name_frm_nsec3(proof, name.rdf) else { return nil }
        let hashed = DName(owning: hashedRDF)
        return ldns_dname_cat(hashed.rdf, zone.rdf) == LDNS_STATUS_OK ? hashed : nil
    }

    private static func deniesType(_ type: UInt16, at hashed: DName, nsec3s: RRList) -> Bool {
        nsec3s.records.contains { proof in
            guard ldns_dname_compare(hashed.rdf, ldns_rr_owner(proof)) == 0, let bitmap = ldns_nsec3_bitmap(proof) else { return false }
            return ldns_nsec_bitmap_covers_type(bitmap, ldns_rr_type(rawValue: UInt32(type))) == 0
                && ldns_nsec_bitmap_covers_type(bitmap, LDNS_RR_TYPE_CNAME) == 0
        }
    }
}
