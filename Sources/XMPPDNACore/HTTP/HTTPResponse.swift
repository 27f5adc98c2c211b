/// An HTTP/1.x response read from a closed connection, framed strictly
/// (RFC 9112 sections 4-7): Content-Length or chunked, and nothing beyond
/// what the framing says. The server sends every length; each is checked
/// against the bytes received and the caller's limit before it is used.
/// Pure, so it can be tested and fuzzed without a server.
package struct HTTPResponse: Hashable, Sendable {
    package let status: Int
    /// Header names lowercased, in order; values without surrounding
    /// whitespace, one scalar per byte (ISO-8859-1).
    package let headers: [(String, String)]
    package let body: [UInt8]

    package static let maxHeaderBytes = 16_384
    /// A header, trailer or chunk-size line.
    package static let maxLineBytes = 4096
    /// Header fields, and trailer fields apart.
    package static let maxFields = 100

    package static func == (lhs: HTTPResponse, rhs: HTTPResponse) -> Bool {
        lhs.status == rhs.status && lhs.body == rhs.body && lhs.headers.map(\.0) == rhs.headers.map(\.0)
            && lhs.headers.map(\.1) == rhs.headers.map(\.1)
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(status)
        hasher.combine(body)
    }

    package func header(_ name: String) -> String? { values(name).first }

    /// Every value of the field `name` (lowercase), in order.
    package func values(_ name: String) -> [String] { headers.filter { $0.0 == name }.map(\.1) }

    package static func parse(_ bytes: [UInt8], maxBody: Int) throws(POSHError) -> HTTPResponse {
        let data = bytes[...]
        guard let end = HTTPSyntax.find(HTTPSyntax.crlf + HTTPSyntax.crlf, in: data.prefix(maxHeaderBytes + 4)) else {
            throw .fetch(bytes.count > maxHeaderBytes ? "the HTTP header is larger than \(maxHeaderBytes) bytes"
                                                       : "the server closed the connection before a complete HTTP header")
        }
        var lines = HTTPSyntax.split(data[..<end])
        let (status, minor) = try statusLine(lines.removeFirst())
        guard lines.count <= maxFields else { throw .fetch("the response has more than \(maxFields) header fields") }
        var headers: [(String, String)] = []
        for line in lines {
            guard line.count <= maxLineBytes else { throw .fetch("an HTTP header line is longer than \(maxLineBytes) bytes") }
            guard let field = HTTPSyntax.field(line) else {
                throw .fetch("malformed HTTP header line \(String(decoding: line.prefix(60), as: UTF8.self).debugDescription)")
            }
            headers.append(field)
        }
        let response = HTTPResponse(status: status, headers: headers, body: [])
        let rest = data[(end + 4)...]
        if hasNoBody(status) {
            guard rest.isEmpty else { throw .fetch("the server sent a body after HTTP \(status), which has none") }
            return response
        }
        let body = try response.framedBody(rest, http10: minor == 0, maxBody: maxBody)
        return HTTPResponse(status: status, headers: headers, body: body)
    }

    /// RFC 9112 section 6.3 rule 1: never a body, whatever the fields say.
    package static func hasNoBody(_ status: Int) -> Bool { (100...199).contains(status) || status == 204 || status == 304 }

    /// "HTTP/1.x NNN[ reason]" with NNN in 100...599 (RFC 9110 section 15).
    private static func statusLine(_ line: ArraySlice<UInt8>) throws(POSHError) -> (Int, minor: UInt8) {
        let bad = POSHError.fetch("the server did not answer with an HTTP/1.x status line")
        let bytes = Array(line)
        guard bytes.count >= 12, bytes[..<7].elementsEqual("HTTP/1.".utf8), HTTPSyntax.isDigit(bytes[7]), bytes[8] == 32,
              bytes[9...11].allSatisfy(HTTPSyntax.isDigit), bytes.count == 12 || bytes[12] == 32,
              bytes.dropFirst(12).allSatisfy(HTTPSyntax.isFieldByte) else { throw bad }
        let status = bytes[9...11].reduce(0) { $0 * 10 + Int($1 - 48) }
        guard (100...599).contains(status) else { throw bad }
        return (status, bytes[7] - 48)
    }

    /// RFC 9112 section 6.3 rules 3-8, refusing what they call an error or
    /// a smuggling attempt.
    private func framedBody(_ rest: ArraySlice<UInt8>, http10: Bool, maxBody: Int) throws(POSHError) -> [UInt8] {
        let encodings = values("transfer-encoding")
        let lengths = values("content-length")
        if !encodings.isEmpty {
            guard lengths.isEmpty else {
                throw .fetch("the response has both Transfer-Encoding and Content-Length, so its length is ambiguous")
            }
            guard !http10 else { throw .fetch("Transfer-Encoding in an HTTP/1.0 response") }
            let codings = HTTPSyntax.list(encodings)
            guard codings.count == 1, codings[0].lowercased() == "chunked" else {
                throw .fetch("unsupported Transfer-Encoding \(encodings.joined(separator: ", ").prefix(60).debugDescription)")
            }
            return try HTTPChunkedBody.decode(rest, maxBody: maxBody)
        }
        if lengths.isEmpty {
            guard rest.count <= maxBody else { throw .fetch("the body is larger than \(maxBody) bytes") }
            return Array(rest)
        }
        // Repeated, or a list, only when every value is the same (RFC 9110 section 8.6).
        let parsed = HTTPSyntax.list(lengths).map { HTTPSyntax.number(Array($0.utf8), radix: 10) }
        guard !parsed.isEmpty, parsed.allSatisfy({ $0 != nil }) else {
            throw .fetch("malformed Content-Length \(lengths.joined(separator: ", ").prefix(60).debugDescription)")
        }
        guard Set(parsed).count == 1, let length = parsed[0] else {
            throw .fetch("conflicting Content-Length values \(lengths.joined(separator: ", ").prefix(60).debugDescription)")
        }
        guard length <= maxBody else { throw .fetch("the body is larger than \(maxBody) bytes (Content-Length \(lengths[0].prefix(30)))") }
        guard rest.count >= length else { throw .fetch("the body ended after \(rest.count) of \(length) bytes") }
        guard rest.count == length else { throw .fetch("the server sent more than its Content-Length") }
        return Array(rest)
    }
}
