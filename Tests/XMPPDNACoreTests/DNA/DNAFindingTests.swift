import Testing
@testable import XMPPDNACore

// DNAFinding: the codes are an API (numbers in the C header, tags in the
// JSON), and the text is rendered from the fields, never stored beside them.

@Suite struct DNAFindingTests {
    @Test func everyCodeHasItsOwnNumberAndTag() {
        let codes = DNAFindingCode.allCases
        #expect(Set(codes.map(\.rawValue)).count == codes.count)
        #expect(Set(codes.map(\.tag)).count == codes.count)
        for code in codes {
            #expect(code.tag.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "_" }, "\(code.tag)")
        }
    }

    @Test func codesAreGroupedByProoftype() {
        let groups: [Int32: Prooftype?] = [0: nil, 1: .pki, 2: .dane, 3: .posh, 4: .dialback]
        for code in DNAFindingCode.allCases {
            #expect(groups[code.rawValue / 100] != nil, "\(code) is outside the documented groups")
        }
        #expect(DNAFindingCode.tlsaMismatch.rawValue == 206 && DNAFindingCode.tlsaMismatch.tag == "tlsa_mismatch")
    }

    @Test func theTextFollowsTheFields() {
        var finding = DNAFinding(.tlsaMismatch, .dane, expected: "3 1 1 ab")
        #expect(finding.text == "secure TLSA records exist (3 1 1 ab) and no certificate of the chain matches any of them")
        finding = finding.about("_5269._tcp.host1.example.net")
        #expect(finding.text.hasPrefix("_5269._tcp.host1.example.net: secure TLSA records exist (3 1 1 ab)"))
        finding.expected = "3 1 1 cd"
        #expect(finding.text.contains("(3 1 1 cd)"))
    }

    @Test func aBogusFindingCarriesItsExtendedDNSError() {
        let finding = DNAFinding(.tlsaBogus, .dane, dnssec: .bogus(.signatureExpired("RRSIG expired")))
        #expect(finding.extendedErrorCode == 7)
        #expect(finding.text == "the TLSA records are bogus: Signature Expired: RRSIG expired")
        #expect(DNAFinding(.tlsaInsecure, .dane, dnssec: .insecure).extendedErrorCode == 0)
    }

    @Test func onlyDANELocationFindingsStartWithTheirOwner() {
        let dane = DNAFinding(.noCertificate, .dane, subject: "_5269._tcp.example.com")
        let posh = DNAFinding(.noCertificate, .posh, subject: "https://example.com/.well-known/posh/xmpp-server.json")
        #expect(dane.text == "_5269._tcp.example.com: no certificate was presented")
        #expect(posh.text == "no certificate was presented")
        #expect(DNAFinding(.tlsaNotLookedUp, .dane, subject: "_5269._tcp.example.com").text == "no TLSA lookup for _5269._tcp.example.com")
    }

    @Test func theJSONLeavesOutWhatIsAbsent() throws {
        let finding = DNAFinding(.pkiChainInvalid, .pki, seen: "certificate has expired", opensslCode: 10, depth: 1)
        let json = JSONWriter.render(finding.jsonValue)
        #expect(json == #"{"code":"pki_chain_invalid","number":101,"prooftype":"pki","seen":"certificate has expired","#
                + #""openssl_code":10,"depth":1,"text":"the certificate chain does not verify: certificate has expired (at depth 1)"}"#)
    }

    @Test func poshErrorsBecomeFindings() {
        #expect(POSHError.notPublished("x does not exist (HTTP 404)").finding.code == .poshNotPublished)
        #expect(POSHError.fetch("timeout").finding.code == .poshFetchFailed)
        #expect(POSHError.malformed("not JSON").finding.text == POSHError.malformed("not JSON").description)
        #expect(POSHError.referenceLoop("two hops").finding.text == POSHError.referenceLoop("two hops").description)
    }
}
