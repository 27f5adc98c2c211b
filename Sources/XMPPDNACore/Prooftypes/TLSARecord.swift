/// One TLSA record (RFC 6698 section 2.1): certificate usage, selector,
/// matching type and association data.
public struct TLSARecord: Hashable, Sendable, CustomStringConvertible {
    public enum Usage: UInt8, Sendable {
        case pkixTA = 0, pkixEE = 1, daneTA = 2, daneEE = 3
    }
    public enum Selector: UInt8, Sendable {
        case fullCertificate = 0, subjectPublicKeyInfo = 1
    }
    public enum MatchingType: UInt8, Sendable {
        case exact = 0, sha256 = 1, sha512 = 2

        /// RFC 7671 section 9: a stronger digest retires a weaker one.
        var strength: Int { self == .sha512 ? 2 : self == .sha256 ? 1 : 0 }
    }

    public let usageValue: UInt8
    public let selectorValue: UInt8
    public let matchingTypeValue: UInt8
    public let data: [UInt8]

    /// Where the TLSA records of an endpoint live (RFC 6698 section 3): `_PORT._tcp.HOST`.
    public static func owner(host: DNSName, port: UInt16) -> String { "_\(port)._tcp.\(host.text)" }

    public init(usage: UInt8, selector: UInt8, matchingType: UInt8, data: [UInt8]) {
        usageValue = usage
        selectorValue = selector
        matchingTypeValue = matchingType
        self.data = data
    }

    /// Parses "USAGE SELECTOR MTYPE HEX" (the hex may be split by spaces).
    public init(presentation: String) throws(IdentityInputError) {
        let fields = presentation.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard fields.count >= 4, let usage = UInt8(fields[0]), let selector = UInt8(fields[1]),
              let matching = UInt8(fields[2]) else {
            throw .badName("is not a TLSA record \"USAGE SELECTOR MTYPE HEX\"")
        }
        let hex = Array(fields[3...].joined().utf8)
        guard hex.count % 2 == 0, !hex.isEmpty else { throw .badName("has association data that is not whole hex bytes") }
        var data: [UInt8] = []
        data.reserveCapacity(hex.count / 2)
        for i in stride(from: 0, to: hex.count, by: 2) {
            guard let high = TLSARecord.nibble(hex[i]), let low = TLSARecord.nibble(hex[i + 1]) else {
                throw .badName("has association data that is not hex")
            }
            data.append(high << 4 | low)
        }
        self.init(usage: usage, selector: selector, matchingType: matching, data: data)
    }

    public var usage: Usage? { Usage(rawValue: usageValue) }
    public var selector: Selector? { Selector(rawValue: selectorValue) }
    public var matchingType: MatchingType? { MatchingType(rawValue: matchingTypeValue) }

    /// RFC 7671 section 4: records with unknown parameters or digests of
    /// the wrong length are unusable and ignored.
    public var isUsable: Bool {
        guard usage != nil, selector != nil, let matchingType else { return false }
        switch matchingType {
        case .exact: return !data.isEmpty
        case .sha256: return data.count == 32
        case .sha512: return data.count == 64
        }
    }

    public var description: String {
        "\(usageValue) \(selectorValue) \(matchingTypeValue) \(hexString(data))"
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x41...0x46: return c - 0x41 + 10
        case 0x61...0x66: return c - 0x61 + 10
        default: return nil
        }
    }

    /// The usable records, with weaker digests dropped where a stronger one
    /// exists for the same usage and selector (RFC 7671 section 9).
    public static func usable(_ records: [TLSARecord]) -> [TLSARecord] {
        let candidates = records.filter(\.isUsable)
        return candidates.filter { record in
            guard let strength = record.matchingType?.strength, strength > 0 else { return true }
            return !candidates.contains {
                $0.usageValue == record.usageValue && $0.selectorValue == record.selectorValue
                    && ($0.matchingType?.strength ?? 0) > strength
            }
        }
    }
}
