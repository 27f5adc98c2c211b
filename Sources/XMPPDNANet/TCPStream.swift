#if canImport(Glibc)
import Glibc
#endif
import XMPPDNACore
import XMPPDNAIO

/// A non-blocking TCP connection where every step waits, without a thread, against
/// one deadline, so a silent or slow peer costs at most the caller's budget.
final class TCPStream {
    let socket: Int32
    let deadline: UInt64
    let peer: String

    init(address: IPAddress, port: UInt16, deadline: UInt64) async throws(NetworkError) {
        self.deadline = deadline
        peer = "\(address) port \(port)"
        let v4 = address.octets.count == 4
        let socket = Glibc.socket(v4 ? AF_INET : AF_INET6,
                                  Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard socket >= 0 else { throw NetworkError(.system, "cannot make a socket: \(String(cString: strerror(errno)))") }
        self.socket = socket
        let result: Int32
        if v4 {
            var storage = sockaddr_in()
            storage.sin_family = sa_family_t(AF_INET)
            storage.sin_port = port.bigEndian
            withUnsafeMutableBytes(of: &storage.sin_addr) { $0.copyBytes(from: address.octets) }
            result = TCPStream.connect(socket, to: &storage)
        } else {
            var storage = sockaddr_in6()
            storage.sin6_family = sa_family_t(AF_INET6)
            storage.sin6_port = port.bigEndian
            withUnsafeMutableBytes(of: &storage.sin6_addr) { $0.copyBytes(from: address.octets) }
            result = TCPStream.connect(socket, to: &storage)
        }
        if result != 0 && errno != EINPROGRESS {
            throw NetworkError(errno == ECONNREFUSED ? .refused : .system,
                               "cannot connect to \(peer): \(String(cString: strerror(errno)))")
        }
        try await wait(for: Int16(POLLOUT), "connecting to \(peer)")
        var failure: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(socket, SOL_SOCKET, SO_ERROR, &failure, &length)
        guard failure == 0 else {
            throw NetworkError(failure == ECONNREFUSED ? .refused : .system,
                               "cannot connect to \(peer): \(String(cString: strerror(failure)))")
        }
    }

    deinit { close(socket) }

    private static func connect<Address>(_ socket: Int32, to address: inout Address) -> Int32 {
        withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(socket, $0, socklen_t(MemoryLayout<Address>.size)) }
        }
    }

    /// Waits until the socket is ready for `events` or the deadline passes,
    /// without holding a thread (`Readiness`).
    func wait(for events: Int16, _ step: String) async throws(NetworkError) {
        let now = TCPStream.monotonicMilliseconds()
        guard now < deadline else { throw NetworkError(.timeout, "timed out while \(step)") }
        let event: Readiness.Event = events == Int16(POLLOUT) ? .writable : .readable
        switch await Readiness.wait(socket, for: event, until: Deadline(millisecondsFromNow: Int(min(deadline - now, UInt64(Int32.max))))) {
        case .ready: return
        case .timedOut: throw NetworkError(.timeout, "timed out while \(step)")
        case .cancelled: throw NetworkError(.cancelled, "cancelled while \(step)")
        }
    }

    /// Plain-text write (before STARTTLS).
    func write(_ bytes: [UInt8], _ step: String) async throws(NetworkError) {
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if count > 0 { sent += count; continue }
            if count < 0 && (errno == EAGAIN || errno == EINTR) { try await wait(for: Int16(POLLOUT), step); continue }
            throw NetworkError(.closed, "the peer closed the connection while \(step)")
        }
    }

    /// Plain-text read of what is available (at least one byte), or an
    /// error when the peer closes.
    func read(_ step: String) async throws(NetworkError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: 8192)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if count > 0 { return Array(buffer[..<count]) }
            if count == 0 { throw NetworkError(.closed, "the peer closed the connection while \(step)") }
            if errno == EAGAIN || errno == EINTR { try await wait(for: Int16(POLLIN), step); continue }
            throw NetworkError(.closed, "reading failed while \(step): \(String(cString: strerror(errno)))")
        }
    }

    static func monotonicMilliseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1000 + UInt64(now.tv_nsec) / 1_000_000
    }
}
