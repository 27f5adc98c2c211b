import Testing
@testable import XMPPDNACore

private func pattern(_ text: String) -> Result<DNSPattern, PresentedProblem> {
    DNSPattern.parse(Array(text.utf8))
}

private func name(_ text: String) -> DNSName { try! DNSName(text) }

@Suite struct DNSPatternTests {
    @Test func wildcardMatchesExactlyOneLeftmostLabel() throws {
        let wildcard = try pattern("*.example.com").get()
        #expect(wildcard.matches(name("www.example.com")))
        #expect(!wildcard.matches(name("example.com")))
        #expect(!wildcard.matches(name("a.b.example.com")))
        #expect(!wildcard.matches(name("www.example.org")))
    }

    @Test func wildcardMatchesALabelAsAWholeLabel() throws {
        #expect(try pattern("*.example.com").get().matches(name("bücher.example.com")))
    }

    @Test(arguments: ["f*.example.com", "*oo.example.com", "fo*o.example.com", "xn--*.example.com"])
    func partialWildcardIsUnusable(_ text: String) {
        #expect(pattern(text) == .failure(.wildcardNotAlone))
    }

    @Test(arguments: ["foo.*.example.com", "*.*.example.com", "foo.bar.c*m", "foo.*"])
    func wildcardOutsideLeftmostLabelIsUnusable(_ text: String) {
        #expect(pattern(text) == .failure(.wildcardNotLeftmost))
    }

    @Test(arguments: ["*.com", "*."])
    func wildcardOverFewerThanThreeLabelsIsUnusable(_ text: String) {
        #expect(pattern(text) == .failure(.wildcardTooBroad))
    }

    @Test func nulByteIsUnusable() {
        #expect(DNSPattern.parse(Array("example.com\0.evil.test".utf8)) == .failure(.nulByte))
    }

    @Test func nonASCIIIsUnusable() {
        #expect(pattern("bücher.example") == .failure(.notPrintableASCII))
    }

    @Test func ipTextIsNotAHostName() {
        guard case .failure(.invalidSyntax) = pattern("192.0.2.1") else {
            Issue.record("IP text accepted as a DNS-ID")
            return
        }
    }

    @Test func caseAndTrailingDotAreNormalised() throws {
        #expect(try pattern("WWW.Example.COM.").get().matches(name("www.example.com")))
    }
}
