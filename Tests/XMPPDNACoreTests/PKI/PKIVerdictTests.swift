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
        #expect(verdict.findings.map(\.code) == [.pkiNoNameMatches, .pkiNameOnlyInCN])
        #expect(verdict.reasons[1].contains("only in the subject CN"))
    }

    @Test func jsonEscapesHostileBytes() {
        let verdict = PKIVerdict(references: refs("example.com"),
                                 presented: [PresentedIdentifier(type: .dns, raw: Array("a\"b\0c".utf8))],
                                 chain: .notChecked, matcher: IdentityMatcher())
        #expect(verdict.json.contains(#""value":"a\"b\\x00c""#))
        #expect(verdict.json.hasPrefix(#"{"schema_version":1,"accepted":false,"prooftype":"pki""#))
        #expect(verdict.json.contains(#"{"code":"pki_identifier_ignored","number":104,"prooftype":"pki","seen":"DNS-ID \"a\"b\\x00c\"","detail":"contains a NUL byte","#))
    }

    @Test func matchesFollowTheReferenceOrder() {
        let verdict = PKIVerdict(references: refs("example.com"),
                                 presented: [PresentedIdentifier(type: .xmpp, raw: Array("example.com".utf8)), dns("example.com")],
                                 chain: .valid, matcher: IdentityMatcher())
        #expect(verdict.accepted)
        #expect(verdict.matches.map(\.reference.description) == ["DNS-ID example.com", "XmppAddr example.com"])
    }

    @Test func noReferencesSaySo() {
        let verdict = PKIVerdict(references: [], presented: [dns("example.com")], chain: .valid, matcher: IdentityMatcher())
        #expect(!verdict.accepted)
        #expect(verdict.reasons == ["no presented identifier matches: no reference identifiers were given; "
                                    + "the certificate offers DNS-ID example.com"])
    }

    /// RFC 6125 section 6.4.4, kept behind the legacy switch: a CN counts
    /// only when the certificate has no DNS-, SRV-, URI- or XMPP-ID.
    @Test func legacyCNFallbackMatchesOnlyWithoutSANs() {
        let cn = PresentedIdentifier(type: .cn, raw: Array("example.com".utf8))
        let legacy = IdentityMatcher(commonNameFallback: true)
        #expect(PKIVerdict(references: refs("example.com"), presented: [cn], chain: .valid, matcher: legacy).accepted)
        let withSAN = PKIVerdict(references: refs("example.com"), presented: [cn, dns("other.example")], chain: .valid, matcher: legacy)
        #expect(!withSAN.accepted)
        #expect(withSAN.reasons[0].hasSuffix("the certificate offers CN example.com, DNS-ID other.example"))
    }

    /// A CN that is no host name is ordinary ("Example Ltd"); it is worth a
    /// note only when the legacy fallback would have used it.
    @Test func anOrdinaryCNIsANoteOnlyUnderTheLegacyFallback() {
        let presented = [PresentedIdentifier(type: .cn, raw: Array("Example Ltd".utf8)), dns("example.com")]
        let modern = PKIVerdict(references: refs("example.com"), presented: presented, chain: .valid, matcher: IdentityMatcher())
        #expect(modern.accepted && modern.reasons.isEmpty)
        let legacy = PKIVerdict(references: refs("example.com"), presented: presented, chain: .valid,
                                matcher: IdentityMatcher(commonNameFallback: true))
        #expect(legacy.accepted)
        #expect(legacy.reasons.count == 1 && legacy.reasons[0].hasPrefix("ignored presented CN \"Example Ltd\": it "))
    }

    @Test func aNameConstrainedIdentifierIsSetAsideAndSaysWhy() {
        let constrained = PresentedIdentifier(type: .xmpp, raw: Array("example.com".utf8),
                                              problem: .nameConstraints("names example.com, outside the issuing CA's permitted name constraints (DNS example.org)"))
        let verdict = PKIVerdict(references: refs("example.com"), presented: [constrained], chain: .valid, matcher: IdentityMatcher())
        #expect(!verdict.accepted && verdict.matches.isEmpty)
        #expect(verdict.reasons.last == "ignored presented XmppAddr \"example.com\": it names example.com, outside the issuing CA's "
                + "permitted name constraints (DNS example.org) (name constraints)")
    }

    @Test func jsonCarriesTheChainErrorAndTheMatches() throws {
        let verdict = PKIVerdict(references: refs("example.com"), presented: [dns("example.com")],
                                 chain: .invalid(code: 10, depth: 0, text: "certificate has expired"), matcher: IdentityMatcher())
        let json = try JSONParser.parse(Array(verdict.json.utf8))
        guard case .object(let members) = json else { Issue.record("not an object: \(verdict.json)"); return }
        let fields = Dictionary(members, uniquingKeysWith: { first, _ in first })
        #expect(fields["accepted"] == .bool(false))
        #expect(fields["chain"] == .object([("status", .string("invalid")), ("error", .string("certificate has expired")),
                                            ("openssl_code", .number("10")), ("depth", .number("0"))]))
        #expect(fields["matches"] == .array([.object([
            ("reference", .object([("type", .string("dns")), ("value", .string("example.com"))])),
            ("presented", .object([("type", .string("dns")), ("value", .string("example.com")), ("usable", .bool(true))])),
        ])]))
    }
}
