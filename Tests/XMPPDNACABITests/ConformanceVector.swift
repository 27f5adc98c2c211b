import CXMPPDNA
import Foundation

/// One line of ../shared/conformance/identity-vectors.jsonl (fields: ../shared/README.md),
/// turned into the exact bytes the C ABI receives.
struct ConformanceVector: Sendable {
    /// An identifier as typed bytes, plus the vector's own text for messages.
    struct Identifier: Sendable {
        let type: Int32
        let bytes: [UInt8]
        let text: String
    }

    let id: String
    let kind: String
    let rule: String
    let tags: [String]
    let certPEM: String?
    /// The vector's san_*/cn fields; the runner passes them only when there is no certificate.
    let presented: [Identifier]
    /// nil when the vector names no reference.
    let reference: Identifier?
    let expect: Bool
    let expectRFC6125: Bool?
    let expectRFC9525: Bool?

    var isMatch: Bool { kind == "match" || kind == "derived_match" }

    /// A line the runner cannot turn into ABI input; the suite fails on it
    /// rather than guessing.
    struct ReadingError: Error, CustomStringConvertible {
        let description: String
    }

    private struct Line: Decodable {
        let id: String
        let kind: String
        let rule: String
        let tags: [String]
        let certPem: String?
        let sanDns: [String]
        let sanSrv: [String]
        let sanXmpp: [String]
        let sanUri: [String]
        let sanIp: [String]
        let cn: [String]
        let reference: String?
        let expect: Bool
        let expectRfc6125: Bool?
        let expectRfc9525: Bool?
    }

    private static let referenceTypes: [String: Int32] = [
        "dns": XMPPDNA_ID_DNS, "srv": XMPPDNA_ID_SRV, "xmpp": XMPPDNA_ID_XMPP,
        "uri": XMPPDNA_ID_URI, "ip": XMPPDNA_ID_IP,
    ]

    static func typeName(_ type: Int32) -> String {
        switch type {
        case XMPPDNA_ID_DNS: "dns"
        case XMPPDNA_ID_SRV: "srv"
        case XMPPDNA_ID_XMPP: "xmpp"
        case XMPPDNA_ID_URI: "uri"
        case XMPPDNA_ID_IP: "ip"
        case XMPPDNA_ID_CN: "cn"
        default: "type\(type)"
        }
    }

    /// Reads every non-empty line; a line that cannot be read becomes an error, not a skip.
    static func load(_ url: URL) -> (vectors: [ConformanceVector], errors: [String]) {
        guard let data = try? Data(contentsOf: url) else { return ([], ["cannot read \(url.path)"]) }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        var vectors: [ConformanceVector] = []
        var errors: [String] = []
        for (number, line) in data.split(separator: UInt8(ascii: "\n")).enumerated() where !line.isEmpty {
            do {
                vectors.append(try ConformanceVector(try decoder.decode(Line.self, from: Data(line))))
            } catch {
                errors.append("line \(number + 1): \(error)")
            }
        }
        return (vectors, errors)
    }

    private init(_ line: Line) throws {
        id = line.id
        kind = line.kind
        rule = line.rule
        tags = line.tags
        certPEM = line.certPem
        expect = line.expect
        expectRFC6125 = line.expectRfc6125
        expectRFC9525 = line.expectRfc9525
        let latin1 = line.tags.contains("raw_bytes_latin1")
        let encode = { (text: String) throws -> [UInt8] in
            try latin1 ? ConformanceVector.latin1Bytes(text, line.id) : Array(text.utf8)
        }

        var presented: [Identifier] = []
        for (values, type) in [(line.sanDns, XMPPDNA_ID_DNS), (line.sanSrv, XMPPDNA_ID_SRV),
                               (line.sanXmpp, XMPPDNA_ID_XMPP), (line.sanUri, XMPPDNA_ID_URI),
                               (line.cn, XMPPDNA_ID_CN)] {
            for value in values { presented.append(Identifier(type: type, bytes: try encode(value), text: value)) }
        }
        // An iPAddress SAN holds octets, not text.
        for value in line.sanIp {
            presented.append(Identifier(type: XMPPDNA_ID_IP, bytes: try ConformanceVector.ipOctets(value, line.id),
                                        text: value))
        }
        self.presented = presented

        if let text = line.reference {
            guard let colon = text.firstIndex(of: ":"), let type = ConformanceVector.referenceTypes[String(text[..<colon])]
            else { throw ReadingError(description: "\(line.id): unknown reference form \(text.debugDescription)") }
            let value = String(text[text.index(after: colon)...])
            reference = Identifier(type: type, bytes: try encode(value), text: value)
        } else {
            reference = nil
        }
    }

    private static func latin1Bytes(_ text: String, _ id: String) throws -> [UInt8] {
        try text.unicodeScalars.map { scalar in
            guard scalar.value <= 0xFF else {
                throw ReadingError(description: "\(id): \(text.debugDescription) is tagged raw_bytes_latin1 but is not latin-1")
            }
            return UInt8(scalar.value)
        }
    }

    private static func ipOctets(_ text: String, _ id: String) throws -> [UInt8] {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        throw ReadingError(description: "\(id): san_ip \(text.debugDescription) is not an IP address")
    }
}
