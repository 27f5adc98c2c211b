#if canImport(Glibc)
import Glibc
#endif

/// A TCP connect that waits without holding a thread: the socket is
/// non-blocking from the start and `Readiness` waits for the handshake, so
/// a peer that drops the SYN costs a descriptor until the deadline, never a
/// thread (issue #23; ldns_tcp_bgsend2 waited in a blocking select).
public enum TCPConnect {
    public enum Outcome: Sendable, Equatable {
        /// The connected socket, non-blocking and close-on-exec; the caller closes it.
        case connected(Int32)
        /// socket(), connect() or the handshake failed with this errno.
        case failed(errno: Int32)
        case timedOut
        case cancelled
    }

    /// Connects to `octets` (4 for IPv4, 16 for IPv6) and `port` by
    /// `deadline`. Every outcome but `.connected` has closed the socket.
    public static func open(octets: [UInt8], port: UInt16, until deadline: Deadline) async -> Outcome {
        let v4 = octets.count == 4
        guard v4 || octets.count == 16 else { return .failed(errno: EAFNOSUPPORT) }
        let socket = Glibc.socket(v4 ? AF_INET : AF_INET6,
                                  Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard socket >= 0 else { return .failed(errno: errno) }
        let started: Int32
        if v4 {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            withUnsafeMutableBytes(of: &address.sin_addr) { $0.copyBytes(from: octets) }
            started = connect(socket, to: &address)
        } else {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = port.bigEndian
            withUnsafeMutableBytes(of: &address.sin6_addr) { $0.copyBytes(from: octets) }
            started = connect(socket, to: &address)
        }
        if started == 0 { return .connected(socket) }  // loopback may connect at once
        if errno != EINPROGRESS { return closing(socket, .failed(errno: errno)) }
        switch await Readiness.wait(socket, for: .writable, until: deadline) {
        case .ready: break
        case .timedOut: return closing(socket, .timedOut)
        case .cancelled: return closing(socket, .cancelled)
        }
        var failure: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        if getsockopt(socket, SOL_SOCKET, SO_ERROR, &failure, &length) != 0 { failure = errno }
        return failure == 0 ? .connected(socket) : closing(socket, .failed(errno: failure))
    }

    private static func connect<Address>(_ socket: Int32, to address: inout Address) -> Int32 {
        withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(socket, $0, socklen_t(MemoryLayout<Address>.size)) }
        }
    }

    private static func closing(_ socket: Int32, _ outcome: Outcome) -> Outcome {
        close(socket)
        return outcome
    }
}
