import Testing
@testable import XMPPDNAResolver

private func option(_ code: UInt16, _ data: [UInt8]) -> [UInt8] {
    [UInt8(code >> 8), UInt8(code & 0xFF), UInt8(data.count >> 8), UInt8(data.count & 0xFF)] + data
}

private func ede(_ code: UInt16, _ text: String = "") -> [UInt8] {
    [UInt8(code >> 8), UInt8(code & 0xFF)] + Array(text.utf8)
}

/// A response to "example. A" whose OPT record carries `options` (already
/// encoded), or no OPT record at all.
private func response(options: [UInt8]?) -> [UInt8] {
    var wire: [UInt8] = [0x12, 0x34, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, options == nil ? 0 : 1]
    wire += [7] + Array("example".utf8) + [0, 0, 1, 0, 1]
    if let options {
        wire += [0, 0, 41, 0x04, 0xD0, 0, 0, 0, 0, UInt8(options.count >> 8), UInt8(options.count & 0xFF)] + options
    }
    return wire
}

private func errors(in wire: [UInt8]) throws -> [ExtendedDNSError] {
    let packet = try #require(wire.withUnsafeBytes { DNSPacket.parse($0) })
    return ExtendedDNSError.all(in: packet)
}

/// RFC 8914 Extended DNS Errors, read defensively off the wire.
@Suite struct ExtendedDNSErrorTests {
    @Test func readsTheInfoCodeAndTheExtraText() throws {
        let error = try #require(ExtendedDNSError(optionData: ede(18, "blocked by policy")))
        #expect(error.code == 18)
        #expect(error.text == "blocked by policy")
        #expect(ExtendedDNSError(optionData: ede(7)) == ExtendedDNSError(code: 7, text: ""))
    }

    @Test func anOptionTooShortForItsInfoCodeIsSkipped() {
        #expect(ExtendedDNSError(optionData: []) == nil)
        #expect(ExtendedDNSError(optionData: [0x00]) == nil)
    }

    @Test func aTrailingNULIsDropped() {
        #expect(ExtendedDNSError(optionData: ede(6, "bogus") + [0])?.text == "bogus")
        #expect(ExtendedDNSError(optionData: ede(6, "bogus") + [0, 0, 0])?.text == "bogus")
    }

    @Test func whiteSpaceBecomesOneLineAndIsTrimmed() {
        #expect(ExtendedDNSError(optionData: ede(6, "  line one\r\nline\ttwo\n "))?.text == "line one  line two")
        #expect(ExtendedDNSError(optionData: ede(6, " \t\n"))?.text == "")
    }

    @Test func controlAndFormatCharactersAreReplaced() {
        // ESC (a terminal escape), a NUL inside the text, and U+202E (a bidi override).
        #expect(ExtendedDNSError(optionData: ede(6, "a\u{1B}[31mb"))?.text == "a\u{FFFD}[31mb")
        #expect(ExtendedDNSError(optionData: ede(6, "a") + [0] + Array("b".utf8))?.text == "a\u{FFFD}b")
        #expect(ExtendedDNSError(optionData: ede(6, "abc\u{202E}def"))?.text == "abc\u{FFFD}def")
        #expect(ExtendedDNSError(optionData: ede(6, "zone \u{00E9}t\u{00E9}"))?.text == "zone \u{00E9}t\u{00E9}", "letters stay")
    }

    @Test func invalidUTF8IsDecodedLeniently() {
        #expect(ExtendedDNSError(optionData: ede(6) + [0x61, 0xFF, 0x62])?.text == "a\u{FFFD}b")
        #expect(ExtendedDNSError(optionData: ede(6) + [0x61, 0xE2, 0x82])?.text == "a\u{FFFD}")
    }

    @Test func longTextIsCut() throws {
        let exact = try #require(ExtendedDNSError(optionData: ede(6, String(repeating: "x", count: 512))))
        #expect(exact.text == String(repeating: "x", count: 512))
        let long = try #require(ExtendedDNSError(optionData: ede(6, String(repeating: "y", count: 5000))))
        #expect(long.text == String(repeating: "y", count: 512) + "…")
        let wide = try #require(ExtendedDNSError(optionData: ede(6, String(repeating: "\u{1F600}", count: 600))))
        #expect(wide.text.unicodeScalars.count == 513)
        #expect(wide.text.hasSuffix("\u{1F600}…"))
    }

    @Test func dnssecFailuresAreCodes6To12() {
        for code in UInt16(6)...12 { #expect(ExtendedDNSError(code: code, text: "").isDNSSECFailure, "\(code)") }
        for code: UInt16 in [0, 3, 5, 13, 22, 49152] { #expect(!ExtendedDNSError(code: code, text: "").isDNSSECFailure, "\(code)") }
    }

    @Test func theDecisiveErrorIsASpecificDNSSECFailureFirst() {
        let unreachable = ExtendedDNSError(code: 22, text: "")
        let generic = ExtendedDNSError(code: 6, text: "")
        let missing = ExtendedDNSError(code: 9, text: "")
        let expired = ExtendedDNSError(code: 7, text: "")
        #expect(ExtendedDNSError.decisive([unreachable, generic, missing, expired]) == missing)
        #expect(ExtendedDNSError.decisive([unreachable, generic]) == generic)
        #expect(ExtendedDNSError.decisive([unreachable, ExtendedDNSError(code: 18, text: "")]) == unreachable)
        #expect(ExtendedDNSError.decisive([]) == nil)
    }

    @Test func summaryNamesTheCode() {
        #expect(ExtendedDNSError(code: 9, text: "no key for example.").summary == "EDE 9 (DNSKEY Missing): no key for example.")
        #expect(ExtendedDNSError(code: 22, text: "").summary == "EDE 22 (No Reachable Authority)")
        #expect(ExtendedDNSError(code: 0, text: "").summary == "EDE 0 (Other Error)")
        #expect(ExtendedDNSError(code: 24, text: "").summary == "EDE 24 (Invalid Data)")
        #expect(ExtendedDNSError(code: 300, text: "x").summary == "EDE 300 (unassigned): x")
    }

    // MARK: - From a response

    @Test func everyWellFormedErrorOfAResponseInWireOrder() throws {
        let options = option(10, [1, 2, 3, 4, 5, 6, 7, 8])  // a cookie: not an EDE
            + option(15, ede(7, "signature expired"))
            + option(15, [0x00])  // too short for an INFO-CODE
            + option(15, ede(22))
        #expect(try errors(in: response(options: options)) == [
            ExtendedDNSError(code: 7, text: "signature expired"), ExtendedDNSError(code: 22, text: ""),
        ])
    }

    @Test func aResponseWithoutOptionsHasNoErrors() throws {
        #expect(try errors(in: response(options: nil)).isEmpty)
        #expect(try errors(in: response(options: [])).isEmpty)
        #expect(try errors(in: response(options: option(10, [1, 2, 3, 4, 5, 6, 7, 8]))).isEmpty)
    }

    @Test func optionsRunningPastTheirRecordAreNotRead() throws {
        // The EDE claims 40 bytes of data and has 4.
        let options: [UInt8] = [0, 15, 0, 40, 0, 6, 0x61, 0x62]
        #expect(try errors(in: response(options: options)).isEmpty)
    }
}
