/// The DNSSEC security status of an answer (RFC 4035 section 4.3), plus
/// "indeterminate" for answers that never arrived.
public enum DNSSECStatus: Hashable, Sendable, CustomStringConvertible {
    /// Validated from a trust anchor down.
    case secure
    /// Proven unsigned (a signed denial of DS above it), or signed with an
    /// algorithm this validator does not support (RFC 6840 section 5.2).
    case insecure
    /// Should have validated and did not.
    case bogus(BogusReason)
    /// Timeout, network failure or a server that would not answer.
    case indeterminate(String)

    public var tag: String {
        switch self {
        case .secure: return "secure"
        case .insecure: return "insecure"
        case .bogus: return "bogus"
        case .indeterminate: return "indeterminate"
        }
    }

    public var isSecure: Bool { self == .secure }

    public var description: String {
        switch self {
        case .bogus(let reason): return "bogus (\(reason))"
        case .indeterminate(let why): return "indeterminate (\(why))"
        default: return tag
        }
    }

    /// The weaker of two statuses: a chain is only as secure as its weakest
    /// link, and a bogus link taints everything behind it.
    public func combined(with other: DNSSECStatus) -> DNSSECStatus {
        func rank(_ status: DNSSECStatus) -> Int {
            switch status {
            case .secure: return 0
            case .insecure: return 1
            case .indeterminate: return 2
            case .bogus: return 3
            }
        }
        return rank(other) > rank(self) ? other : self
    }
}

/// Why an answer is bogus, with the RFC 8914 Extended DNS Error code that
/// names the same failure, so operators can search for it.
public struct BogusReason: Hashable, Sendable, CustomStringConvertible {
    public let extendedErrorCode: UInt16
    public let detail: String

    public init(extendedErrorCode: UInt16, detail: String) {
        self.extendedErrorCode = extendedErrorCode
        self.detail = detail
    }

    public static func dnssecBogus(_ detail: String) -> BogusReason { .init(extendedErrorCode: 6, detail: detail) }
    public static func signatureExpired(_ detail: String) -> BogusReason { .init(extendedErrorCode: 7, detail: detail) }
    public static func signatureNotYetValid(_ detail: String) -> BogusReason { .init(extendedErrorCode: 8, detail: detail) }
    /// A DS exists but no DNSKEY matches it: the classic "DS mismatch".
    public static func dnskeyMissing(_ detail: String) -> BogusReason { .init(extendedErrorCode: 9, detail: detail) }
    public static func rrsigsMissing(_ detail: String) -> BogusReason { .init(extendedErrorCode: 10, detail: detail) }
    public static func noZoneKeyBitSet(_ detail: String) -> BogusReason { .init(extendedErrorCode: 11, detail: detail) }
    public static func nsecMissing(_ detail: String) -> BogusReason { .init(extendedErrorCode: 12, detail: detail) }

    /// RFC 8914 section 5.2 names.
    public var name: String {
        switch extendedErrorCode {
        case 6: return "DNSSEC Bogus"
        case 7: return "Signature Expired"
        case 8: return "Signature Not Yet Valid"
        case 9: return "DNSKEY Missing"
        case 10: return "RRSIGs Missing"
        case 11: return "No Zone Key Bit Set"
        case 12: return "NSEC Missing"
        default: return "EDE \(extendedErrorCode)"
        }
    }

    public var description: String { "\(name): \(detail)" }
}
