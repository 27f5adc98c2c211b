import Testing
@testable import XMPPDNACore

private func refs(_ domain: String) -> [ReferenceIdentifier] {
    XMPPService.xmppServer.referenceIdentifiers(for: try! DNSName(domain))
}

private func dns(_ text: String) -> PresentedIdentifier { PresentedIdentifier(type: .dns, raw: Array(text.utf8)) }

@Suite struct PKIVerdictTests {
    @Test func mismatchNamesBothSides() {
        let verdict = PKIVerdict(references: refs("example.com"), presented: [dns("host1.example.net")],
                                 chain: .valid, matcher: IdentityMatcher())
        #expect(!verdict.accepted)
        #expect(verdict.reasons.count == 1)
        #expect(verdict.reasons[0].contains("expected DNS-ID example.com"))
        #expect(verdict.reasons[0].contains("offers DNS-ID host1.example.net"))
    }

    @Test func invalidChainRejectsEvenWhenNamesMatch() {
        let verdict = PKIVerdict(references: refs("example.com"), presented: [dns("example.com")],
                                 chain: .invalid(code: 10, depth: 0, text: "certificate has expired"),
                                 matcher: IdentityMatcher())
        #expect(!verdict.accepted)
        #expect(verdict.matches.count == 1)
        #expect(verdict.reasons == ["the certificate chain does not verify: certificate has expired (at depth 0)"])
    }

    @Test func notCheckedChainAcceptsOnNames() {
        let verdict = PKIVerdict(references: refs("example.com"), presented: [dns("example.com")],
                                 chain: .notChecked, matcher: IdentityMatcher())
        #expect(verdict.accepted)
        #expect(verdict.reasons.isEmpty)
    }

    @Test func unusableIdentifiersAreReportedAsNotes() {
        let verdict = PKIVerdict(references: refs("example.com"), presented: [dns("example.com"), dns("f*.example.com")],
                                 chain: .valid, matcher: IdentityMatcher())
        #expect(verdict.accepted)
        #expect(verdict.reasons == ["ignored presented DNS-ID \"f*.example.com\": it has a partial wildcard (RFC 9525 allows only a whole \"*\" label)"])
    }

    @Test func cnOnlyCertificateExplainsTheLegacyRule() {
        let verdict = PKIVerdict(references: refs("example.com"),
                                 presented: [PresentedIdentifier(type: .cn, raw: Array("example.com".utf8))],
                                 chain: .valid, matcher: IdentityMatcher())
        #expect(!verdict.accepted)
        #expect(verdict.reasons[0].contains("only in the subject CN"))
    }

    @Test func jsonEscapesHostileBytes() {
        let verdict = PKIVerdict(references: refs("example.com"),
                                 presented: [PresentedIdentifier(type: .dns, raw: Array("a\"b\0c".utf8))],
                                 chain: .notChecked, matcher: IdentityMatcher())
        #expect(verdict.json.contains(#""value":"a\"b\\x00c""#))
        #expect(verdict.json.hasPrefix(#"{"accepted":false,"prooftype":"pki""#))
    }
}
