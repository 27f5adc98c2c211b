import Testing
@testable import XMPPDNACore

// Strict base64 (RFC 4648 section 4) for POSH fingerprints an attacker may write.

@Suite struct Base64Tests {
    /// RFC 4648 section 10.
    static let vectors: [(String, String)] = [
        ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy"),
    ]

    @Test(arguments: vectors)
    func rfc4648TestVectors(_ plain: String, _ encoded: String) {
        #expect(Base64.encode(Array(plain.utf8)) == encoded)
        #expect(Base64.decode(encoded) == Array(plain.utf8))
    }

    @Test func everyByteValueRoundTrips() {
        let all = (0...255).map { UInt8($0) }
        #expect(Base64.decode(Base64.encode(all)) == all)
        #expect(Base64.encode([0xFB, 0xFF, 0xBF]) == "+/+/")
        for length in 0..<10 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 * 37 + 11) }
            #expect(Base64.decode(Base64.encode(bytes)) == bytes)
        }
    }

    /// Only the one canonical spelling of each value decodes (RFC 4648
    /// section 3.5: the pad bits must be zero).
    @Test(arguments: [
        "Zh==",         // unused bits set
        "Zm9=",         // unused bits set before one pad
        "Z===",         // three pads
        "Zg=a",         // data after a pad
        "Zg==Zg==",     // padding in the middle
        "Z g=",         // whitespace
        "Zg==\n",       // a trailing newline
        "Zg",           // padding missing
        "Zm9vY",        // not a whole quantum
        "-_8=",         // the URL-safe alphabet (section 5) is another encoding
        "Zm9v\u{0}",    // NUL
        "Zm9vYmFy=",    // a pad after a whole quantum
        "====",
    ])
    func nonCanonicalFormsAreRefused(_ text: String) {
        #expect(Base64.decode(text) == nil, "\(text.debugDescription)")
    }

    @Test func aSHA256DigestIsFortyFourCharacters() {
        let digest = [UInt8](repeating: 0xA5, count: 32)
        let text = Base64.encode(digest)
        #expect(text.count == 44 && text.hasSuffix("="))
        #expect(Base64.decode(text) == digest)
    }
}
