import Testing
@testable import XMPPDNACore

// The byte-level pieces of HTTP/1.1 framing (RFC 9112 section 2, RFC 9110
// section 5): each takes what the server sent and checks it.

private func bytes(_ text: String) -> ArraySlice<UInt8> { ArraySlice(Array(text.utf8)) }
private func text(_ slice: ArraySlice<UInt8>) -> String { String(decoding: slice, as: UTF8.self) }

@Suite struct HTTPSyntaxTests {
    @Test func findReturnsTheSlicesOwnOffset() {
        let whole = Array("xxab\r\ncd\r\n".utf8)
        #expect(HTTPSyntax.find(HTTPSyntax.crlf, in: whole[...]) == 4)
        #expect(HTTPSyntax.find(HTTPSyntax.crlf, in: whole[5...]) == 8)
        #expect(HTTPSyntax.find(HTTPSyntax.crlf, in: whole[9...]) == nil)
        #expect(HTTPSyntax.find(HTTPSyntax.crlf, in: whole[0..<0]) == nil)
    }

    /// Only CRLF ends a line; a bare CR or LF stays inside, for the field
    /// and status-line checks to refuse.
    @Test func splitBreaksOnlyOnCRLF() {
        #expect(HTTPSyntax.split(bytes("a\r\nb\nc\rd\r\n\r\ne")).map(text) == ["a", "b\nc\rd", "", "e"])
        #expect(HTTPSyntax.split(bytes("")).map(text) == [""])
        #expect(HTTPSyntax.split(bytes("\r\n")).map(text) == ["", ""])
    }

    @Test func lineFindsTheCRLFFromAStartAndSaysWhenItIsMissing() throws {
        let data = bytes("abc\r\ndef\r\nghi")
        #expect(try HTTPSyntax.line(in: data, from: 0, "chunk") == 0..<3)
        #expect(try HTTPSyntax.line(in: data, from: 5, "chunk") == 5..<8)
        #expect(throws: POSHError.fetch("the chunked body ended early, in a trailer line")) {
            try HTTPSyntax.line(in: data, from: 10, "trailer")
        }
    }

    @Test func fieldsAreTokenNameColonTrimmedValue() {
        #expect(HTTPSyntax.field(bytes("Content-Length: 5")).map { [$0.0, $0.1] } == ["content-length", "5"])
        #expect(HTTPSyntax.field(bytes("X-A:\t a b \t")).map { [$0.0, $0.1] } == ["x-a", "a b"])
        #expect(HTTPSyntax.field(bytes("X-Empty:")).map { [$0.0, $0.1] } == ["x-empty", ""])
        #expect(HTTPSyntax.field(bytes("!#$%&'*+-.^_`|~09Az: v"))?.0 == "!#$%&'*+-.^_`|~09az")
    }

    /// RFC 9112 section 5.1: no whitespace between name and colon; a name
    /// is a token; no control characters in a value.
    @Test(arguments: ["X-A : v", " X-A: v", "X@A: v", ": v", "X-A", "X-A: a\u{0}b", "X-A: a\rb", "X-A: a\u{7f}", "(X): v"])
    func malformedFieldsAreRefused(_ line: String) {
        #expect(HTTPSyntax.field(bytes(line)) == nil)
    }

    /// obs-text (0x80-0xFF) is kept as one scalar per byte, so nothing is
    /// replaced and the value can be written back exactly.
    @Test func obsTextIsKeptByteForByte() throws {
        let raw: [UInt8] = Array("X-A: ".utf8) + [0xE9, 0xFF, 0x80]
        let field = try #require(HTTPSyntax.field(ArraySlice(raw)))
        #expect(field.1.unicodeScalars.map(\.value) == [0xE9, 0xFF, 0x80])
        #expect(HTTPSyntax.latin1(ArraySlice(raw.suffix(3))) == "\u{E9}\u{FF}\u{80}")
    }

    /// RFC 9110 section 5.6.1: elements trimmed, empty ones dropped, across field lines.
    @Test func listsSplitOnCommasAcrossLines() {
        #expect(HTTPSyntax.list(["chunked", " gzip , ,deflate", ""]) == ["chunked", "gzip", "deflate"])
        #expect(HTTPSyntax.list([", ,"]).isEmpty)
    }

    @Test func numbersAreDigitsOnly() {
        #expect(HTTPSyntax.number(bytes("0"), radix: 10) == 0)
        #expect(HTTPSyntax.number(bytes("00120"), radix: 10) == 120)
        #expect(HTTPSyntax.number(bytes("fF"), radix: 16) == 255)
        for bad in ["", "-1", "+1", " 1", "1 ", "0x1", "1a", "1.0"] {
            #expect(HTTPSyntax.number(bytes(bad), radix: 10) == nil, "\(bad.debugDescription)")
        }
        #expect(HTTPSyntax.number(bytes("g"), radix: 16) == nil)
    }

    /// An overflowing length is simply too large: it saturates, never wraps or traps.
    @Test func numbersSaturateAtIntMax() {
        #expect(HTTPSyntax.number(bytes("9223372036854775807"), radix: 10) == Int.max)
        #expect(HTTPSyntax.number(bytes("9223372036854775808"), radix: 10) == Int.max)
        #expect(HTTPSyntax.number(bytes(String(repeating: "9", count: 100)), radix: 10) == Int.max)
        #expect(HTTPSyntax.number(bytes("7fffffffffffffff"), radix: 16) == Int.max)
        #expect(HTTPSyntax.number(bytes("10000000000000000"), radix: 16) == Int.max)
        #expect(HTTPSyntax.number(bytes("7ffffffffffffffe"), radix: 16) == Int.max - 1)
    }

    @Test func byteClasses() {
        #expect(HTTPSyntax.isFieldByte(0x09) && HTTPSyntax.isFieldByte(0x20) && HTTPSyntax.isFieldByte(0x7E) && HTTPSyntax.isFieldByte(0xFF))
        #expect(!HTTPSyntax.isFieldByte(0x00) && !HTTPSyntax.isFieldByte(0x0A) && !HTTPSyntax.isFieldByte(0x0D) && !HTTPSyntax.isFieldByte(0x7F))
        let separators = "()<>@,;:\\\"/[]?={} \t"
        #expect(!separators.utf8.contains(where: HTTPSyntax.isTokenByte))
        #expect(HTTPSyntax.isWhitespace(0x20) && HTTPSyntax.isWhitespace(0x09) && !HTTPSyntax.isWhitespace(0x0D))
        #expect(HTTPSyntax.isDigit(UInt8(ascii: "0")) && HTTPSyntax.isDigit(UInt8(ascii: "9")) && !HTTPSyntax.isDigit(UInt8(ascii: "a")))
    }
}
