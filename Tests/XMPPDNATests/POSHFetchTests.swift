import Testing
@testable import XMPPDNA
@testable import XMPPDNACore
@testable import XMPPDNANet
@testable import XMPPDNAOpenSSL
@testable import XMPPDNAResolver
import XMPPDNAIO

private let web = HTTPSWorld.fetchSuite
private let pki = FixturePKI.shared
private let wellKnown = ".well-known/posh/xmpp-server.json"

private func fingerprints(_ pem: String, expires: Int) -> String {
    let digest = pki.base64("openssl x509 -in \(pem) -outform DER | openssl dgst -sha256 -binary")
    return #"{"fingerprints":[{"sha-256":"\#(digest)"}],"expires":\#(expires)}"#
}

private func failure(_ result: Result<POSHFetched, POSHError>) -> String {
    if case .failure(let error) = result { return "\(error)" }
    return "fetched"
}

/// POSH over a real HTTPS server on loopback with the fixture PKI.
@Suite(.serialized, .enabled(if: HTTPSWorld.fetchSuite.started, "the loopback HTTPS server did not start"))
struct POSHFetchTests {
    @Test func documentAtTheWellKnownLocationProvesTheHostingCertificate() async throws {
        web.put("example.com", wellKnown, fingerprints("host1.pem", expires: 3600))
        let fetched = try await web.fetcher().fetch(domain: try DNSName("example.com"), service: .xmppServer).get()
        #expect(fetched.expires == 3600)
        #expect(fetched.source == "https://example.com/.well-known/posh/xmpp-server.json")
        #expect(POSH.verify(document: fetched.document, chain: pki.chain("host1-chain.pem")).result == .accepted)
        #expect(POSH.verify(document: fetched.document, chain: pki.chain("wildcard-chain.pem")).result == .noMatch)
    }

    @Test func chunkedBodyIsReassembled() async throws {
        web.put("example.com", ".well-known/posh/xmpp-client.json", fingerprints("host1.pem", expires: 60))
        web.put("example.com", ".well-known/posh/xmpp-client.json.chunked", "")
        defer { web.put("example.com", ".well-known/posh/xmpp-client.json", "gone") }
        let fetched = try await web.fetcher().fetch(domain: try DNSName("example.com"), service: .xmppsClient).get()
        #expect(POSH.verify(document: fetched.document, chain: pki.chain("host1-chain.pem")).result == .accepted)
    }

    /// The hosted domain points at the hosting provider's file (RFC 7711 section 3.2).
    @Test func referenceIsFollowedOnceAndTheLowerExpiresWins() async throws {
        web.put("insecure.example", wellKnown, #"{"url":"\#(web.base)/hosting/xmpp-server.json","expires":300}"#)
        web.put("default", "hosting/xmpp-server.json", fingerprints("host1.pem", expires: 60))
        let fetched = try await web.fetcher().fetch(domain: try DNSName("insecure.example"), service: .xmppServer).get()
        #expect(fetched.expires == 60)
        #expect(fetched.source.contains("-> \(web.base)/hosting/xmpp-server.json"))
        #expect(POSH.verify(document: fetched.document, chain: pki.chain("host1-chain.pem")).result == .accepted)
    }

    @Test func referenceToAReferenceIsALoopAndFails() async throws {
        web.put("insecure.example", wellKnown, #"{"url":"\#(web.base)/loop-a.json","expires":300}"#)
        web.put("default", "loop-a.json", #"{"url":"https://insecure.example/.well-known/posh/xmpp-server.json","expires":300}"#)
        let result = await web.fetcher().fetch(domain: try DNSName("insecure.example"), service: .xmppServer)
        #expect(failure(result).contains("only one url hop"), "\(failure(result))")
    }

    @Test func redirectsAreFollowedOverHTTPSOnly() async throws {
        web.put("hosting.example.net", "\(wellKnown).redirect", "/moved/xmpp-server.json")
        web.put("hosting.example.net", "moved/xmpp-server.json", fingerprints("host1.pem", expires: 60))
        let fetched = try await web.fetcher().fetch(domain: try DNSName("hosting.example.net"), service: .xmppServer).get()
        #expect(fetched.source == "https://hosting.example.net/moved/xmpp-server.json")

        web.put("hosting.example.net", "\(wellKnown).redirect", "http://127.0.0.1:\(web.port)/moved/xmpp-server.json")
        let plain = await web.fetcher().fetch(domain: try DNSName("hosting.example.net"), service: .xmppServer)
        #expect(failure(plain).contains("plain HTTP"), "\(failure(plain))")
        web.put("hosting.example.net", "\(wellKnown).redirect", "/\(wellKnown)")
        let toItself = await web.fetcher().fetch(domain: try DNSName("hosting.example.net"), service: .xmppServer)
        #expect(failure(toItself).contains("a redirect loop"), "\(failure(toItself))")
    }

    /// Issue #17: a chunk size of -2 killed the process with SIGILL; inside
    /// Prosody, any peer's domain could take the server down this way.
    @Test func hostileChunkSizeIsAFetchErrorNotACrash() async throws {
        web.put("example.com", "\(wellKnown).raw",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n-2\r\n{}\r\n0\r\n\r\n")
        defer { web.remove("example.com", "\(wellKnown).raw") }
        let result = await web.fetcher().fetch(domain: try DNSName("example.com"), service: .xmppServer)
        #expect(failure(result).contains("malformed chunk size"), "\(failure(result))")
    }

    @Test(arguments: [
        ("HTTP/1.1 302 Found\r\nContent-Length: 0\r\n\r\n", "redirects without a Location"),
        ("HTTP/1.1 302 Found\r\nLocation: /a\r\nLocation: /b\r\nContent-Length: 0\r\n\r\n", "more than one Location"),
        ("HTTP/1.1 301 Moved\r\nLocation: moved.json\r\nContent-Length: 0\r\n\r\n", "relative reference"),
        ("HTTP/1.1 307 Moved\r\nLocation: ftp://hosting.example.net/x\r\nContent-Length: 0\r\n\r\n", "not an https URL"),
        ("HTTP/1.1 308 Moved\r\nLocation: http://hosting.example.net/x\r\nContent-Length: 0\r\n\r\n", "plain HTTP"),
    ])
    func redirectWithoutOneUsableLocationFails(_ response: String, _ reason: String) async throws {
        web.put("hosting.example.net", "\(wellKnown).raw", response)
        defer { web.remove("hosting.example.net", "\(wellKnown).raw") }
        let result = await web.fetcher().fetch(domain: try DNSName("hosting.example.net"), service: .xmppServer)
        #expect(failure(result).contains(reason), "\(failure(result))")
    }

    @Test func redirectLoopAndTooManyRedirectsFail() async throws {
        web.put("hosting.example.net", "\(wellKnown).redirect", "/loop-b.json")
        web.put("hosting.example.net", "loop-b.json.redirect", "/\(wellKnown)")
        defer { web.remove("hosting.example.net", "\(wellKnown).redirect") }
        let loop = await web.fetcher().fetch(domain: try DNSName("hosting.example.net"), service: .xmppServer)
        #expect(failure(loop).contains("redirect loop"), "\(failure(loop))")

        web.put("hosting.example.net", "\(wellKnown).redirect", "/r1")
        for hop in 1...3 { web.put("hosting.example.net", "r\(hop).redirect", "/r\(hop + 1)") }
        let many = await web.fetcher().fetch(domain: try DNSName("hosting.example.net"), service: .xmppServer)
        #expect(failure(many).contains("more than 3 redirects"), "\(failure(many))")
    }

    /// The loop bound is 0...maxRedirects; a negative setting trapped there.
    @Test func negativeRedirectLimitFollowsNoneAndDoesNotTrap() async throws {
        web.put("hosting.example.net", "\(wellKnown).redirect", "/moved/xmpp-server.json")
        defer { web.remove("hosting.example.net", "\(wellKnown).redirect") }
        let result = await web.fetcher(maxRedirects: -1).fetch(domain: try DNSName("hosting.example.net"), service: .xmppServer)
        #expect(failure(result).contains("more than 0 redirects"), "\(failure(result))")
    }

    /// "//host/path" keeps the https scheme (RFC 3986 section 5.2.2).
    @Test func networkPathRedirectStaysOnHTTPS() async throws {
        web.put("hosting.example.net", "\(wellKnown).redirect", "//hosting.example.net/moved/xmpp-server.json")
        web.put("hosting.example.net", "moved/xmpp-server.json", fingerprints("host1.pem", expires: 60))
        defer { web.remove("hosting.example.net", "\(wellKnown).redirect") }
        let fetched = try await web.fetcher().fetch(domain: try DNSName("hosting.example.net"), service: .xmppServer).get()
        #expect(fetched.source == "https://hosting.example.net/moved/xmpp-server.json")
    }

    @Test func certificateThatDoesNotNameTheDomainFails() async throws {
        // No certificate for this SNI name: the server falls back to the hosting one.
        web.put("default", wellKnown, fingerprints("host1.pem", expires: 60))
        let result = await web.fetcher().fetch(domain: try DNSName("victim.example"), service: .xmppServer)
        #expect(failure(result).contains("does not name victim.example"), "\(failure(result))")
    }

    @Test(arguments: [("expired.example", "certificate has expired"), ("selfsigned.example", "self-signed certificate")])
    func certificateThatFailsPKIXFails(_ domain: String, _ reason: String) async throws {
        let result = await web.fetcher().fetch(domain: try DNSName(domain), service: .xmppServer)
        #expect(failure(result).contains("fails PKIX validation: \(reason)"), "\(failure(result))")
    }

    @Test func missingDocumentMalformedDocumentAndSilenceEachSayWhy() async throws {
        let missing = await web.fetcher().fetch(domain: try DNSName("insecure.example"), service: .xmppClient)
        #expect(failure(missing).contains("HTTP 404"), "\(failure(missing))")
        web.put("insecure.example", ".well-known/posh/xmpp-client.json", #"{"fingerprints":[],"expires":60}"#)
        let malformed = await web.fetcher().fetch(domain: try DNSName("insecure.example"), service: .xmppClient)
        #expect(failure(malformed).contains("\"fingerprints\" is empty"), "\(failure(malformed))")
        web.put("insecure.example", ".well-known/posh/xmpp-client.json", #"{"url":"\#(web.base)/slow","expires":60}"#)
        let fetcher = web.fetcher(timeoutMilliseconds: 700), domain = try DNSName("insecure.example")
        // Timed on the library's threads, not on a busy test pool.
        let (silent, elapsed) = await onLibraryThreads {
            let start = TCPStream.monotonicMilliseconds()
            let result = await fetcher.fetch(domain: domain, service: .xmppClient)
            return (result, TCPStream.monotonicMilliseconds() - start)
        }
        #expect(failure(silent).contains("timed out while reading the response"), "\(failure(silent))")
        #expect(elapsed < 5000)
        web.put("insecure.example", ".well-known/posh/xmpp-client.json", "removed")
    }

    @Test func nothingListeningIsAFetchErrorNotAMatch() async throws {
        var configuration = POSHFetcher.Configuration(trust: try TrustStore(TrustSource(caFile: "\(pki.directory)/root.pem")),
                                                      resolve: { _ in [] })
        configuration.urlBase = try POSHURL("https://127.0.0.1:1")
        let result = await POSHFetcher(configuration).fetch(domain: try DNSName("example.com"), service: .xmppServer)
        #expect(failure(result).contains("cannot connect to 127.0.0.1 port 1"), "\(failure(result))")
        configuration.urlBase = nil
        let unresolvable = await POSHFetcher(configuration).fetch(domain: try DNSName("example.com"), service: .xmppServer)
        #expect(failure(unresolvable).contains("example.com has no usable address"))
    }

    @Test func successIsCachedForExpiresAndFlushForgetsIt() async throws {
        web.put("insecure.example", wellKnown, fingerprints("host1.pem", expires: 600))
        let fetcher = web.fetcher()
        let first = try await fetcher.fetch(domain: try DNSName("insecure.example"), service: .xmppServer).get()
        web.put("insecure.example", wellKnown, fingerprints("full.pem", expires: 600))
        let cached = try await fetcher.fetch(domain: try DNSName("insecure.example"), service: .xmppServer).get()
        #expect(cached == first)
        fetcher.flush()
        let fresh = try await fetcher.fetch(domain: try DNSName("insecure.example"), service: .xmppServer).get()
        #expect(fresh != first)
        #expect(POSH.verify(document: fresh.document, chain: pki.chain("full-chain.pem")).result == .accepted)
    }
}
