import Testing
@testable import XMPPDNACore

private let limit = 64

private func parse(_ response: String) -> Result<HTTPResponse, POSHError> {
    Result { () throws(POSHError) -> HTTPResponse in try HTTPResponse.parse(Array(response.utf8), maxBody: limit) }
}

private func failure(_ response: String) -> String {
    switch parse(response) {
    case .failure(let error): return "\(error)"
    case .success(let parsed): return "parsed: HTTP \(parsed.status), \(parsed.body.count) body bytes"
    }
}

private func chunked(_ body: String, version: String = "1.1") -> String {
    "HTTP/\(version) 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + body
}

private func withLength(_ lengths: [String], _ body: String) -> String {
    "HTTP/1.1 200 OK\r\n" + lengths.map { "Content-Length: \($0)\r\n" }.joined() + "\r\n" + body
}

private let ok = "HTTP/1.1 200 OK\r\n"
private let manyHeaders = (0..<101).map { "X-\($0): 1\r\n" }.joined()

/// What a hostile or broken server answers, and what each must be refused with.
private let hostile: [(String, String, String)] = [
    ("chunk size -2", chunked("-2\r\n{}\r\n0\r\n\r\n"), "malformed chunk size"),
    ("chunk size -0", chunked("-0\r\n\r\n"), "malformed chunk size"),
    ("chunk size +5", chunked("+5\r\nhello\r\n0\r\n\r\n"), "malformed chunk size"),
    ("chunk size 0x5", chunked("0x5\r\nhello\r\n0\r\n\r\n"), "malformed chunk size"),
    ("chunk size with junk", chunked("5 junk\r\nhello\r\n0\r\n\r\n"), "malformed chunk size"),
    ("chunk size not hex", chunked("1g\r\nhello\r\n0\r\n\r\n"), "malformed chunk size"),
    ("empty chunk size", chunked("\r\nhello\r\n0\r\n\r\n"), "malformed chunk size"),
    ("chunk line ends in a bare LF", chunked("5\nhello\r\n0\r\n\r\n"), "malformed chunk size"),
    ("chunk size Int.max", chunked("7fffffffffffffff\r\nhello\r\n0\r\n\r\n"), "larger than 64 bytes"),
    ("chunk size overflowing Int", chunked("ffffffffffffffff\r\nhello\r\n0\r\n\r\n"), "larger than 64 bytes"),
    ("chunk size of 40 hex digits", chunked(String(repeating: "f", count: 40) + "\r\nhello\r\n0\r\n\r\n"), "larger than 64 bytes"),
    ("chunks adding up past the limit", chunked("28\r\n" + String(repeating: "a", count: 40) + "\r\n28\r\n"
                                                + String(repeating: "b", count: 40) + "\r\n0\r\n\r\n"), "larger than 64 bytes"),
    ("chunk without its CRLF", chunked("5\r\nhelloXY0\r\n\r\n"), "chunk is not followed by CRLF"),
    ("chunk cut short", chunked("10\r\nabc"), "ended early"),
    ("chunk size line cut short", chunked("5"), "ended early"),
    ("no last chunk", chunked("5\r\nhello\r\n"), "ended early"),
    ("last chunk without the final CRLF", chunked("0\r\n"), "ended early"),
    ("over-long chunk line", chunked("5;" + String(repeating: "x", count: 5000) + "\r\nhello\r\n0\r\n\r\n"), "chunk line is longer than"),
    ("malformed trailer", chunked("0\r\nnot a trailer\r\n\r\n"), "malformed HTTP trailer"),
    ("bytes after the last chunk", chunked("0\r\n\r\nHTTP/1.1 200 OK\r\n\r\n"), "after the chunked body"),
    ("Content-Length beside chunked", ok + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
     "both Transfer-Encoding and Content-Length"),
    ("chunked beside Content-Length", ok + "Transfer-Encoding: chunked\r\nContent-Length: 0\r\n\r\n0\r\n\r\n",
     "both Transfer-Encoding and Content-Length"),
    ("gzip", ok + "Transfer-Encoding: gzip\r\n\r\nabc", "unsupported Transfer-Encoding"),
    ("gzip in a second header", ok + "Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n\r\n0\r\n\r\n",
     "unsupported Transfer-Encoding"),
    ("chunked twice", ok + "Transfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n", "unsupported Transfer-Encoding"),
    ("chunked in HTTP/1.0", chunked("0\r\n\r\n", version: "1.0"), "Transfer-Encoding in an HTTP/1.0 response"),
    ("Content-Length conflict", withLength(["5", "6"], "hello"), "conflicting Content-Length"),
    ("Content-Length list conflict", withLength(["5, 6"], "hello"), "conflicting Content-Length"),
    ("Content-Length -1", withLength(["-1"], ""), "malformed Content-Length"),
    ("Content-Length +5", withLength(["+5"], "hello"), "malformed Content-Length"),
    ("Content-Length 5a", withLength(["5a"], "hello"), "malformed Content-Length"),
    ("Content-Length 0x5", withLength(["0x5"], "hello"), "malformed Content-Length"),
    ("Content-Length empty", withLength([""], ""), "malformed Content-Length"),
    ("Content-Length overflowing Int", withLength(["99999999999999999999999"], "hello"), "larger than 64 bytes"),
    ("Content-Length over the limit", withLength(["65"], String(repeating: "a", count: 65)), "larger than 64 bytes"),
    ("body shorter than Content-Length", withLength(["10"], "abc"), "ended after 3 of 10 bytes"),
    ("body longer than Content-Length", withLength(["1"], "ab"), "more than its Content-Length"),
    ("unframed body over the limit", ok + "\r\n" + String(repeating: "a", count: 65), "larger than 64 bytes"),
    ("status +12", "HTTP/1.1 +12 OK\r\n\r\n", "status line"),
    ("status -12", "HTTP/1.1 -12 OK\r\n\r\n", "status line"),
    ("status 099", "HTTP/1.1 099 Low\r\n\r\n", "status line"),
    ("status 2000", "HTTP/1.1 2000 OK\r\n\r\n", "status line"),
    ("HTTP/2", "HTTP/2 200 OK\r\n\r\n", "status line"),
    ("two spaces", "HTTP/1.1  200 OK\r\n\r\n", "status line"),
    ("not HTTP", "ICY 200 OK\r\n\r\n", "status line"),
    ("control character in the reason", "HTTP/1.1 200 O\u{1}K\r\n\r\n", "status line"),
    ("obs-fold", ok + "X-A: a\r\n b\r\n\r\n", "malformed HTTP header"),
    ("space before the colon", ok + "X-A : a\r\n\r\n", "malformed HTTP header"),
    ("name not a token", ok + "X@A: a\r\n\r\n", "malformed HTTP header"),
    ("empty name", ok + ": a\r\n\r\n", "malformed HTTP header"),
    ("no colon", ok + "X-A\r\n\r\n", "malformed HTTP header"),
    ("NUL in a value", ok + "X-A: a\u{0}b\r\n\r\n", "malformed HTTP header"),
    ("bare CR in a value", ok + "X-A: a\rb\r\n\r\n", "malformed HTTP header"),
    ("bare LF between headers", ok + "X-A: a\nX-B: b\r\n\r\n", "malformed HTTP header"),
    ("over-long header line", ok + "X-A: " + String(repeating: "a", count: 5000) + "\r\n\r\n", "header line is longer than"),
    ("too many headers", ok + manyHeaders + "\r\n", "more than 100 header fields"),
    ("header without an end", ok + String(repeating: "X-A: a\r\n", count: 3000), "larger than 16384 bytes"),
    ("LF-only header", "HTTP/1.1 200 OK\nContent-Length: 0\n\n", "before a complete HTTP header"),
    ("nothing at all", "", "before a complete HTTP header"),
    ("body after 204", "HTTP/1.1 204 No Content\r\n\r\nabc", "a body after HTTP 204"),
    ("body after 304", "HTTP/1.1 304 Not Modified\r\nContent-Length: 3\r\n\r\nabc", "a body after HTTP 304"),
    ("interim response", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", "a body after HTTP 100"),
]

/// What a well-behaved server may answer, and the body it carries.
private let wellFramed: [(String, String, String)] = [
    ("Content-Length", withLength(["5"], "hello"), "hello"),
    ("Content-Length with leading zeros", withLength(["005"], "hello"), "hello"),
    ("Content-Length twice, equal", withLength(["5", "5"], "hello"), "hello"),
    ("Content-Length list, equal", withLength(["5, 5"], "hello"), "hello"),
    ("body exactly at the limit", withLength(["64"], String(repeating: "a", count: 64)), String(repeating: "a", count: 64)),
    ("unframed body", ok + "\r\nhello", "hello"),
    ("HTTP/1.0", "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nhi", "hi"),
    ("no reason phrase", "HTTP/1.1 200 \r\nContent-Length: 2\r\n\r\nhi", "hi"),
    ("no space after the status", "HTTP/1.1 200\r\nContent-Length: 2\r\n\r\nhi", "hi"),
    ("chunks", chunked("3\r\nhel\r\n2\r\nlo\r\n0\r\n\r\n"), "hello"),
    ("uppercase hex and leading zeros", chunked("00A\r\n0123456789\r\n0\r\n\r\n"), "0123456789"),
    ("chunk extensions", chunked("5;name=value\r\nhello\r\n2 ; a = \"b;c\"\r\n!!\r\n0;last\r\n\r\n"), "hello!!"),
    ("trailers", chunked("5\r\nhello\r\n0\r\nX-Checksum: 1\r\nX-Other: 2\r\n\r\n"), "hello"),
    ("empty chunked body", chunked("0\r\n\r\n"), ""),
    ("Chunked in capitals", ok + "Transfer-Encoding: Chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n", "hi"),
]

/// HTTPResponse against hostile framing: every bad response is an error
/// that says why, never a trap and never a body the framing does not give.
@Suite struct HTTPResponseTests {
    /// Issue #17: a chunk size of -2 trapped on a reversed range.
    @Test func negativeChunkSizeIsAnErrorNotATrap() {
        #expect(failure(chunked("-2\r\n{}\r\n0\r\n\r\n")).contains("malformed chunk size"))
    }

    @Test(arguments: hostile)
    func hostileResponseIsRefusedWithAReason(_ label: String, _ response: String, _ reason: String) {
        let outcome = failure(response)
        #expect(outcome.contains(reason), "\(label): \(outcome)")
    }

    @Test(arguments: wellFramed)
    func wellFramedResponseGivesItsBody(_ label: String, _ response: String, _ body: String) {
        switch parse(response) {
        case .success(let parsed): #expect(parsed.body == Array(body.utf8), "\(label)")
        case .failure(let error): Issue.record("\(label): \(error)")
        }
    }

    @Test func headersAreLowercasedAndTrimmed() throws {
        let parsed = try parse(ok + "Location:  https://example.com/x \t\r\nContent-Length: 0\r\n\r\n").get()
        #expect(parsed.status == 200)
        #expect(parsed.header("location") == "https://example.com/x")
    }
}
