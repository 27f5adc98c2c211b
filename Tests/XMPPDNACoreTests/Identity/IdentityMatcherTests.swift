import Testing
@testable import XMPPDNACore

private func presented(_ type: IdentifierType, _ text: String) -> PresentedIdentifier {
    PresentedIdentifier(type: type, raw: Array(text.utf8))
}

private func ip(_ text: String) -> PresentedIdentifier {
    PresentedIdentifier(type: .ip, raw: try! IPAddress(text).octets)
}

private func reference(_ type: IdentifierType, _ text: String) -> ReferenceIdentifier {
    try! ReferenceIdentifier(type: type, bytes: Array(text.utf8))
}

private let strict = IdentityMatcher()
private let legacy = IdentityMatcher(commonNameFallback: true)

@Suite struct IdentityMatcherTests {
    @Test func dnsIDMatchesDNSSAN() {
        let found = strict.matches(references: [reference(.dns, "example.com")], presented: [presented(.dns, "example.com")])
        #expect(found.count == 1)
    }

    @Test func srvIDMatchesOnlyItsService() {
        let cert = [presented(.srv, "_xmpp-server.example.com")]
        #expect(strict.matches(references: [reference(.srv, "_XMPP-Server.example.com")], presented: cert).count == 1)
        #expect(strict.matches(references: [reference(.srv, "_xmpp-client.example.com")], presented: cert).isEmpty)
        #expect(strict.matches(references: [reference(.dns, "example.com")], presented: cert).isEmpty)
    }

    @Test func srvIDWithULabelsMatchesALabels() {
        let cert = [presented(.srv, "_xmpp-server.xn--bcher-kva.example")]
        #expect(strict.matches(references: [reference(.srv, "_xmpp-server.bücher.example")], presented: cert).count == 1)
    }

    @Test func xmppAddrComparesDomainAfterIDNA() {
        let cert = [presented(.xmpp, "Bücher.example")]
        #expect(strict.matches(references: [reference(.xmpp, "xn--bcher-kva.example")], presented: cert).count == 1)
    }

    @Test func xmppAddrJIDNeedsTheSameLocalpart() {
        let cert = [presented(.xmpp, "juliet@example.com")]
        #expect(strict.matches(references: [reference(.xmpp, "Juliet@example.com")], presented: cert).count == 1)
        #expect(strict.matches(references: [reference(.xmpp, "romeo@example.com")], presented: cert).isEmpty)
        #expect(strict.matches(references: [reference(.xmpp, "example.com")], presented: cert).isEmpty)
    }

    @Test func xmppAddrWithResourceIsUnusable() {
        #expect(!presented(.xmpp, "juliet@example.com/balcony").isUsable)
    }

    @Test func ipMatchesOnlyIPAddressSANs() {
        let cert = [presented(.dns, "example.com"), presented(.cn, "192.0.2.1"), ip("192.0.2.1"), ip("2001:db8::1")]
        #expect(strict.matches(references: [reference(.ip, "192.0.2.1")], presented: cert).map(\.presented.type) == [.ip])
        #expect(strict.matches(references: [reference(.ip, "2001:DB8:0::1")], presented: cert).count == 1)
        #expect(legacy.matches(references: [reference(.ip, "192.0.2.2")], presented: cert).isEmpty)
    }

    @Test func commonNameIsIgnoredByDefault() {
        #expect(strict.matches(references: [reference(.dns, "example.com")], presented: [presented(.cn, "example.com")]).isEmpty)
    }

    @Test func commonNameFallbackOnlyWithoutNameSANs() {
        let cnOnly = [presented(.cn, "example.com")]
        #expect(legacy.matches(references: [reference(.dns, "example.com")], presented: cnOnly).count == 1)
        let withSAN = [presented(.dns, "other.example"), presented(.cn, "example.com")]
        #expect(legacy.matches(references: [reference(.dns, "example.com")], presented: withSAN).isEmpty)
        // An unusable SAN still counts as "the certificate carries a SAN".
        let brokenSAN = [presented(.dns, "f*.example"), presented(.cn, "example.com")]
        #expect(legacy.matches(references: [reference(.dns, "example.com")], presented: brokenSAN).isEmpty)
    }

    @Test func uriIDMatchesSchemeAndHost() {
        let cert = [presented(.uri, "xmpp://example.com/")]
        #expect(strict.matches(references: [reference(.uri, "xmpp:example.com")], presented: cert).count == 1)
        #expect(strict.matches(references: [reference(.uri, "https:example.com")], presented: cert).isEmpty)
    }

    @Test func unusableIdentifiersNeverMatch() {
        let cert = [presented(.dns, "example.com\0.evil.test")]
        #expect(strict.matches(references: [reference(.dns, "example.com")], presented: cert).isEmpty)
    }
}
