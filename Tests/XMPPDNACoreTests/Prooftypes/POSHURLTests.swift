import Testing
@testable import XMPPDNACore

// The only URLs a POSH fetch may follow: https, a host name or IP literal,
// no user information, no fragment (RFC 7711 section 3, RFC 3986).

@Suite struct POSHURLTests {
    @Test func wellKnownLocationFollowsTheServiceName() throws {
        #expect(POSHURL.wellKnown(domain: try DNSName("example.com"), service: .xmppServer).description
                == "https://example.com/.well-known/posh/xmpp-server.json")
        #expect(POSHURL.wellKnown(domain: try DNSName("example.com"), service: .xmppsClient).description
                == "https://example.com/.well-known/posh/xmpp-client.json")
        #expect(try POSHURL("https://[::1]:8443/a?b").description == "https://[::1]:8443/a?b")
    }

    @Test(arguments: [
        ("https://Example.COM", "example.com", 443, "/"),
        ("HTTPS://example.com:8443/p?q=1", "example.com", 8443, "/p?q=1"),
        ("https://example.com?q", "example.com", 443, "/?q"),
        ("https://192.0.2.1/x", "192.0.2.1", 443, "/x"),
        ("https://[2001:DB8::1]:444/", "2001:db8::1", 444, "/"),
        ("https://xn--bcher-kva.example/", "xn--bcher-kva.example", 443, "/"),
    ])
    func urlsAreReadIntoHostPortAndTarget(_ text: String, _ host: String, _ port: Int, _ target: String) throws {
        let url = try POSHURL(text)
        #expect(url.host == host && Int(url.port) == port && url.target == target, "\(text)")
    }

    @Test func theDefaultPortIsLeftOutOfTheAuthority() throws {
        #expect(try POSHURL("https://example.com:443/x").description == "https://example.com/x")
        #expect(try POSHURL("https://[::1]/").authority == "[::1]")
    }

    @Test(arguments: [
        ("http://example.com/", "plain HTTP"),
        ("example.com/x", "is not an https URL"),
        ("https://example.com/#frag", "has a fragment"),
        ("https://u:p@example.com/", "carries user information"),
        ("https://example.com:65536/", "has a bad port"),
        ("https://example.com:/", "has a bad port"),
        ("https://[::1/", "unclosed IPv6 literal"),
        ("https://[::1]x/", "junk after its IPv6 literal"),
        ("https://[::g]/", "has a bad host name"),
        ("https://b\u{FC}cher.example/", "non-ASCII"),       // a URI is ASCII (RFC 3986); IRIs are not followed
        ("https://exa_mple.com/", "has a bad host name"),
        ("https:///x", "has a bad host name"),
        ("https://example.com/a b", "contains spaces"),
    ])
    func badURLsAreRefusedWithAReason(_ text: String, _ reason: String) {
        let error = #expect(throws: POSHError.self) { try POSHURL(text) }
        #expect(error.map { "\($0)".contains(reason) } == true, "\(text): \(error.map { "\($0)" } ?? "accepted")")
    }

    @Test func overlongURLsAreRefused() {
        let long = "https://example.com/" + String(repeating: "a", count: POSHURL.maxLength)
        #expect(throws: POSHError.badURL("the URL is longer than 2048 bytes")) { try POSHURL(long) }
    }
}
