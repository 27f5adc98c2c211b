import Testing
@testable import XMPPDNACore

@Suite struct JSONWriterTests {
    @Test func escapesExactlyTheBytesJSONRequires() {
        let rendered = JSONWriter.render(.object([
            ("quote\"back\\slash", .string("line\nreturn\rtab\tnul\u{0}unit\u{1f}del\u{7f}")),
            ("n", .int(-42)), ("t", .bool(true)), ("nothing", .null), ("list", .array([.string("é😀"), .int(0)])),
        ]))
        #expect(rendered == #"{"quote\"back\\slash":"line\nreturn\rtab\tnul\u0000unit\u001fdel\u007f","n":-42,"t":true,"nothing":null,"list":["é😀",0]}"#)
    }

    /// Graphemes that join an escaped ASCII byte to what follows it (a quote
    /// with a combining accent, CR LF) must come back byte for byte.
    @Test(arguments: ["\"\u{301}", "a\r\nb", "\\\u{308}x", "plain", "", "\u{0}\u{7f}\u{80}\u{10FFFF}", "😀\"😀"])
    func stringsComeBackFromTheParserUnchanged(_ text: String) throws {
        let parsed = try JSONParser.parse(Array(JSONWriter.render(.array([.string(text)])).utf8))
        guard case .array(let items) = parsed, case .string(let back)? = items.first else {
            Issue.record("parsed to \(parsed)"); return
        }
        #expect(Array(back.utf8) == Array(text.utf8))
    }
}
