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

    static let digest = String(repeating: "A", count: 43) + "="
    static let malformed: [(String, String)] = [
        ("", "ends where a value"),
        ("[]", "not an object"),
        (#"{"fingerprints":[{"sha-256":"\#(digest)"}]}"#, "\"expires\" is missing"),
        (#"{"fingerprints":[{"sha-256":"\#(digest)"}],"expires":0}"#, "\"expires\" is 0"),
        (#"{"fingerprints":[{"sha-256":"\#(digest)"}],"expires":-1}"#, "non-negative whole number"),
        (#"{"fingerprints":[{"sha-256":"\#(digest)"}],"expires":1.5}"#, "non-negative whole number"),
        (#"{"fingerprints":[{"sha-256":"\#(digest)"}],"expires":"60"}"#, "not a number"),
        (#"{"fingerprints":[{"sha-256":"\#(digest)"}],"expires":4294967296}"#, "below 2^32"),
        (#"{"expires":60}"#, "neither"),
        (#"{"fingerprints":[{"sha-256":"\#(digest)"}],"url":"https://a.example/","expires":60}"#, "both"),
        (#"{"fingerprints":[],"expires":60}"#, "is empty"),
        (#"{"fingerprints":{},"expires":60}"#, "not an array"),
        (#"{"fingerprints":[{}],"expires":60}"#, "names no hash"),
        (#"{"fingerprints":["abc"],"expires":60}"#, "not an object"),
        (#"{"fingerprints":[{"sha-256":42}],"expires":60}"#, "not a base64 string"),
        (#"{"fingerprints":[{"sha-256":"AAAA"}],"expires":60}"#, "is 3 bytes"),
        (#"{"fingerprints":[{"sha-256":"\#(String(repeating: "A", count: 42))B="}],"expires":60}"#, "not canonical base64"),
        (#"{"fingerprints":[{"sha-256":"\#(String(repeating: "A", count: 43))"}],"expires":60}"#, "not canonical base64"),
        (#"{"fingerprints":[{"sha-256":"\#(digest)"},],"expires":60}"#, "unexpected character"),
        (#"{"fingerprints":[{"sha-256":"\#(digest)"}],"expires":60,"expires":61}"#, "appears twice"),
        (#"{"fingerprints":[{"sha-256":"\#(digest)"}],"expires":60} x"#, "after the value"),
        (#"{"fingerprints":[{"sha-256":"\#(digest)"}],"expires":060}"#, "leading zeros"),
        (#"{'fingerprints':[],"expires":60}"#, "member name in quotes"),
        (#"{"url":"http://a.example/x.json","expires":60}"#, "plain HTTP"),
        (#"{"url":"ftp://a.example/x.json","expires":60}"#, "not an https URL"),
        (#"{"url":"https://user@a.example/x.json","expires":60}"#, "user information"),
        (#"{"url":"https://a.example:0/x.json","expires":60}"#, "bad port"),
        (#"{"url":"https://a b.example/","expires":60}"#, "spaces"),
        (#"{"url":"https://-bad-.example/","expires":60}"#, "bad host name"),
        (#"{"url":42,"expires":60}"#, "not a string"),
        (#"{"url":"https://a.example/\ud800","expires":60}"#, "low one"),
        ("{\"url\":\"https://a.example/\u{1}\",\"expires\":60}", "control character"),
    ]

    @Test(arguments: malformed) func malformedDocumentsSayWhy(_ json: String, _ expected: String) {
        do {
            _ = try document(json)
            Issue.record("accepted: \(json)")
        } catch {
            #expect("\(error)".contains(expected), "\(error)")
        }
    }

    @Test func limitsOnSizeDepthAndCountHold() {
        let big = #"{"expires":60,"pad":""# + String(repeating: "x", count: 65_536) + #"","fingerprints":[{"sha-256":"\#(Self.digest)"}]}"#
        #expect(throws: POSHError.malformed("invalid JSON at byte 65536: the document is larger than 65536 bytes")) { try document(big) }
        let deep = String(repeating: "[", count: 40) + String(repeating: "]", count: 40)
        #expect(throws: POSHError.self) { try document(#"{"expires":60,"x":\#(deep),"fingerprints":[{"sha-256":"\#(Self.digest)"}]}"#) }
        let many = Array(repeating: #"{"sha-256":"\#(Self.digest)"}"#, count: 33).joined(separator: ",")
        #expect(throws: POSHError.self) { try document(#"{"fingerprints":[\#(many)],"expires":60}"#) }
        #expect(throws: POSHError.self) { try POSHDocument.parse([0x7B, 0xFF, 0xFE, 0x7D]) }
        #expect(throws: POSHError.self) { try POSHDocument.parse([0xEF, 0xBB, 0xBF] + Array("{}".utf8)) }
    }

    @Test func jsonEscapesAndSurrogatePairsDecode() throws {
        let value = try JSONParser.parse(Array(#"{"a":"\u00e9\ud83d\ude00\n\/","b":[true,false,null,-0.5e+3]}"#.utf8))
        #expect(value == .object([("a", .string("é😀\n/")), ("b", .array([.bool(true), .bool(false), .null, .number("-0.5e+3")]))]))
    }

    @Test func base64RoundTripsAndRefusesNonCanonicalForms() {
        for length in 0..<10 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 * 37 + 11) }
            #expect(Base64.decode(Base64.encode(bytes)) == bytes)
        }
        #expect(Base64.decode("Zg==") == [0x66])
        #expect(Base64.decode("Zh==") == nil)   // unused bits set
        #expect(Base64.decode("Z===") == nil)
        #expect(Base64.decode("Zg=a") == nil)
        #expect(Base64.decode("Zg==Zg==") == nil)
        #expect(Base64.decode("Z g=") == nil)
    }

    @Test func wellKnownLocationFollowsTheServiceName() throws {
        #expect(POSHURL.wellKnown(domain: try DNSName("example.com"), service: .xmppServer).description
                == "https://example.com/.well-known/posh/xmpp-server.json")
        #expect(POSHURL.wellKnown(domain: try DNSName("example.com"), service: .xmppsClient).description
                == "https://example.com/.well-known/posh/xmpp-client.json")
        #expect(try POSHURL("https://[::1]:8443/a?b").description == "https://[::1]:8443/a?b")
    }
}
