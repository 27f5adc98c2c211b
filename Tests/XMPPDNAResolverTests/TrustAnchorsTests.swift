import CLDNS
import Testing
@testable import XMPPDNAResolver

private func keyTags(_ anchors: TrustAnchors) -> [UInt16] {
    anchors.records.records.compactMap { rr in
        guard ldns_rr_get_type(rr) == LDNS_RR_TYPE_DS, let tag = ldns_rr_rdf(rr, 0) else { return nil }
        return ldns_rdf2native_int16(tag)
    }
}

private func reason(_ result: Result<TrustAnchors, DNSConfigurationError>) -> String? {
    guard case .failure(.badAnchor(let why)) = result else { return nil }
    return why
}

/// Trust anchor files: zone-file lines of DS or DNSKEY records.
@Suite struct TrustAnchorsTests {
    @Test func theEmbeddedRootAnchorsAreKSK2017AndKSK2024() {
        #expect(keyTags(TrustAnchors.ianaRoot) == [20326, 38696])
        #expect(TrustAnchors.ianaRoot.anchors(for: n(".")).count == 2)
        #expect(TrustAnchors.ianaRoot.anchors(for: n("example")).isEmpty)
    }

    @Test func parsesDSAndDNSKEYWithCommentsAndBlankLines() throws {
        let file = """
            ; the anchors of a test world
            example.\t3600\tIN\tDS 31589 8 2 CDE0D742D6998AA554A92D890F8184C698CFAC8A26FA59875A990C03E576343C

              example. IN DNSKEY 257 3 13 mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ== ; KSK
            \r
            other.example. IN DS 2371 13 2 C988EC423E3880EB8DD8A46E2EE0B1C5A4E1C24FC2F5F8D9C1E1D9C0AAC83C6B   
            """
        let anchors = try TrustAnchors.parse(file).get()
        #expect(anchors.records.count == 3)
        #expect(keyTags(anchors) == [31589, 2371])
        #expect(anchors.anchors(for: n("example")).count == 2)
        #expect(anchors.anchors(for: n("EXAMPLE.")).count == 2, "owners compare without case")
        #expect(anchors.anchors(for: n("other.example")).count == 1)
        #expect(anchors.anchors(for: n(".")).isEmpty)
    }

    @Test func aRecordOfAnotherTypeIsAnError() throws {
        let why = try #require(reason(TrustAnchors.parse("example. IN DS 31589 8 2 CDE0D742D6998AA554A92D890F8184C698CFAC8A26FA59875A990C03E576343C\nexample. IN A 192.0.2.1")))
        #expect(why.contains("neither DS nor DNSKEY"))
        #expect(why.contains("example. IN A 192.0.2.1"))
    }

    @Test func aLineThatDoesNotParseIsAnError() throws {
        let why = try #require(reason(TrustAnchors.parse("example. IN DS not-a-key-tag")))
        #expect(why.contains("cannot parse"))
        #expect(reason(TrustAnchors.parse("this is not a record")) != nil)
    }

    @Test func aFileWithoutAnchorsIsAnError() throws {
        for text in ["", "\n\n", "; only a comment\n   ; and another\n"] {
            #expect(reason(TrustAnchors.parse(text))?.contains("no DS or DNSKEY record found") == true, "\(text.debugDescription)")
        }
    }

    @Test func theErrorDescriptionNamesTheTrustAnchor() {
        #expect(DNSConfigurationError.badAnchor("no DS or DNSKEY record found").description
                == "trust anchor: no DS or DNSKEY record found")
    }
}
