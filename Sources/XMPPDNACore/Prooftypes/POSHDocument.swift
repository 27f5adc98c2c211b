/// A POSH document (RFC 7711 section 3), parsed strictly: either the
/// fingerprints of the certificates a domain's service may present, or a
/// `url` reference to another document. Pure: no I/O here.
public struct POSHDocument: Hashable, Sendable {
    public enum Body: Hashable, Sendable {
        case fingerprints([POSHFingerprint])
        /// An https URL whose document holds the fingerprints (section 3.2).
        case reference(POSHURL)
    }

    public let body: Body
    /// Seconds the document may be kept (section 3.1); never 0.
    public let expires: UInt32

    /// At most this many fingerprint descriptors are read.
    public static let maxFingerprints = 32

    public init(body: Body, expires: UInt32) {
        self.body = body
        self.expires = expires
    }

    public static func parse(_ bytes: some Collection<UInt8>) throws(POSHError) -> POSHDocument {
        let root: JSONValue
        do { root = try JSONParser.parse(bytes) } catch { throw .malformed(error.description) }
        guard case .object(let members) = root else { throw .malformed("the document is \(root.kind), not an object") }
        let fields = Dictionary(members, uniquingKeysWith: { first, _ in first })

        let expires = try parseExpires(fields["expires"])
        switch (fields["fingerprints"], fields["url"]) {
        case (nil, nil):
            throw .malformed("the document has neither \"fingerprints\" nor \"url\"")
        case (.some, .some):
            throw .malformed("the document has both \"fingerprints\" and \"url\"; RFC 7711 allows one")
        case (let value?, nil):
            return POSHDocument(body: .fingerprints(try parseFingerprints(value)), expires: expires)
        case (nil, let value?):
            guard case .string(let text) = value else { throw .malformed("\"url\" is \(value.kind), not a string") }
            return POSHDocument(body: .reference(try POSHURL(text)), expires: expires)
        }
    }

    /// RFC 7711 section 3.1: missing or 0 means the document is not to be used.
    private static func parseExpires(_ value: JSONValue?) throws(POSHError) -> UInt32 {
        guard let value else { throw .malformed("\"expires\" is missing; RFC 7711 makes such a document invalid") }
        guard case .number(let text) = value else { throw .malformed("\"expires\" is \(value.kind), not a number") }
        guard let seconds = UInt32(text) else {
            throw .malformed("\"expires\" is \(text), not a non-negative whole number of seconds below 2^32")
        }
        guard seconds > 0 else { throw .malformed("\"expires\" is 0; RFC 7711 makes such a document invalid") }
        return seconds
    }

    private static func parseFingerprints(_ value: JSONValue) throws(POSHError) -> [POSHFingerprint] {
        guard case .array(let elements) = value else { throw .malformed("\"fingerprints\" is \(value.kind), not an array") }
        guard !elements.isEmpty else { throw .malformed("\"fingerprints\" is empty") }
        guard elements.count <= maxFingerprints else {
            throw .malformed("\"fingerprints\" has \(elements.count) entries; at most \(maxFingerprints) are read")
        }
        var fingerprints: [POSHFingerprint] = []
        for (index, element) in elements.enumerated() {
            fingerprints.append(try POSHFingerprint(element, index: index))
        }
        guard fingerprints.contains(where: { $0.strongest != nil }) else {
            throw .malformed("no fingerprint uses a supported hash (\(POSHHash.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        return fingerprints
    }
}
