import Testing
@testable import XMPPDNA
@testable import XMPPDNACore
@testable import XMPPDNANet
@testable import XMPPDNAOpenSSL
@testable import XMPPDNAResolver

@Suite struct DialbackKeyTests {
    /// The example of XEP-0185 section 3.
    @Test func matchesTheXEP0185TestVector() {
        let key = DialbackKey.generate(secret: Array("s3cr3tf0rd14lb4ck".utf8), receiving: "xmpp.example.com",
                                       originating: "example.org", streamID: "D60000229F")
        #expect(key == "37c69b1cf07a3f67c04a5ef5902fa5114f2c76fe4a2686482ba5b89323075643")
        #expect(DialbackKey.sha256Hex(Array("s3cr3tf0rd14lb4ck".utf8)) == "a7136eb1f46c9ef18c5e78c36ca257067c69b3d518285f0b18a96c33beae9acc")
    }

    @Test func verifiesOnlyTheRightKey() {
        let secret = Array("s3cr3tf0rd14lb4ck".utf8)
        let good = "37c69b1cf07a3f67c04a5ef5902fa5114f2c76fe4a2686482ba5b89323075643"
        #expect(DialbackKey.verify(good, secret: secret, receiving: "xmpp.example.com", originating: "example.org", streamID: "D60000229F"))
        #expect(DialbackKey.verify(good.uppercased(), secret: secret, receiving: "xmpp.example.com", originating: "example.org", streamID: "D60000229F"))
        // Swapped roles, another stream, a truncated key: all refused.
        #expect(!DialbackKey.verify(good, secret: secret, receiving: "example.org", originating: "xmpp.example.com", streamID: "D60000229F"))
        #expect(!DialbackKey.verify(good, secret: secret, receiving: "xmpp.example.com", originating: "example.org", streamID: "D60000229G"))
        #expect(!DialbackKey.verify(String(good.dropLast()), secret: secret, receiving: "xmpp.example.com", originating: "example.org", streamID: "D60000229F"))
        #expect(!DialbackKey.verify("", secret: secret, receiving: "xmpp.example.com", originating: "example.org", streamID: "D60000229F"))
    }

    @Test func strengthFollowsTheDNSStatus() {
        #expect(DialbackVerdict(keyMatches: true, dnsStatus: .secure).strength == .strong)
        let weak = DialbackVerdict(keyMatches: true, dnsStatus: .insecure)
        #expect(weak.strength == .weak)
        #expect(weak.reason.contains("only as trustworthy"))
        #expect(DialbackVerdict(keyMatches: true, dnsStatus: .bogus(.dnssecBogus("x"))).strength == .weak)
        #expect(!DialbackVerdict(keyMatches: false, dnsStatus: .secure).keyMatches)
    }
}
