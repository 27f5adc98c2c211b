#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// An IPv4 or IPv6 address as its network-order octets. Only iPAddress SANs
/// match it; it never matches a DNS-ID or a CN (RFC 9525 section 6.5).
public struct IPAddress: Hashable, Sendable, CustomStringConvertible {
    public let octets: [UInt8]

    /// Parses the strict text forms that inet_pton accepts: dotted quad
    /// ("127.1" and trailing text are refused) or RFC 4291 IPv6.
    public init(_ text: String) throws(IdentityInputError) {
        if text.utf8.contains(0) { throw .encoding("contains a NUL byte") }
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            octets = withUnsafeBytes(of: &v4) { Array($0) }
            return
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            octets = withUnsafeBytes(of: &v6) { Array($0) }
            return
        }
        throw .badName("is not an IPv4 or IPv6 address")
    }

    /// From a certificate's iPAddress SAN; nil unless 4 or 16 octets.
    public init?(octets: [UInt8]) {
        guard octets.count == 4 || octets.count == 16 else { return nil }
        self.octets = octets
    }

    public static func looksLikeAddress(_ text: String) -> Bool {
        // Most callers pass host names: one letter past f settles it without parsing.
        let possible = text.utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46) || c == 0x2e || c == 0x3a
        }
        return possible && (try? IPAddress(text)) != nil
    }

    public var description: String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let family = octets.count == 4 ? AF_INET : AF_INET6
        let ok = octets.withUnsafeBytes { inet_ntop(family, $0.baseAddress, &buffer, socklen_t(buffer.count)) }
        guard ok != nil else { return "invalid address" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
