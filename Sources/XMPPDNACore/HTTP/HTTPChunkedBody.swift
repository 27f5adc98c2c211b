/// The chunked transfer coding (RFC 9112 section 7.1): sizes in hex,
/// extensions ignored, trailer fields checked and dropped, and nothing
/// after the final CRLF. A size is compared with the room left under the
/// limit and with the bytes actually received before any byte is taken.
enum HTTPChunkedBody {
    static func decode(_ data: ArraySlice<UInt8>, maxBody: Int) throws(POSHError) -> [UInt8] {
        var body: [UInt8] = []
        var position = data.startIndex
        while true {
            let line = try HTTPSyntax.line(in: data, from: position, "chunk")
            position = line.upperBound + 2
            let size = try chunkSize(data[line])
            if size == 0 { break }
            guard size <= maxBody - body.count else { throw .fetch("the body is larger than \(maxBody) bytes") }
            guard data.endIndex - position >= size else { throw .fetch("the chunked body ended early, in a chunk") }
            body += data[position..<position + size]
            position += size
            guard data.endIndex - position >= 2 else { throw .fetch("the chunked body ended early, after a chunk") }
            guard data[position] == 13, data[position + 1] == 10 else { throw .fetch("a chunk is not followed by CRLF") }
            position += 2
        }
        var trailers = 0
        while true {
            let line = try HTTPSyntax.line(in: data, from: position, "trailer")
            position = line.upperBound + 2
            if line.isEmpty { break }
            trailers += 1
            guard trailers <= HTTPResponse.maxFields else {
                throw .fetch("the response has more than \(HTTPResponse.maxFields) trailer fields")
            }
            guard HTTPSyntax.field(data[line]) != nil else { throw .fetch("malformed HTTP trailer field") }
        }
        guard position == data.endIndex else { throw .fetch("the server sent bytes after the chunked body") }
        return body
    }

    /// `1*HEXDIG [ BWS ";" chunk-ext ]`; a size beyond Int is Int.max.
    private static func chunkSize(_ line: ArraySlice<UInt8>) throws(POSHError) -> Int {
        let digits = line.prefix(while: { HTTPSyntax.digitValue($0) != nil })
        let rest = line[digits.endIndex...].drop(while: HTTPSyntax.isWhitespace)
        guard let size = HTTPSyntax.number(digits, radix: 16), rest.isEmpty || rest.first == UInt8(ascii: ";"),
              rest.allSatisfy(HTTPSyntax.isFieldByte) else {
            throw .fetch("malformed chunk size \(String(decoding: line.prefix(40), as: UTF8.self).debugDescription)")
        }
        return size
    }
}
