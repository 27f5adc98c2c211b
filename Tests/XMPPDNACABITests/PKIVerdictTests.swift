import CXMPPDNA
import Foundation
import Testing

// OpenSSL X509_V_ERR_* codes (include/openssl/x509_vfy.h).
private let certNotYetValid: Int32 = 9
private let certHasExpired: Int32 = 10
private let selfSignedLeaf: Int32 = 18
private let unableToGetIssuerLocally: Int32 = 20
private let invalidPurpose: Int32 = 26

/// The PKI prooftype alone: a request for {PKI} that looks nothing up.
private func verify(_ leaf: String, domain: String, service: Int32 = XMPPDNA_SERVICE_XMPP_SERVER, names: [String] = [],
                    flags: UInt32 = 0, requestFlags: UInt32 = UInt32(XMPPDNA_REQUEST_NO_LOOKUPS),
                    direction: Int32 = XMPPDNA_DIR_OUTBOUND, chainFile: String? = nil) -> CVerdict {
    let pki = TestPKI.shared
    return CVerdict.of(CContext(flags: flags), CChain(pem: pki.bytes(chainFile ?? "\(leaf)-chain.pem")),
                       CRequest(domain: domain, service: service, direction: direction, names: names, flags: requestFlags))
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
        #expect(without.findings.first?.code == XMPPDNA_FINDING_PKI_NO_NAME_MATCHES)
        #expect(without.findings.first.map { String(cString: $0.seen) } == "DNS-ID host1.example.net")
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
        var request: OpaquePointer?
        #expect(xmppdna_request_new("192.0.2.1", XMPPDNA_SERVICE_XMPP_SERVER, XMPPDNA_DIR_OUTBOUND, &request) == XMPPDNA_EBADNAME)
        #expect(request == nil)
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
        let finding = verdict.findings.first { $0.code == XMPPDNA_FINDING_PKI_CHAIN_INVALID }
        #expect(finding?.openssl_code == code && finding?.prooftype == XMPPDNA_PROOF_PKI && finding?.outcome == XMPPDNA_ATTEMPT_REJECTED)
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
        let verdict = verify("expired", domain: "example.com",
                             requestFlags: UInt32(XMPPDNA_REQUEST_NO_LOOKUPS | XMPPDNA_REQUEST_NAMES_ONLY))
        #expect(verdict.accepted)
        #expect(verdict.chainStatus == XMPPDNA_CHAIN_NOT_CHECKED)
        #expect(verdict.findings.first?.code == XMPPDNA_FINDING_PKI_CHAIN_NOT_CHECKED)
        // Names only vouches for names: no other prooftype may run beside it.
        var out: OpaquePointer?
        let both = CRequest(domain: "example.com", prooftypes: [XMPPDNA_PROOF_DANE, XMPPDNA_PROOF_PKI],
                            flags: UInt32(XMPPDNA_REQUEST_NO_LOOKUPS | XMPPDNA_REQUEST_NAMES_ONLY))
        let chain = CChain(pem: TestPKI.shared.bytes("expired-chain.pem")), ctx = CContext()
        #expect(withExtendedLifetime((ctx, chain, both)) { xmppdna_verify(ctx.pointer, chain.pointer, both.pointer, &out) } == XMPPDNA_EINVAL)
        #expect(out == nil)
    }

    @Test func presentedIdentifiersAloneAreMatchedByName() {
        let request = CRequest(domain: "example.com", flags: UInt32(XMPPDNA_REQUEST_NO_LOOKUPS | XMPPDNA_REQUEST_NAMES_ONLY))
        #expect(request.add(presented: XMPPDNA_ID_DNS, Array("*.example.com".utf8)) == XMPPDNA_OK)
        #expect(!CVerdict.of(CContext(), nil, request).accepted)
        #expect(request.add(presented: XMPPDNA_ID_DNS, Array("example.com".utf8)) == XMPPDNA_OK)
        let verdict = CVerdict.of(CContext(), nil, request)
        #expect(verdict.accepted && verdict.chainStatus == XMPPDNA_CHAIN_NOT_CHECKED)
        #expect(verdict.presented.map(\.value) == ["*.example.com", "example.com"])
        // Without NAMES_ONLY, names without a chain prove nothing.
        let strict = CRequest(domain: "example.com")
        #expect(strict.add(presented: XMPPDNA_ID_DNS, Array("example.com".utf8)) == XMPPDNA_OK)
        #expect(!CVerdict.of(CContext(), nil, strict).accepted)
    }

    @Test func aPeerWithoutACertificateCanBeAcceptedByDialbackAlone() {
        let request = CRequest(domain: "example.com", prooftypes: [XMPPDNA_PROOF_PKI, XMPPDNA_PROOF_DIALBACK])
        #expect(xmppdna_request_set_dialback(request.pointer, XMPPDNA_DIALBACK_VERIFIED) == XMPPDNA_OK)
        let verdict = CVerdict.of(CContext(), nil, request)
        #expect(verdict.accepted && xmppdna_verdict_prooftype(verdict.pointer) == XMPPDNA_PROOF_DIALBACK)
        #expect(verdict.findings.map(\.code) == [XMPPDNA_FINDING_NO_CERTIFICATE, XMPPDNA_FINDING_DIALBACK_WEAK])
    }

    @Test func hashedCADirectoryWorksLikeTheFile() {
        let ctx = CContext(caFile: nil)
        #expect(xmppdna_ctx_set_ca(ctx.pointer, nil, TestPKI.shared.path("cadir")) == XMPPDNA_OK)
        let verdict = CVerdict.of(ctx, CChain(pem: TestPKI.shared.bytes("full-chain.pem")), CRequest(domain: "example.com"))
        #expect(verdict.accepted)
    }

    @Test func unloadableTrustStoreIsAnErrorAndKeepsThePreviousOne() {
        let ctx = CContext()
        #expect(xmppdna_ctx_set_ca(ctx.pointer, TestPKI.shared.path("missing.pem"), nil) == XMPPDNA_ETRUST)
        #expect(xmppdna_ctx_set_ca(ctx.pointer, TestPKI.shared.path("full.key"), nil) == XMPPDNA_ETRUST)
        #expect(xmppdna_ctx_set_ca(ctx.pointer, nil, TestPKI.shared.path("missing-dir")) == XMPPDNA_ETRUST)
        let verdict = CVerdict.of(ctx, CChain(pem: TestPKI.shared.bytes("full-chain.pem")), CRequest(domain: "example.com"))
        #expect(verdict.accepted)
    }

    @Test func jsonCarriesTheWholeVerdict() throws {
        let verdict = verify("host1", domain: "example.com")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(verdict.json.utf8)) as? [String: Any])
        #expect(document["schema_version"] as? Int == 1)
        #expect(document["accepted"] as? Bool == false)
        let pki = try #require(document["pki"] as? [String: Any])
        #expect((pki["chain"] as? [String: Any])?["status"] as? String == "valid")
        #expect((pki["matches"] as? [Any])?.isEmpty == true)
        #expect((pki["reasons"] as? [String])?.isEmpty == false)
        #expect((pki["references"] as? [[String: Any]])?.count == 3)
        let attempts = try #require(document["attempts"] as? [[String: Any]])
        let findings = try #require(attempts.first?["findings"] as? [[String: Any]])
        #expect(findings.first?["code"] as? String == "pki_no_name_matches" && findings.first?["number"] as? Int == 102)
    }

    @Test func derInputGivesTheSameVerdictAsPEM() {
        let pki = TestPKI.shared
        let chain = CChain(ders: [pki.bytes("full.der"), derOfIntermediate()])
        let der = CVerdict.of(CContext(), chain, CRequest(domain: "example.com"))
        let pem = verify("full", domain: "example.com")
        #expect(der.json == pem.json)
    }

    private func derOfIntermediate() -> [UInt8] {
        let text = String(decoding: TestPKI.shared.bytes("inter.pem"), as: UTF8.self)
        let body = text.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        return Array(Data(base64Encoded: body)!)
    }
}
