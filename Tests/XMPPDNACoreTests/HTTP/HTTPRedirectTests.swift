import Testing
@testable import XMPPDNACore

private let asked = try! POSHURL("https://example.com/.well-known/posh/xmpp-server.json")

private func redirect(_ locations: [String]) -> String {
    let head = "HTTP/1.1 302 Found\r\n" + locations.map { "Location: \($0)\r\n" }.joined() + "Content-Length: 0\r\n\r\n"
    do {
        let response = try HTTPResponse.parse(Array(head.utf8), maxBody: 64)
        return try HTTPRedirect.target(of: response, from: asked).description
    } catch {
        return "\(error)"
    }
}

/// Where a redirect may lead a POSH fetch, and how every other Location is refused.
@Suite struct HTTPRedirectTests {
    @Test(arguments: [
        ("https://hosting.example.net/posh.json", "https://hosting.example.net/posh.json"),
        ("HTTPS://Hosting.Example.NET:8443/p", "https://hosting.example.net:8443/p"),
        ("/moved/xmpp-server.json", "https://example.com/moved/xmpp-server.json"),
        ("//hosting.example.net/p?x=1", "https://hosting.example.net/p?x=1"),
    ])
    func usableLocationIsFollowedOverHTTPS(_ location: String, _ target: String) {
        #expect(redirect([location]) == target)
    }

    @Test(arguments: [
        ([], "redirects without a Location"),
        (["/a", "/b"], "more than one Location"),
        ([""], "a relative reference"),
        (["moved.json"], "a relative reference"),
        (["../x.json"], "a relative reference"),
        (["?x=1"], "a relative reference"),
        (["1http://example.com/"], "a relative reference"),
        (["http://example.com/x"], "plain HTTP"),
        (["ftp://example.com/x"], "not an https URL"),
        (["javascript:alert(1)"], "not an https URL"),
        (["https://user@example.com/"], "user information"),
        (["https://example.com/a b"], "contains spaces"),
        (["https://example.com:0/"], "bad port"),
        (["https://example.com/x#frag"], "fragment"),
        (["https:///nohost"], "bad host name"),
        (["/" + String(repeating: "a", count: 3000)], "longer than 2048 bytes"),
    ])
    func unusableLocationIsRefusedWithAReason(_ locations: [String], _ reason: String) {
        let outcome = redirect(locations)
        #expect(outcome.contains(reason), "\(locations): \(outcome)")
    }
}
