import Testing
@testable import XMPPDNACore

@Suite struct DNSNameTests {
    @Test func lowercasesAndDropsOneTrailingDot() throws {
        #expect(try DNSName("EXAMPLE.Com.").text == "example.com")
    }

    @Test func convertsULabelsToALabels() throws {
        #expect(try DNSName("Bücher.example").text == "xn--bcher-kva.example")
        #expect(try DNSName("xn--bcher-kva.example").text == "xn--bcher-kva.example")
    }

    @Test(arguments: ["", ".", "a..b", ".example.com", "example.com..", "exa mple.com", "host,name",
                      "-a.example", "a-.example", "192.0.2.1", "1234", "under_score.example", "<unsupported>"])
    func refusesInvalidNames(_ name: String) {
        #expect(throws: IdentityInputError.self) { try DNSName(name) }
    }

    @Test func refusesNameLongerThan253Octets() {
        let label = String(repeating: "a", count: 63)
        let name = [label, label, label, String(repeating: "b", count: 62)].joined(separator: ".")
        #expect(name.utf8.count == 254)
        #expect(throws: IdentityInputError.badName("is longer than 253 octets")) { try DNSName(name) }
        #expect(throws: Never.self) { try DNSName(String(name.dropFirst())) }
    }

    @Test func refusesLabelOf64Octets() {
        #expect(throws: IdentityInputError.self) { try DNSName(String(repeating: "a", count: 64) + ".example") }
    }

    @Test func nulByteIsAnEncodingError() {
        #expect(throws: IdentityInputError.encoding("contains a NUL byte")) { try DNSName("example.com\0.evil") }
    }

    /// The one-pass path answers only where the full parse agrees, and takes every ASCII host name.
    @Test(arguments: ["example.com", "EXAMPLE.Com.", "a-b.c-d.example", "x", "localhost.", "xn--bcher-kva.example",
                      "host1.example.NET", String(repeating: "a", count: 63) + ".example", "0a.1b.2c", "a.b1",
                      "", ".", "a..b", "example.com..", "-a.example", "a-.example", "192.0.2.1", "1234", "a.b.2",
                      "under_score.example", "Bücher.example", "::1", "2001:db8::1", "exa mple.com", "example.com\0.evil",
                      String(repeating: "a", count: 64) + ".example"])
    func theOnePassParseAgreesWithTheFullOne(_ name: String) {
        let full = try? DNSName(parsing: name)
        let onePass = Array(name.utf8).withUnsafeBufferPointer(DNSName.init(hostNameBytes:))
        if let onePass { #expect(onePass == full) }
        if name.utf8.allSatisfy({ $0 < 0x80 }) { #expect(onePass == full) }
        #expect((try? DNSName(name)) == full)
    }

    @Test func acceptsSingleLabelHost() throws {
        #expect(try DNSName("localhost").text == "localhost")
    }
}
