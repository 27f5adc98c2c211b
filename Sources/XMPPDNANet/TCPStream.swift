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
        let now = Self.monotonicMilliseconds()
        let budget = deadline > now ? deadline - now : 0
        switch await TCPConnect.open(octets: address.octets, port: port,
                                     until: Deadline(millisecondsFromNow: Int(min(budget, UInt64(Int32.max))))) {
        case .connected(let socket):
            self.socket = socket
        case .failed(let failure):
            throw NetworkError(failure == ECONNREFUSED ? .refused : .system,
                               "cannot connect to \(peer): \(String(cString: strerror(failure)))")
        case .timedOut:
            throw NetworkError(.timeout, "timed out while connecting to \(peer)")
        case .cancelled:
            throw NetworkError(.cancelled, "cancelled while connecting to \(peer)")
        }
    }

    deinit { close(socket) }

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
