import CLDNS
import Testing
@testable import XMPPDNAResolver

/// How names stand to each other: the tree relations and the canonical
/// order of RFC 4034 section 6.1 that every denial proof rests on.
@Suite struct DNameRelationsTests {
    /// The example of RFC 4034 section 6.1, in canonical order.
    @Test func canonicalOrderIsRFC4034Section6_1() throws {
        let ordered = ["example", "a.example", "yljkjljk.a.example", "Z.a.example", "zABC.a.EXAMPLE", "z.example",
                       "\\001.z.example", "*.z.example", "\\200.z.example"].map(n)
        for i in ordered.indices {
            for j in ordered.indices {
                let order = ordered[i].canonicalCompare(ordered[j])
                let expected: Int32 = i < j ? -1 : (i == j ? 0 : 1)
                #expect(order.signum() == expected, "\(ordered[i].text) against \(ordered[j].text)")
            }
        }
    }

    @Test func equalityIgnoresCaseOnly() {
        #expect(n("Example.COM").equals(n("example.com")))
        #expect(n("example.com.").equals(n("example.com")))
        #expect(!n("example.com").equals(n("www.example.com")))
        #expect(!n("example.com").equals(n("example.org")))
    }

    @Test func strictSubdomainsExcludeTheNameItself() {
        #expect(n("www.example.com").isStrictSubdomain(of: n("example.com")))
        #expect(n("a.b.example.com").isStrictSubdomain(of: n("EXAMPLE.com")))
        #expect(n("example.com").isStrictSubdomain(of: n(".")))
        #expect(!n("example.com").isStrictSubdomain(of: n("example.com")))
        #expect(!n("example.com").isStrictSubdomain(of: n("www.example.com")))
        #expect(!n("badexample.com").isStrictSubdomain(of: n("example.com")), "labels, not characters")
        #expect(n("example.com").isSubdomain(ofOrEqual: n("example.com")))
        #expect(!n("badexample.com").isSubdomain(ofOrEqual: n("example.com")))
    }

    @Test func closestCommonAncestor() {
        #expect(n("a.b.example.com").closestCommonAncestor(with: n("c.b.example.com")).text == "b.example.com")
        #expect(n("a.example.com").closestCommonAncestor(with: n("a.example.org")).text == ".")
        #expect(n("www.example.com").closestCommonAncestor(with: n("example.com")).text == "example.com")
        #expect(n("example.com").closestCommonAncestor(with: n("www.example.com")).text == "example.com")
        #expect(n("x.example.com").closestCommonAncestor(with: n("x.example.com")).text == "x.example.com")
    }

    @Test func suffixKeepsTheRightmostLabels() {
        let name = n("a.b.c.example")
        #expect(name.suffix(keepingLabels: 2).text == "c.example")
        #expect(name.suffix(keepingLabels: 0).text == ".")
        #expect(name.suffix(keepingLabels: 4).text == "a.b.c.example")
        #expect(name.suffix(keepingLabels: 9).text == "a.b.c.example", "never more than there are")
    }

    @Test func wildcardChild() throws {
        #expect(n("w.example").wildcardChild?.text == "*.w.example")
        #expect(n(".").wildcardChild?.text == "*")
        // 253 characters: "*." before it would pass the 255-octet limit of a name.
        let longest = [String](repeating: String(repeating: "a", count: 62), count: 4).joined(separator: ".") + ".b"
        let name = try #require(DName(longest))
        #expect(ldns_rdf_size(name.rdf) == 255)
        // Found by this test: ldns_dname_cat does not check the 255-octet limit.
        #expect(name.wildcardChild == nil)
        #expect(n("x.example").wildcardChild?.isWildcard == true)
    }

    @Test func isWildcardOnlyForAnAsteriskLabelFirst() {
        #expect(n("*.example").isWildcard)
        #expect(n("*").isWildcard)
        #expect(!n("a.*.example").isWildcard)
        #expect(!n("example").isWildcard)
    }
}
