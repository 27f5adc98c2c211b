import Testing
@testable import XMPPDNACore

// The chunked coding on its own (RFC 9112 section 7.1). The hostile
// framings a server may send are in HTTPResponseTests, through the parser
// that calls this; here: the slice bounds, the limits at their edge, and
// the trailer section.

private func decode(_ body: String, maxBody: Int = 64, prefix: String = "") -> Result<String, POSHError> {
    // The decoder gets a slice of the whole response, as HTTPResponse passes it.
    let whole = Array((prefix + body).utf8)
    let slice = whole[prefix.utf8.count...]
    return Result { () throws(POSHError) -> String in
        String(decoding: try HTTPChunkedBody.decode(slice, maxBody: maxBody), as: UTF8.self)
    }
}

private func refusal(_ body: String, maxBody: Int = 64) -> String {
    switch decode(body, maxBody: maxBody) {
    case .success(let text): return "decoded \(text.debugDescription)"
    case .failure(let error): return error.description
    }
}

@Suite struct HTTPChunkedBodyTests {
    @Test func chunksAreJoined() throws {
        #expect(try decode("5\r\nhello\r\n1\r\n \r\n5\r\nworld\r\n0\r\n\r\n").get() == "hello world")
        #expect(try decode("0\r\n\r\n").get() == "")
    }

    /// HTTPResponse hands over a slice that starts after the header: every
    /// offset must be the slice's own.
    @Test func aSliceThatDoesNotStartAtZeroDecodes() throws {
        let header = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        #expect(try decode("3\r\nabc\r\n0\r\n\r\n", prefix: header).get() == "abc")
        #expect(try decode("3\r\nabc\r\n0\r\nX-Sum: 1\r\n\r\n", prefix: header).get() == "abc")
    }

    @Test func sizesAreHexInEitherCaseWithExtensionsAndWhitespaceBeforeThem() throws {
        let ten = "0123456789"
        #expect(try decode("a\r\n\(ten)\r\n0\r\n\r\n").get() == ten)
        #expect(try decode("A;ext=1\r\n\(ten)\r\n0\r\n\r\n").get() == ten)
        #expect(try decode("A \t;ext\r\n\(ten)\r\n0\r\n\r\n").get() == ten)
    }

    @Test func theBodyLimitHoldsExactly() throws {
        let sixteen = String(repeating: "x", count: 16)
        #expect(try decode("10\r\n\(sixteen)\r\n0\r\n\r\n", maxBody: 16).get() == sixteen)
        #expect(refusal("10\r\n\(sixteen)\r\n0\r\n\r\n", maxBody: 15) == "POSH fetch failed: the body is larger than 15 bytes")
        // Across chunks: 8 + 8 fits 16, 8 + 9 does not.
        #expect(refusal("8\r\n12345678\r\n9\r\n123456789\r\n0\r\n\r\n", maxBody: 16)
                == "POSH fetch failed: the body is larger than 16 bytes")
    }

    /// A size is checked against the limit before any byte of the chunk is
    /// wanted: a huge size with nothing after it is "too large", not "ended early".
    @Test func aSizeIsJudgedBeforeTheBytesAreAwaited() {
        #expect(refusal("ffffffffffffffffffffffff\r\n") == "POSH fetch failed: the body is larger than 64 bytes")
        #expect(refusal("41\r\n") == "POSH fetch failed: the body is larger than 64 bytes")
        #expect(refusal("40\r\n") == "POSH fetch failed: the chunked body ended early, in a chunk")
    }

    @Test func trailersAreCheckedAndDropped() throws {
        #expect(try decode("2\r\nhi\r\n0\r\nExpires: 0\r\nX-A:\r\n\r\n").get() == "hi")
        #expect(refusal("0\r\nX A: 1\r\n\r\n") == "POSH fetch failed: malformed HTTP trailer field")
        #expect(refusal("0\r\nX-A: 1\r\n") == "POSH fetch failed: the chunked body ended early, in a trailer line")
    }

    @Test func atMostAHundredTrailerFields() throws {
        let fields = { (count: Int) in (0..<count).map { "X-\($0): 1\r\n" }.joined() }
        #expect(try decode("0\r\n" + fields(100) + "\r\n", maxBody: 64).get() == "")
        #expect(refusal("0\r\n" + fields(101) + "\r\n") == "POSH fetch failed: the response has more than 100 trailer fields")
    }

    /// A line without its CRLF is refused as soon as it is longer than the
    /// 4,096-byte line limit, whatever follows.
    @Test func aChunkLineHasTheHeaderLineLimit() {
        let longExtension = ";" + String(repeating: "e", count: 4094)
        #expect(refusal("0" + longExtension + "\r\n\r\n").hasPrefix("decoded"))
        #expect(refusal("0" + longExtension + "e\r\n\r\n") == "POSH fetch failed: a chunk line is longer than 4096 bytes")
    }

    @Test func nothingMayFollowTheLastCRLF() {
        #expect(refusal("0\r\n\r\n\r\n") == "POSH fetch failed: the server sent bytes after the chunked body")
    }
}
