/// An HTTP/1.x response read from a closed connection, framed strictly:
/// Content-Length or chunked, and nothing beyond what the framing says.
/// Pure, so it can be tested and fuzzed without a server.
struct HTTPResponse: Hashable, Sendable {
    let status: Int
    /// Header names lowercased, in order.
    let headers: [(String, String)]
    let body: [UInt8]

    static let maxHeaderBytes = 16_384

    static func == (lhs: HTTPResponse, rhs: HTTPResponse) -> Bool {
        lhs.status == rhs.status && lhs.body == rhs.body && lhs.headers.map(\.0) == rhs.headers.map(\.0)
            && lhs.headers.map(\.1) == rhs.headers.map(\.1)
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(status)
        hasher.combine(body)
    }

    func header(_ name: String) -> String? { headers.first(where: { $0.0 == name })?.1 }

    static func parse(_ bytes: [UInt8], maxBody: Int) throws(POSHError) -> HTTPResponse {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let end = firstIndex(of: separator, in: bytes, limit: maxHeaderBytes) else {
            throw .fetch(bytes.count > maxHeaderBytes ? "the HTTP header is larger than \(maxHeaderBytes) bytes"
                                                       : "the server closed the connection before a complete HTTP header")
        }
        guard let head = String(validating: bytes[..<end], as: UTF8.self) else { throw .fetch("the HTTP header is not text") }
        var lines = head.split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init)
        let statusLine = lines.removeFirst().split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard statusLine.count >= 2, statusLine[0] == "HTTP/1.1" || statusLine[0] == "HTTP/1.0",
              statusLine[1].count == 3, let status = Int(statusLine[1]) else {
            throw .fetch("the server did not answer with an HTTP/1.x status line")
        }
        var headers: [(String, String)] = []
        for line in lines {
            guard let colon = line.firstIndex(of: ":"), !line.hasPrefix(" "), !line.hasPrefix("\t") else {
                throw .fetch("malformed HTTP header line \(line.prefix(60).debugDescription)")
            }
            let name = line[..<colon].lowercased()
            guard !name.isEmpty, !name.contains(" ") else { throw .fetch("malformed HTTP header name") }
            headers.append((name, line[line.index(after: colon)...].trimmingCharacters()))
        }
        let rest = Array(bytes[(end + 4)...])
        let body: [UInt8]
        if let encoding = headers.first(where: { $0.0 == "transfer-encoding" })?.1 {
            guard encoding.lowercased() == "chunked" else { throw .fetch("unsupported Transfer-Encoding \(encoding)") }
            body = try dechunk(rest, maxBody: maxBody)
        } else {
            let lengths = Set(headers.filter { $0.0 == "content-length" }.map(\.1))
            if lengths.isEmpty {
                body = rest
            } else {
                guard lengths.count == 1, let length = Int(lengths.first!), length >= 0 else {
                    throw .fetch("conflicting or malformed Content-Length")
                }
                guard length <= maxBody else { throw .fetch("the body is \(length) bytes; at most \(maxBody) are read") }
                guard rest.count >= length else { throw .fetch("the body ended after \(rest.count) of \(length) bytes") }
                guard rest.count == length else { throw .fetch("the server sent more than its Content-Length") }
                body = rest
            }
        }
        guard body.count <= maxBody else { throw .fetch("the body is larger than \(maxBody) bytes") }
        return HTTPResponse(status: status, headers: headers, body: body)
    }

    private static func dechunk(_ data: [UInt8], maxBody: Int) throws(POSHError) -> [UInt8] {
        var body: [UInt8] = []
        var position = 0
        while true {
            guard let lineEnd = firstIndex(of: [13, 10], in: Array(data[position...]), limit: 1024).map({ $0 + position }) else {
                throw .fetch("malformed chunked body")
            }
            let sizeText = String(decoding: data[position..<lineEnd], as: UTF8.self).split(separator: ";").first ?? ""
            guard !sizeText.isEmpty, sizeText.count <= 8, let size = Int(sizeText, radix: 16) else {
                throw .fetch("malformed chunk size")
            }
            position = lineEnd + 2
            if size == 0 { return body }
            guard body.count + size <= maxBody else { throw .fetch("the body is larger than \(maxBody) bytes") }
            guard data.count - position >= size + 2, data[position + size] == 13, data[position + size + 1] == 10 else {
                throw .fetch("the chunked body ended early")
            }
            body += data[position..<position + size]
            position += size + 2
        }
    }

    private static func firstIndex(of pattern: [UInt8], in bytes: [UInt8], limit: Int) -> Int? {
        guard bytes.count >= pattern.count else { return nil }
        for index in 0...min(bytes.count - pattern.count, limit) where bytes[index..<index + pattern.count].elementsEqual(pattern) {
            return index
        }
        return nil
    }
}
