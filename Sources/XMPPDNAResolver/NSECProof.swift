import CLDNS
import XMPPDNACore

/// What NSEC records prove (RFC 4035 sections 5.4 and 3.1.3, RFC 4592), on
/// records whose signatures the validator has already checked and which are
/// all signed by the one zone the proof is for. Pure: no I/O.
///
/// The rules are Unbound's (val_nsec.c), read as facts: "covers" is strictly
/// between owner and next name; the last NSEC of a zone covers only names
/// inside that zone (below its next name, the apex); an NSEC at a name says
/// only what its bitmap says about that name; an NSEC at an ancestor that is
/// a delegation (NS without SOA) or a DNAME proves nothing below it.
enum NSECProof {
    struct Record {
        let owner: DName
        let next: DName
        private let rr: UnsafeMutablePointer<ldns_rr>

        /// Borrows `rr`: valid while the list holding it lives.
        init?(_ rr: UnsafeMutablePointer<ldns_rr>) {
            guard UInt16(ldns_rr_get_type(rr).rawValue) == DNSType.nsec, let next = ldns_rr_rdf(rr, 0),
                  ldns_rdf_get_type(next) == LDNS_RDF_TYPE_DNAME else { return nil }
            self.rr = rr
            owner = DName.copy(ldns_rr_owner(rr))
            self.next = DName.copy(next)
        }

        func has(_ type: UInt16) -> Bool {
            guard let bitmap = ldns_nsec_get_bitmap(rr) else { return false }
            return ldns_nsec_bitmap_covers_type(bitmap, ldns_rr_type(rawValue: UInt32(type))) != 0
        }

        /// NS without SOA: the parent's side of a zone cut.
        var isDelegation: Bool { has(DNSType.ns) && !has(DNSType.soa) }
    }

    /// The NSEC proves that `name` does not exist.
    static func provesNameError(_ nsec: Record, _ name: DName) -> Bool {
        if nsec.owner.equals(name) { return false }
        if name.isSubdomain(ofOrEqual: nsec.owner) && (nsec.has(DNSType.dname) || nsec.isDelegation) { return false }
        let order = nsec.owner.canonicalCompare(nsec.next)
        if order == 0 {
            // The zone's only NSEC: apex NSEC apex, which denies everything below it.
            return name.isStrictSubdomain(of: nsec.next)
        }
        if order > 0 {
            // The last NSEC: its next name is the apex, so it speaks only for that zone.
            return nsec.owner.canonicalCompare(name) < 0 && name.isStrictSubdomain(of: nsec.next)
        }
        return nsec.owner.canonicalCompare(name) < 0 && name.canonicalCompare(nsec.next) < 0
    }

    /// The closest encloser a covering NSEC implies: the deepest ancestor of
    /// `name` shared with its owner or its next name.
    static func closestEncloser(of name: DName, from nsec: Record) -> DName {
        let byOwner = name.closestCommonAncestor(with: nsec.owner)
        let byNext = name.closestCommonAncestor(with: nsec.next)
        return byOwner.labelCount > byNext.labelCount ? byOwner : byNext
    }

    /// The NSEC proves that no wildcard could have produced `name`.
    static func provesNoWildcard(_ nsec: Record, _ name: DName) -> Bool {
        let encloser = closestEncloser(of: name, from: nsec)
        guard name.labelCount > encloser.labelCount, let wildcard = encloser.wildcardChild else { return false }
        return provesNameError(nsec, wildcard)
    }

    /// A wildcard answer for `name` from the wildcard at `encloser`: the name
    /// does not exist, and `encloser` is its closest encloser.
    static func provesWildcardExpansion(_ nsec: Record, _ name: DName, encloser: DName) -> Bool {
        provesNameError(nsec, name) && closestEncloser(of: name, from: nsec).equals(encloser)
    }

    /// An unsigned delegation above `name` (at it, for any type but DS):
    /// the answer belongs to an unsigned zone.
    static func provesInsecureDelegation(_ nsec: Record, _ name: DName, type: UInt16) -> Bool {
        guard nsec.has(DNSType.ns), !nsec.has(DNSType.ds), !nsec.has(DNSType.soa) else { return false }
        return type == DNSType.ds ? name.isStrictSubdomain(of: nsec.owner) : name.isSubdomain(ofOrEqual: nsec.owner)
    }

    /// The outcome of a NODATA proof by one NSEC.
    enum NoData {
        case proven
        /// Proven only through the wildcard at this closest encloser, which
        /// another NSEC must confirm.
        case provenByWildcard(DName)
        case notProven
    }

    /// The NSEC proves that `name` has no `type` records (RFC 4035 section
    /// 3.1.3.1 and 3.1.3.4), including an empty non-terminal.
    static func provesNoData(_ nsec: Record, _ name: DName, type: UInt16) -> NoData {
        if nsec.owner.equals(name) {
            if nsec.has(type) || nsec.has(DNSType.cname) { return .notProven }
            // A delegation answers every type but DS with a referral; DS is
            // answered by the parent, never by the child's apex NSEC.
            if type != DNSType.ds && nsec.isDelegation { return .notProven }
            if type == DNSType.ds && nsec.has(DNSType.soa) && name.labelCount > 0 { return .notProven }
            return .proven
        }
        // An empty non-terminal: the next name lies below `name`.
        if nsec.next.isStrictSubdomain(of: name) && nsec.owner.canonicalCompare(name) < 0 { return .proven }
        if nsec.owner.isWildcard, let encloser = nsec.owner.parent, name.isStrictSubdomain(of: encloser) {
            if nsec.has(DNSType.cname) || nsec.isDelegation || nsec.has(type) { return .notProven }
            return .provenByWildcard(encloser)
        }
        return .notProven
    }

    /// What a DS NODATA proof by the NSEC at the name itself shows.
    enum NoDS {
        /// A delegation without DS: the zone below is unsigned.
        case insecureDelegation
        /// Not a zone cut at all.
        case notACut
        case bogus(String)
    }

    static func provesNoDS(_ nsec: Record, _ name: DName) -> NoDS {
        if nsec.has(DNSType.soa) && name.labelCount > 0 {
            return .bogus("the NSEC at \(name.text) is the child zone's own (SOA), not its parent's")
        }
        if nsec.has(DNSType.ds) { return .bogus("the NSEC at \(name.text) lists DS, yet no DS came") }
        return nsec.has(DNSType.ns) ? .insecureDelegation : .notACut
    }
}
