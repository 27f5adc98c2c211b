import Testing
@testable import XMPPDNACore

// The strict RFC 8259 parser POSH documents go through: no extensions, no
// duplicate names, bounded size and depth, UTF-8 only.

private func parse(_ text: String, limits: JSONParser.Limits = JSONParser.Limits()) throws(JSONParser.Error) -> JSONValue {
    try JSONParser.parse(Array(text.utf8), limits: limits)
}

private func refusal(_ bytes: [UInt8], limits: JSONParser.Limits = JSONParser.Limits()) -> JSONParser.Error? {
    do {
        _ = try JSONParser.parse(bytes, limits: limits)
        return nil
    } catch {
        return error
    }
}

private func refusal(_ text: String, limits: JSONParser.Limits = JSONParser.Limits()) -> JSONParser.Error? {
    refusal(Array(text.utf8), limits: limits)
}

@Suite struct JSONParserTests {
    @Test func jsonEscapesAndSurrogatePairsDecode() throws {
        let value = try parse(#"{"a":"\u00e9\ud83d\ude00\n\/","b":[true,false,null,-0.5e+3]}"#)
        #expect(value == .object([("a", .string("é😀\n/")), ("b", .array([.bool(true), .bool(false), .null, .number("-0.5e+3")]))]))
    }

    @Test func everySimpleEscape() throws {
        #expect(try parse(#""\"\\\/\b\f\n\r\t""#) == .string("\"\\/\u{8}\u{c}\n\r\t"))
        #expect(try parse(#""\u0041\u00C9\u4e2D""#) == .string("AÉ中"))
    }

    /// RFC 8259 section 2: any value may stand alone, with whitespace around it.
    @Test func scalarsAtTheTopAndWhitespace() throws {
        #expect(try parse(" \t\r\n42 \n") == .number("42"))
        #expect(try parse("null") == .null)
        #expect(try parse(#""x""#) == .string("x"))
        #expect(try parse("[ ]") == .array([]))
        #expect(try parse("{ }") == .object([]))
    }

    /// Numbers are kept as written, so integers are never rounded.
    @Test func numbersKeepTheirText() throws {
        for text in ["0", "-0", "1.5", "-0.0e0", "1E+2", "4294967296", "123456789012345678901234567890"] {
            #expect(try parse(text) == .number(text))
        }
    }

    @Test func objectsKeepTheirMemberOrder() throws {
        let value = try parse(#"{"z":1,"a":2}"#)
        #expect(value == .object([("z", .number("1")), ("a", .number("2"))]))
        #expect(value != .object([("a", .number("2")), ("z", .number("1"))]))
    }

    static let malformed: [(String, Int, String)] = [
        ("", 0, "the document ends where a value should be"),
        ("01", 0, "a number may not have leading zeros"),
        ("-", 1, "a number needs digits"),
        ("1.", 2, "a fraction needs digits"),
        ("1e", 2, "an exponent needs digits"),
        (".5", 0, "unexpected character '.'"),
        ("+1", 0, "unexpected character '+'"),
        ("NaN", 0, "unexpected character 'N'"),
        ("tru", 0, "expected 'true'"),
        ("[1,]", 3, "unexpected character ']'"),
        ("[1 2]", 3, "expected ',' or ']' in an array"),
        (#"{"a":1,}"#, 7, "expected a member name in quotes"),
        (#"{"a" 1}"#, 5, "expected ':' after a member name"),
        (#"{"a":1 "b":2}"#, 7, "expected ',' or '}' in an object"),
        (#"{"a":1,"a":2}"#, 7, "the member name \"a\" appears twice"),
        ("{'a':1}", 1, "expected a member name in quotes"),
        ("[1] [2]", 4, "unexpected data after the value"),
        ("[1] // comment", 4, "unexpected data after the value"),
        (#""a"#, 2, "the document ends inside a string"),
        ("[1", 2, "the document ends inside an array"),
        (#"{"a":1"#, 6, "the document ends inside an object"),
        (#""\x""#, 3, "unknown escape '\\x'"),
        (#""\u12""#, 3, "\\u needs four hex digits"),
        (#""\ud800""#, 7, "a high surrogate must be followed by a low one"),
        (#""\ud800\u0041""#, 13, "a high surrogate must be followed by a low one"),
        (#""\udc00""#, 7, "a low surrogate without a high one"),
        ("\"a\tb\"", 2, "a control character must be escaped inside a string"),
    ]

    @Test(arguments: malformed)
    func malformedDocumentsSayWhereAndWhy(_ text: String, _ offset: Int, _ message: String) {
        let error = refusal(text)
        #expect(error?.message == message, "\(text.debugDescription): \(error.map(\.description) ?? "accepted")")
        #expect(error?.offset == offset, "\(text.debugDescription): \(error.map(\.description) ?? "accepted")")
    }

    @Test func invalidUTF8AndAByteOrderMarkAreRefused() {
        #expect(refusal([0x22, 0xC3, 0x28, 0x22])?.message == "a string is not valid UTF-8")
        #expect(refusal([0x22, 0xED, 0xA0, 0x80, 0x22])?.message == "a string is not valid UTF-8")   // an encoded surrogate
        #expect(refusal([0x22, 0xC0, 0xAF, 0x22])?.message == "a string is not valid UTF-8")         // an overlong "/"
        #expect(refusal([0xEF, 0xBB, 0xBF] + Array("{}".utf8))?.message == "a byte order mark is not allowed")
    }

    /// At most 16 levels: the 16th opening bracket parses, the 17th does not.
    @Test func depthIsLimited() throws {
        let sixteen = String(repeating: "[", count: 16) + String(repeating: "]", count: 16)
        #expect(throws: Never.self) { try parse(sixteen) }
        let seventeen = String(repeating: "[", count: 17) + String(repeating: "]", count: 17)
        #expect(refusal(seventeen)?.message == "nested deeper than 16 levels")
        #expect(refusal(seventeen)?.offset == 16)
        #expect(refusal(String(repeating: #"{"a":"#, count: 17) + "1" + String(repeating: "}", count: 17))?.message
                == "nested deeper than 16 levels")
        var shallow = JSONParser.Limits()
        shallow.maxDepth = 2
        #expect(refusal("[[[]]]", limits: shallow)?.message == "nested deeper than 2 levels")
    }

    @Test func sizeIsLimitedBeforeAnythingIsRead() {
        var small = JSONParser.Limits()
        small.maxBytes = 8
        #expect(throws: Never.self) { try parse("[1,2,3] ", limits: small) }
        let error = refusal("[1,2,3]  ", limits: small)
        #expect(error?.message == "the document is larger than 8 bytes" && error?.offset == 8)
        #expect(refusal(Array(repeating: 0x20, count: 65_537))?.message == "the document is larger than 65536 bytes")
    }

    @Test func errorsDescribeThemselves() {
        #expect(refusal("[1,]")?.description == "invalid JSON at byte 3: unexpected character ']'")
        #expect(refusal([0x5B, 0x01, 0x5D])?.description == "invalid JSON at byte 1: unexpected character '0x1'")
    }
}
