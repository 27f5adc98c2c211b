import CLDNS
import XMPPDNACore

/// How two owned names stand to each other in the tree and in canonical
/// order (RFC 4034 section 6.1): what denial proofs reason about.
extension DName {
    /// Strictly below `other` (never equal).
    func isStrictSubdomain(of other: DName) -> Bool { ldns_dname_is_subdomain(rdf, other.rdf) != 0 }

    func equals(_ other: DName) -> Bool { ldns_dname_compare(rdf, other.rdf) == 0 }

    /// Negative, zero or positive, as this name sorts before, with or after `other`.
    func canonicalCompare(_ other: DName) -> Int32 { ldns_dname_compare(rdf, other.rdf) }

    /// The deepest name that is an ancestor of (or equal to) both.
    func closestCommonAncestor(with other: DName) -> DName {
        var cursor: DName = self
        while !other.isSubdomain(ofOrEqual: cursor), let up = cursor.parent { cursor = up }
        return cursor
    }

    /// This name with its leftmost labels removed until `labels` remain.
    func suffix(keepingLabels labels: Int) -> DName {
        var cursor: DName = self
        while cursor.labelCount > labels, let up = cursor.parent { cursor = up }
        return cursor
    }

    /// "*." before this name; nil when that would be too long.
    var wildcardChild: DName? {
        guard let star = DName("*"), ldns_dname_cat(star.rdf, rdf) == LDNS_STATUS_OK else { return nil }
        // ldns_dname_cat does not check RFC 1035's 255 octets.
        return ldns_rdf_size(star.rdf) <= 255 ? star : nil
    }

    var isWildcard: Bool { text.hasPrefix("*.") || text == "*" }
}
