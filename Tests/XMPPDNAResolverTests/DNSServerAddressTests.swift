#if canImport(Glibc)
import Glibc
#endif
import Testing
import XMPPDNACore
@testable import XMPPDNAResolver

/// "ADDR@PORT", the notation of Unbound and drill, or "ADDR" for port 53.
@Suite struct DNSServerAddressTests {
    @Test func anAddressAloneMeansPort53() throws {
        let v4 = try DNSServerAddress("192.0.2.53")
        #expect(v4.address == (try IPAddress("192.0.2.53")))
        #expect(v4.port == 53)
        let v6 = try DNSServerAddress("2001:db8::53")
        #expect(v6.address.octets.count == 16)
        #expect(v6.port == 53)
    }

    @Test func aPortFollowsTheAtSign() throws {
        #expect(try DNSServerAddress("127.0.0.1@5353") == DNSServerAddress(address: try IPAddress("127.0.0.1"), port: 5353))
        #expect(try DNSServerAddress("::1@5300").port == 5300)
        #expect(try DNSServerAddress("::1@5300").address == (try IPAddress("::1")))
        #expect(try DNSServerAddress("192.0.2.1@65535").port == 65535)
    }

    @Test func anIPv6AddressMayBeBracketed() throws {
        #expect(try DNSServerAddress("[::1]@53") == DNSServerAddress(address: try IPAddress("::1")))
        #expect(try DNSServerAddress("[2001:db8::1]") == DNSServerAddress(address: try IPAddress("2001:db8::1")))
    }

    @Test func badPortsAreRefused() {
        for text in ["127.0.0.1@0", "127.0.0.1@65536", "127.0.0.1@", "127.0.0.1@53x", "127.0.0.1@-1", "127.0.0.1@ 53"] {
            #expect(throws: IdentityInputError.self, "\(text)") { try DNSServerAddress(text) }
        }
    }

    @Test func onlyAddressesAreServers() {
        for text in ["", "@53", "dns.example@53", "dns.example", "127.1", "[::1", "::1]", "[127.0.0.1@53]", "1.2.3.4.5"] {
            #expect(throws: IdentityInputError.self, "\(text)") { try DNSServerAddress(text) }
        }
    }

    @Test func descriptionRoundTrips() throws {
        #expect(try DNSServerAddress("192.0.2.1").description == "192.0.2.1@53")
        #expect(try DNSServerAddress("2001:DB8::1@5353").description == "[2001:db8::1]@5353")
        for text in ["192.0.2.1@53", "[::1]@5300", "[2001:db8::1]@53"] {
            #expect(try DNSServerAddress(DNSServerAddress(text).description) == DNSServerAddress(text))
        }
    }

    @Test func loopback() throws {
        #expect(try DNSServerAddress("127.0.0.1").isLoopback)
        #expect(try DNSServerAddress("127.255.0.9@53").isLoopback)
        #expect(try DNSServerAddress("::1").isLoopback)
        #expect(try !DNSServerAddress("128.0.0.1").isLoopback)
        #expect(try !DNSServerAddress("::2").isLoopback)
        #expect(try !DNSServerAddress("::").isLoopback)
        #expect(try !DNSServerAddress("192.0.2.1").isLoopback)
    }

    @Test func theSocketAddressCarriesFamilyAddressAndPortInNetworkOrder() throws {
        try DNSServerAddress("192.0.2.7@5353").withSocketAddress { storage, length in
            #expect(Int(length) == MemoryLayout<sockaddr_in>.size)
            storage.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { sin in
                #expect(Int32(sin.pointee.sin_family) == AF_INET)
                #expect(UInt16(bigEndian: sin.pointee.sin_port) == 5353)
                #expect(withUnsafeBytes(of: sin.pointee.sin_addr) { Array($0) } == [192, 0, 2, 7])
            }
        }
        try DNSServerAddress("[2001:db8::1]@53").withSocketAddress { storage, length in
            #expect(Int(length) == MemoryLayout<sockaddr_in6>.size)
            storage.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { sin6 in
                #expect(Int32(sin6.pointee.sin6_family) == AF_INET6)
                #expect(UInt16(bigEndian: sin6.pointee.sin6_port) == 53)
                #expect(withUnsafeBytes(of: sin6.pointee.sin6_addr) { Array($0) }
                        == [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])
            }
        }
    }
}
