import Testing
@testable import XMPPDNACore

// A POSH document read strictly (RFC 7711 section 3, RFC 8259): every way a
// document can be wrong is refused with a reason. Matching documents
// against real certificates is in Tests/XMPPDNATests/POSHDocumentTests.swift.

private func document(_ json: String) throws(POSHError) -> POSHDocument { try POSHDocument.parse(Array(json.utf8)) }

private func fingerprints(_ document: POSHDocument) -> [POSHFingerprint] {
    if case .fingerprints(let list) = document.body { return list }
    return []
}

@Suite struct POSHDocumentTests {
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

    /// The shape mod_s2s_auth_posh publishes: one sha-256 of the DER certificate.
    @Test func aFingerprintDocumentKeepsItsDigests() throws {
        let sha256 = [UInt8](repeating: 0x5A, count: 32)
        let sha512 = [UInt8](repeating: 0xA5, count: 64)
        let posh = try document(#"{"fingerprints":[{"sha-256":"\#(Base64.encode(sha256))"},"#
                                + #"{"sha-512":"\#(Base64.encode(sha512))","sha-256":"\#(Base64.encode(sha256))"}],"expires":86400}"#)
        #expect(posh.expires == 86400)
        let list = fingerprints(posh)
        #expect(list.count == 2)
        #expect(list[0].digests == [.sha256: sha256] && list[0].ignored.isEmpty)
        #expect(list[1].digests == [.sha256: sha256, .sha512: sha512])
        #expect(list[1].strongest?.hash == .sha512 && list[1].strongest?.digest == sha512)
    }

    /// Hash names outside the three used are read and set aside, never trusted;
    /// a document with nothing else is refused.
    @Test func weakAndUnknownHashesAreIgnored() throws {
        let sha1 = Base64.encode([UInt8](repeating: 1, count: 20))
        let sha256 = Base64.encode([UInt8](repeating: 2, count: 32))
        let both = try document(#"{"fingerprints":[{"sha-1":"\#(sha1)","md5":"x","sha-256":"\#(sha256)"}],"expires":60}"#)
        #expect(fingerprints(both)[0].ignored == ["sha-1", "md5"])
        #expect(fingerprints(both)[0].strongest?.hash == .sha256)
        #expect(throws: POSHError.malformed("no fingerprint uses a supported hash (sha-256, sha-384, sha-512)")) {
            try document(#"{"fingerprints":[{"sha-1":"\#(sha1)"}],"expires":60}"#)
        }
        // A descriptor of ignored hashes beside a usable one is kept, with no strongest digest.
        let mixed = try document(#"{"fingerprints":[{"sha-1":"\#(sha1)"},{"sha-256":"\#(sha256)"}],"expires":60}"#)
        #expect(fingerprints(mixed).map { $0.strongest == nil } == [true, false])
    }

    @Test func expiresSpansOneSecondToTheLargestUInt32() throws {
        let digest = Self.digest
        #expect(try document(#"{"fingerprints":[{"sha-256":"\#(digest)"}],"expires":1}"#).expires == 1)
        #expect(try document(#"{"fingerprints":[{"sha-256":"\#(digest)"}],"expires":4294967295}"#).expires == UInt32.max)
    }

    /// Thirty-two descriptors are read; the thirty-third is one too many.
    @Test func atMostThirtyTwoFingerprints() throws {
        let one = #"{"sha-256":"\#(Self.digest)"}"#
        let most = Array(repeating: one, count: 32).joined(separator: ",")
        #expect(fingerprints(try document(#"{"fingerprints":[\#(most)],"expires":60}"#)).count == POSHDocument.maxFingerprints)
        #expect(throws: POSHError.malformed("\"fingerprints\" has 33 entries; at most 32 are read")) {
            try document(#"{"fingerprints":[\#(most),\#(one)],"expires":60}"#)
        }
    }

    @Test func membersOtherThanTheThreeAreIgnored() throws {
        let posh = try document(#"{"note":{"x":[1,2]},"expires":60,"fingerprints":[{"sha-256":"\#(Self.digest)"}]}"#)
        #expect(fingerprints(posh).count == 1)
    }

    /// RFC 7711 section 3.2.
    @Test func aReferenceNamesAnHTTPSURL() throws {
        let posh = try document(#"{"url":"https://hosting.example.net:8443/posh/xmpp-server.json","expires":600}"#)
        guard case .reference(let url) = posh.body else { Issue.record("not a reference"); return }
        #expect(url.description == "https://hosting.example.net:8443/posh/xmpp-server.json")
        #expect(posh.expires == 600)
    }
}
