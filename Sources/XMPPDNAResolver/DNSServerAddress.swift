#if canImport(Glibc)
import Glibc
import XMPPDNACore
#endif

/// A DNS server to ask: an address and a port, written "ADDR@PORT" (the
/// notation of Unbound and drill) or "ADDR" for port 53.
public struct DNSServerAddress: Hashable, Sendable, CustomStringConvertible {
    public let address: IPAddress
    public let port: UInt16

    public init(address: IPAddress, port: UInt16 = 53) {
        self.address = address
        self.port = port
    }

    public init(_ text: String) throws(IdentityInputError) {
        var host = Substring(text)
        var port: UInt16 = 53
        if let at = text.lastIndex(of: "@") {
            guard let parsed = UInt16(text[text.index(after: at)...]), parsed > 0 else {
                throw .badName("has an invalid port after @")
            }
            port = parsed
            host = text[..<at]
        }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = host.dropFirst().dropLast() }
        self.address = try IPAddress(String(host))
        self.port = port
    }

    public var isLoopback: Bool {
        let octets = address.octets
        if octets.count == 4 { return octets[0] == 127 }
        return octets == [UInt8](repeating: 0, count: 15) + [1]
    }

    public var description: String {
        address.octets.count == 16 ? "[\(address)]@\(port)" : "\(address)@\(port)"
    }

    /// The sockaddr ldns sends to.
    func withSocketAddress<T>(_ body: (UnsafePointer<sockaddr_storage>, socklen_t) -> T) -> T {
        var storage = sockaddr_storage()
        let length: socklen_t = withUnsafeMutableBytes(of: &storage) { raw in
            if address.octets.count == 4 {
                var sin = sockaddr_in()
                sin.sin_family = sa_family_t(AF_INET)
                sin.sin_port = port.bigEndian
                withUnsafeMutableBytes(of: &sin.sin_addr) { $0.copyBytes(from: address.octets) }
                withUnsafeBytes(of: sin) { raw.copyMemory(from: $0) }
                return socklen_t(MemoryLayout<sockaddr_in>.size)
            }
            var sin6 = sockaddr_in6()
            sin6.sin6_family = sa_family_t(AF_INET6)
            sin6.sin6_port = port.bigEndian
            withUnsafeMutableBytes(of: &sin6.sin6_addr) { $0.copyBytes(from: address.octets) }
            withUnsafeBytes(of: sin6) { raw.copyMemory(from: $0) }
            return socklen_t(MemoryLayout<sockaddr_in6>.size)
        }
        return withUnsafePointer(to: &storage) { body($0, length) }
    }
}
