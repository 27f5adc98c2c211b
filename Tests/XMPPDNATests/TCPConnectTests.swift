import Foundation
import Testing
@testable import XMPPDNAIO

/// TCPConnect on loopback: the three ways a connect ends before its deadline.
@Suite struct TCPConnectTests {
    /// A listening socket on 127.0.0.1 and a free port; the port.
    private func listener() throws -> (socket: Int32, port: UInt16) {
        let listening = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(listening >= 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listening, $0, length) == 0 && listen(listening, 4) == 0 && getsockname(listening, $0, &length) == 0
            }
        }
        try #require(bound)
        return (listening, UInt16(bigEndian: address.sin_port))
    }

    @Test func aListeningPeerGivesAConnectedNonBlockingSocket() async throws {
        let (listening, port) = try listener()
        defer { close(listening) }
        let outcome = await TCPConnect.open(octets: [127, 0, 0, 1], port: port, until: Deadline(millisecondsFromNow: 2000))
        guard case .connected(let socket) = outcome else {
            Issue.record("not connected: \(outcome)")
            return
        }
        defer { close(socket) }
        #expect(fcntl(socket, F_GETFL) & O_NONBLOCK != 0)
        #expect(fcntl(socket, F_GETFD) & FD_CLOEXEC != 0)
    }

    @Test func aClosedPortIsRefusedWithItsErrno() async throws {
        let (listening, port) = try listener()
        close(listening)  // nothing listens there now
        let outcome = await TCPConnect.open(octets: [127, 0, 0, 1], port: port, until: Deadline(millisecondsFromNow: 2000))
        #expect(outcome == .failed(errno: ECONNREFUSED))
    }

    @Test func anAddressOfNeitherFamilyIsRefusedUnsent() async {
        let outcome = await TCPConnect.open(octets: [127, 0, 0], port: 5269, until: Deadline(millisecondsFromNow: 2000))
        #expect(outcome == .failed(errno: EAFNOSUPPORT))
    }
}
