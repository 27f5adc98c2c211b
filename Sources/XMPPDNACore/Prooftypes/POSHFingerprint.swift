/// The hashes xmppdna accepts in a POSH fingerprint, weakest first. Names
/// are from the IANA Hash Function Textual Names registry; sha-1 and md5
/// are read but never trusted.
public enum POSHHash: String, CaseIterable, Comparable, Hashable, Sendable {
    case sha256 = "sha-256"
    case sha384 = "sha-384"
    case sha512 = "sha-512"

    public var length: Int {
        switch self {
        case .sha256: return 32
        case .sha384: return 48
        case .sha512: return 64
        }
    }

    public static func < (lhs: POSHHash, rhs: POSHHash) -> Bool { lhs.length < rhs.length }
}

/// One fingerprint descriptor: the digests of one certificate under one
/// or more hashes (RFC 7711 section 3.1).
public struct POSHFingerprint: Hashable, Sendable {
    public let digests: [POSHHash: [UInt8]]
    /// Member names that are not a supported hash (e.g. "sha-1"), kept for reports.
    public let ignored: [String]

    /// Only the strongest digest is compared, as in RFC 7671 section 9's
    /// digest agility: a weaker one must not be able to stand in for it.
    public var strongest: (hash: POSHHash, digest: [UInt8])? {
        digests.max(by: { $0.key < $1.key }).map { ($0.key, $0.value) }
    }

    public init(digests: [POSHHash: [UInt8]], ignored: [String] = []) {
        self.digests = digests
        self.ignored = ignored
    }

    init(_ value: JSONValue, index: Int) throws(POSHError) {
        guard case .object(let members) = value else {
            throw .malformed("fingerprint \(index) is \(value.kind), not an object")
        }
        guard !members.isEmpty else { throw .malformed("fingerprint \(index) names no hash") }
        var digests: [POSHHash: [UInt8]] = [:]
        var ignored: [String] = []
        for (name, member) in members {
            guard case .string(let text) = member else {
                throw .malformed("fingerprint \(index) \"\(name)\" is \(member.kind), not a base64 string")
            }
            guard let hash = POSHHash(rawValue: name) else {
                ignored.append(name)
                continue
            }
            guard let digest = Base64.decode(text) else {
                throw .malformed("fingerprint \(index) \"\(name)\" is not canonical base64 (RFC 4648 section 4)")
            }
            guard digest.count == hash.length else {
                throw .malformed("fingerprint \(index) \"\(name)\" is \(digest.count) bytes; \(name) digests are \(hash.length)")
            }
            digests[hash] = digest
        }
        self.digests = digests
        self.ignored = ignored
    }
}
