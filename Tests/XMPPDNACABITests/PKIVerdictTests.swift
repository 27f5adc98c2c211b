import CXMPPDNA
import Foundation
import Testing

// OpenSSL X509_V_ERR_* codes (include/openssl/x509_vfy.h).
private let certNotYetValid: Int32 = 9
private let certHasExpired: Int32 = 10
private let selfSignedLeaf: Int32 = 18
private let unableToGetIssuerLocally: Int32 = 20
private let invalidPurpose: Int32 = 26

private func verify(_ leaf: String, domain: String, service: Int32 = XMPPDNA_SERVICE_XMPP_SERVER, names: [String] = [],
                    flags: UInt32 = 0, direction: Int32 = XMPPDNA_DIR_OUTBOUND, chainFile: String? = nil) -> CVerdict {
    let pki = TestPKI.shared
    return CVerdict.pki(CContext(flags: flags), CChain(pem: pki.bytes(chainFile ?? "\(leaf)-chain.pem")),
                        CRefs(domain: domain, service: service, names: names), direction: direction)
}

@Suite struct PKIVerdictTests {
    @Test func fullCertificateIsAcceptedByDNSID() {
        let verdict = verify("full", domain: "example.com")
        #expect(verdict.accepted)
        #expect(verdict.chainStatus == XMPPDNA_CHAIN_VALID)
        #expect(verdict.matches.contains { $0.0 == XMPPDNA_ID_DNS && $0.1 == "example.com" && $0.3 == "example.com" })
    }

    @Test func domainCaseAndTrailingDotAreNormalised() {
        #expect(verify("full", domain: "EXAMPLE.COM.").accepted)
    }

    @Test func hostingCertificateNeedsTheDelegatedName() {
        let without = verify("host1", domain: "example.com")
        #expect(!without.accepted)
        #expect(without.chainStatus == XMPPDNA_CHAIN_VALID)
        #expect(without.reasons.first?.contains("host1.example.net") == true)
        let with = verify("host1", domain: "example.com", names: ["host1.example.net"])
        #expect(with.accepted)
        #expect(with.matches.map(\.1) == ["host1.example.net"])
    }

    @Test func wildcardCoversExactlyOneLabel() {
        #expect(verify("wildcard", domain: "conf.example.org").accepted)
        #expect(!verify("wildcard", domain: "example.org").accepted)
        #expect(!verify("wildcard", domain: "a.b.example.org").accepted)
        #expect(verify("full", domain: "room.muc.example.com").accepted)
    }

    @Test func srvIDProvesOnlyItsOwnService() {
        #expect(verify("srv-server", domain: "example.com").accepted)
        #expect(verify("srv-server", domain: "example.com", service: XMPPDNA_SERVICE_XMPPS_SERVER).accepted)
        #expect(!verify("srv-server", domain: "example.com", service: XMPPDNA_SERVICE_XMPP_CLIENT).accepted)
        #expect(verify("srv-client", domain: "example.com", service: XMPPDNA_SERVICE_XMPP_CLIENT).accepted)
        #expect(!verify("srv-client", domain: "example.com").accepted)
    }

    @Test func xmppAddrProvesTheDomainForBothServices() {
        #expect(verify("xmppaddr", domain: "example.com").accepted)
        #expect(verify("xmppaddr", domain: "example.com", service: XMPPDNA_SERVICE_XMPP_CLIENT).accepted)
        #expect(verify("xmppaddr", domain: "example.com").matches.first?.0 == XMPPDNA_ID_XMPP)
    }

    @Test func ipSANsMatchOnlyIPReferences() {
        #expect(!verify("ip", domain: "example.com").accepted)
        #expect(verify("ip", domain: "example.com", names: ["192.0.2.1"]).accepted)
        #expect(verify("ip", domain: "example.com", names: ["2001:db8::1"]).accepted)
        var refs: OpaquePointer?
        #expect(xmppdna_refs_new("192.0.2.1", XMPPDNA_SERVICE_XMPP_SERVER, &refs) == XMPPDNA_EBADNAME)
        #expect(refs == nil)
    }

    @Test func commonNameIsUsedOnlyInLegacyModeWithoutSANs() {
        #expect(!verify("cn-only", domain: "example.com").accepted)
        #expect(verify("cn-only", domain: "example.com", flags: XMPPDNA_FLAG_CN_FALLBACK).accepted)
        // host1 has CN host1.example.net and a DNS SAN: the CN is never used.
        let verdict = verify("host1", domain: "example.com", names: ["host1.example.net"], flags: XMPPDNA_FLAG_CN_FALLBACK)
        #expect(verdict.matches.allSatisfy { $0.2 != XMPPDNA_ID_CN })
    }

    @Test func internationalisedNamesMatchInBothForms() {
        #expect(verify("idn", domain: "bücher.example").accepted)
        #expect(verify("idn", domain: "xn--bcher-kva.example").accepted)
        let xmpp = verify("idn", domain: "bücher.example").matches.filter { $0.2 == XMPPDNA_ID_XMPP }
        #expect(xmpp.map(\.3) == ["bücher.example"])
    }

    @Test func partialWildcardIsReportedAndNeverMatches() {
        let verdict = verify("partial-wildcard", domain: "foo.example.com")
        #expect(!verdict.accepted)
        let entry = verdict.presented.first { $0.type == XMPPDNA_ID_DNS }
        #expect(entry?.usable == false)
        #expect(entry?.problem?.contains("partial wildcard") == true)
    }

    @Test func nulByteInSANIsReportedAndNeverMatches() {
        #expect(!verify("nul", domain: "example.com").accepted)
        #expect(!verify("nul", domain: "evil.test", names: ["evil.test"]).accepted)
        let entry = verify("nul", domain: "example.com").presented.first { $0.type == XMPPDNA_ID_DNS }
        #expect(entry?.usable == false)
        #expect(entry?.value == "example.com\\x00.evil.test")
    }

    @Test(arguments: [("expired", certHasExpired), ("not-yet-valid", certNotYetValid),
                      ("wrong-ca", unableToGetIssuerLocally), ("self-signed", selfSignedLeaf)])
    func chainFailuresRejectWithOpenSSLsReason(_ leaf: String, _ code: Int32) {
        let verdict = verify(leaf, domain: "example.com")
        #expect(!verdict.accepted)
        #expect(verdict.chainStatus == XMPPDNA_CHAIN_INVALID)
        #expect(verdict.chainErrorCode == code)
        #expect(verdict.reasons.contains { $0.hasPrefix("the certificate chain does not verify") })
    }

    @Test func keyPurposeSuitsTheDirection() {
        #expect(verify("codesign-eku", domain: "example.com").chainErrorCode == invalidPurpose)
        #expect(verify("codesign-eku", domain: "example.com", direction: XMPPDNA_DIR_INBOUND).chainErrorCode == invalidPurpose)
        #expect(!verify("client-eku", domain: "example.com").accepted)
        #expect(verify("client-eku", domain: "example.com", direction: XMPPDNA_DIR_INBOUND).accepted)
        #expect(verify("full", domain: "example.com", direction: XMPPDNA_DIR_INBOUND).accepted)
        #expect(verify("no-eku", domain: "example.com").accepted)
        #expect(verify("no-eku", domain: "example.com", direction: XMPPDNA_DIR_INBOUND).accepted)
    }

    @Test func leafWithoutItsIntermediateIsRejected() {
        let verdict = verify("full", domain: "example.com", chainFile: "full.pem")
        #expect(!verdict.accepted)
        #expect(verdict.chainErrorCode == unableToGetIssuerLocally)
    }

    @Test func namesOnlyModeSkipsTheChain() {
        let verdict = verify("expired", domain: "example.com", flags: XMPPDNA_FLAG_NO_PKIX)
        #expect(verdict.accepted)
        #expect(verdict.chainStatus == XMPPDNA_CHAIN_NOT_CHECKED)
    }

    @Test func hashedCADirectoryWorksLikeTheFile() {
        let ctx = CContext(caFile: nil)
        #expect(xmppdna_ctx_set_ca_dir(ctx.pointer, TestPKI.shared.path("cadir")) == XMPPDNA_OK)
        let verdict = CVerdict.pki(ctx, CChain(pem: TestPKI.shared.bytes("full-chain.pem")), CRefs(domain: "example.com"))
        #expect(verdict.accepted)
    }

    @Test func unloadableTrustStoreIsAnErrorAndKeepsThePreviousOne() {
        let ctx = CContext()
        #expect(xmppdna_ctx_set_ca_file(ctx.pointer, TestPKI.shared.path("missing.pem")) == XMPPDNA_ETRUST)
        #expect(xmppdna_ctx_set_ca_file(ctx.pointer, TestPKI.shared.path("full.key")) == XMPPDNA_ETRUST)
        #expect(xmppdna_ctx_set_ca_dir(ctx.pointer, TestPKI.shared.path("missing-dir")) == XMPPDNA_ETRUST)
        let verdict = CVerdict.pki(ctx, CChain(pem: TestPKI.shared.bytes("full-chain.pem")), CRefs(domain: "example.com"))
        #expect(verdict.accepted)
    }

    @Test func jsonCarriesTheWholeVerdict() throws {
        let verdict = verify("host1", domain: "example.com")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(verdict.json.utf8)) as? [String: Any])
        #expect(document["accepted"] as? Bool == false)
        #expect((document["chain"] as? [String: Any])?["status"] as? String == "valid")
        #expect((document["matches"] as? [Any])?.isEmpty == true)
        #expect((document["reasons"] as? [String])?.isEmpty == false)
        #expect((document["references"] as? [[String: Any]])?.count == 3)
    }

    @Test func derInputGivesTheSameVerdictAsPEM() {
        let pki = TestPKI.shared
        let chain = CChain(ders: [pki.bytes("full.der"), derOfIntermediate()])
        let der = CVerdict.pki(CContext(), chain, CRefs(domain: "example.com"))
        let pem = verify("full", domain: "example.com")
        #expect(der.json == pem.json)
    }

    private func derOfIntermediate() -> [UInt8] {
        let text = String(decoding: TestPKI.shared.bytes("inter.pem"), as: UTF8.self)
        let body = text.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        return Array(Data(base64Encoded: body)!)
    }
}
