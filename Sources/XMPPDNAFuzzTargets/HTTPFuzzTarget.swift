import XMPPDNA
import XMPPDNACore
import XMPPDNAOpenSSL
import XMPPDNAResolver
import XMPPDNANet

/// A POSH server's whole HTTP response through the strict framing and the
/// redirect rules. Input: one flags byte (bit 0 a 64-byte body limit
/// instead of POSH's 64 KiB, bits 2-7 the chunk size less one for the
/// re-encoding), then the response. A response that parses must keep the
/// limits and read back the same when written out again, with
/// Content-Length or chunked; a redirect must lead to https only, and a
/// path to the same host.
enum HTTPFuzzTarget {
    private static let asked = try! POSHURL("https://example.com/.well-known/posh/xmpp-server.json")
    private static let framing: Set<String> = ["content-length", "transfer-encoding"]

    static func run(_ input: inout FuzzInput) {
        let flags = input.byte()
        let maxBody = flags & 1 == 1 ? 64 : POSHFetcher.maxDocumentBytes
        guard let response = try? HTTPResponse.parse(input.rest(), maxBody: maxBody) else { return }
        checkLimits(response, maxBody: maxBody)
        let again = try? HTTPResponse.parse(rewritten(response, chunkSize: Int(flags >> 2) + 1), maxBody: maxBody)
        VerdictReading.check(again.map { $0.status == response.status && $0.body == response.body
                                 && unframed($0.headers) == unframed(response.headers) } ?? false,
                             "HTTP \(response.status) with \(response.body.count) body bytes does not read back the same")
        if HTTPRedirect.statuses.contains(response.status) { checkRedirect(response) }
    }

    private static func checkLimits(_ response: HTTPResponse, maxBody: Int) {
        VerdictReading.check(response.body.count <= maxBody, "a body of \(response.body.count) bytes passed a limit of \(maxBody)")
        VerdictReading.check((100...599).contains(response.status), "status \(response.status)")
        VerdictReading.check(response.headers.count <= HTTPResponse.maxFields, "\(response.headers.count) header fields")
        for (name, value) in response.headers {
            VerdictReading.check(!name.isEmpty && name == name.lowercased(), "header name \(name.debugDescription)")
            VerdictReading.check(!value.unicodeScalars.contains { $0 == "\r" || $0 == "\n" || $0 == "\0" }
                                 && value.first != " " && value.last != " ", "header value \(value.debugDescription)")
        }
        guard !HTTPResponse.hasNoBody(response.status) else { return }
        // Empty list elements do not count (RFC 9110 section 5.6.1.2).
        for length in response.values("content-length").flatMap({ $0.split(separator: ",") }) {
            let digits = length.filter { $0 != " " && $0 != "\t" }
            VerdictReading.check(digits.isEmpty || Int(digits) == response.body.count,
                                 "Content-Length \(length) but a body of \(response.body.count) bytes")
        }
    }

    /// The response as a plain server would send it, with the same kind of
    /// framing; never longer in its header, so it stays within the limits.
    private static func rewritten(_ response: HTTPResponse, chunkSize: Int) -> [UInt8] {
        var head = "HTTP/1.1 \(response.status)\r\n" + unframed(response.headers).map { "\($0)\r\n" }.joined()
        var body = response.body
        let framed = !HTTPResponse.hasNoBody(response.status)
        if framed && !response.values("transfer-encoding").isEmpty {
            head += "transfer-encoding:chunked\r\n"
            body = stride(from: 0, to: body.count, by: chunkSize).flatMap { start in
                let piece = response.body[start..<min(start + chunkSize, response.body.count)]
                return Array(String(piece.count, radix: 16).utf8) + [13, 10] + piece + [13, 10]
            } + Array("0\r\n\r\n".utf8)
        } else if framed && !response.values("content-length").isEmpty {
            head += "content-length:\(body.count)\r\n"
        }
        // Values hold one scalar per byte.
        return (head + "\r\n").unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) } + body
    }

    private static func unframed(_ headers: [(String, String)]) -> [String] {
        headers.filter { !framing.contains($0.0) }.map { "\($0.0):\($0.1)" }
    }

    private static func checkRedirect(_ response: HTTPResponse) {
        guard let target = try? HTTPRedirect.target(of: response, from: asked), let location = response.header("location") else { return }
        VerdictReading.check(target.description.hasPrefix("https://") && (try? POSHURL(target.description)) == target,
                             "redirect to \(target)")
        if location.hasPrefix("/") && !location.hasPrefix("//") {
            VerdictReading.check(target.host == asked.host && target.port == asked.port, "a path led to \(target)")
        }
    }
}
