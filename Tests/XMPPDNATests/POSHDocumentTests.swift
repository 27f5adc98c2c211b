import Testing
@testable import XMPPDNA
@testable import XMPPDNACore
@testable import XMPPDNANet
@testable import XMPPDNAOpenSSL
@testable import XMPPDNAResolver

private let pki = FixturePKI.shared

private func certificateFingerprint(_ pem: String, _ hash: String = "sha256") -> String {
    pki.base64("openssl x509 -in \(pem) -outform DER | openssl dgst -\(hash) -binary")
}

private func keyFingerprint(_ pem: String, _ hash: String = "sha256") -> String {
    pki.base64("openssl x509 -in \(pem) -noout -pubkey | openssl pkey -pubin -outform DER | openssl dgst -\(hash) -binary")
}

private func document(_ json: String) throws -> POSHDocument { try POSHDocument.parse(Array(json.utf8)) }

@Suite struct POSHDocumentTests {
    /// The shape mod_s2s_auth_posh prints: one sha-256 of the DER certificate.
    @Test func prosodyStyleDocumentMatchesTheCertificate() throws {
        let posh = try document(#"{"fingerprints":[{"sha-256":"\#(certificateFingerprint("host1.pem"))"}],"expires":86400}"#)
        #expect(posh.expires == 86400)
        let outcome = POSH.verify(document: posh, chain: pki.chain("host1-chain.pem"))
        #expect(outcome.result == .accepted, "\(outcome.reason)")
        #expect(outcome.reason.contains("certificate matches sha-256"))
    }

    @Test func keyFingerprintMatchesTooAndSaysSo() throws {
        let posh = try document(#"{"expires": 3600, "fingerprints": [ {"sha-512": "\#(keyFingerprint("host1.pem", "sha512"))"} ]}"#)
        let outcome = POSH.verify(document: posh, chain: pki.chain("host1-chain.pem"))
        #expect(outcome.result == .accepted)
        #expect(outcome.reason.contains("public key matches sha-512"))
    }

    @Test func otherCertificateDoesNotMatch() throws {
        let posh = try document(#"{"fingerprints":[{"sha-256":"\#(certificateFingerprint("full.pem"))"}],"expires":60}"#)
        #expect(POSH.verify(document: posh, chain: pki.chain("host1-chain.pem")).result == .noMatch)
        // Only the end-entity certificate counts, not the intermediate the chain also carries.
        let intermediate = try document(#"{"fingerprints":[{"sha-256":"\#(certificateFingerprint("inter.pem"))"}],"expires":60}"#)
        #expect(POSH.verify(document: intermediate, chain: pki.chain("host1-chain.pem")).result == .noMatch)
    }

    @Test func rolloverListsTwoCertificatesAndEitherMatches() throws {
        let posh = try document(#"{"fingerprints":[{"sha-256":"\#(certificateFingerprint("full.pem"))"},{"sha-256":"\#(certificateFingerprint("host1.pem"))"}],"expires":60}"#)
        #expect(POSH.verify(document: posh, chain: pki.chain("host1-chain.pem")).result == .accepted)
        #expect(POSH.verify(document: posh, chain: pki.chain("full-chain.pem")).result == .accepted)
        #expect(POSH.verify(document: posh, chain: pki.chain("wildcard-chain.pem")).result == .noMatch)
    }

    /// With sha-512 present, a matching sha-256 beside it cannot carry the match.
    @Test func onlyTheStrongestDigestOfADescriptorCounts() throws {
        let posh = try document(#"{"fingerprints":[{"sha-256":"\#(certificateFingerprint("host1.pem"))","sha-512":"\#(certificateFingerprint("full.pem", "sha512"))"}],"expires":60}"#)
        #expect(POSH.verify(document: posh, chain: pki.chain("host1-chain.pem")).result == .noMatch)
    }

    @Test func unknownAndWeakHashesAreIgnoredNotTrusted() throws {
        let sha1 = certificateFingerprint("host1.pem", "sha1")
        let both = try document(#"{"fingerprints":[{"sha-1":"\#(sha1)","sha-256":"\#(certificateFingerprint("host1.pem"))"}],"expires":60}"#)
        guard case .fingerprints(let list) = both.body else { Issue.record("not fingerprints"); return }
        #expect(list[0].ignored == ["sha-1"])
        #expect(throws: POSHError.self) { try document(#"{"fingerprints":[{"sha-1":"\#(sha1)"}],"expires":60}"#) }
    }

    @Test func referenceIsParsedAndCannotBeVerifiedDirectly() throws {
        let posh = try document(#"{"url":"https://hosting.example.net:8443/posh/xmpp-server.json","expires":600}"#)
        guard case .reference(let url) = posh.body else { Issue.record("not a reference"); return }
        #expect(url.host == "hosting.example.net" && url.port == 8443 && url.target == "/posh/xmpp-server.json")
        #expect(POSH.verify(document: posh, chain: pki.chain("host1-chain.pem")).result == .notApplicable)
    }
}
