#if canImport(Glibc)
import Glibc
#endif
import CLDNS
import XMPPDNACore
import XMPPDNAIO

/// Carries one encoded query to one server and brings back the raw reply.
/// Everything after the bytes arrive (parsing, ID and question checks,
/// validation) is the transport's and the validator's, whatever the wire;
/// the fuzz targets replace only this part.
package protocol DNSWire: Sendable {
    func exchange(_ query: [UInt8], with server: DNSServerAddress, tcp: Bool,
                  timeoutMilliseconds: Int) async -> Result<[UInt8], DNSTransportError>
}

/// UDP and TCP sockets: ldns sends, and the task waits for the reply
/// without holding a thread (`Readiness`), so a slow server delays only
/// the lookups that need it.
package struct SocketWire: DNSWire {
    package init() {}

    package func exchange(_ query: [UInt8], with server: DNSServerAddress, tcp: Bool,
                          timeoutMilliseconds: Int) async -> Result<[UInt8], DNSTransportError> {
        let deadline = Deadline(millisecondsFromNow: timeoutMilliseconds)
        if tcp {
            switch await sendTCP(query, to: server, deadline) {
            case .success(let socket):
                defer { close(socket) }
                return await readTCP(socket, server, deadline)
            case .failure(let problem):
                return .failure(problem)
            }
        }
        guard let wire = ldns_buffer_new(query.count) else { return .failure(.network("out of memory")) }
        // ldns sends the bytes before the buffer's position, so no flip.
        ldns_buffer_write(wire, query, query.count)
        let timeout = timeval(tv_sec: timeoutMilliseconds / 1000, tv_usec: (timeoutMilliseconds % 1000) * 1000)
        let socket = server.withSocketAddress { address, length in ldns_udp_bgsend2(wire, address, length, timeout) }
        ldns_buffer_free(wire)
        guard socket >= 0 else { return .failure(.network("\(server): cannot send the query (\(String(cString: strerror(errno))))")) }
        defer { close(socket) }
        _ = fcntl(socket, F_SETFL, fcntl(socket, F_GETFL) | O_NONBLOCK)
        return await readUDP(socket, server, deadline)
    }

    /// Connects (TCPConnect: without blocking, where ldns_tcp_bgsend2 held a
    /// thread for the whole timeout when a server dropped the SYN) and sends
    /// the length-prefixed query (RFC 1035 section 4.2.2). Returns the socket.
    private func sendTCP(_ query: [UInt8], to server: DNSServerAddress, _ deadline: Deadline) async -> Result<Int32, DNSTransportError> {
        let socket: Int32
        switch await TCPConnect.open(octets: server.address.octets, port: server.port, until: deadline) {
        case .connected(let connected): socket = connected
        case .failed(let failure): return .failure(.network("\(server): cannot connect over TCP (\(String(cString: strerror(failure))))"))
        case .timedOut: return .failure(.timeout(servers: [server]))
        case .cancelled: return .failure(.cancelled)
        }
        func fail(_ problem: DNSTransportError) -> Result<Int32, DNSTransportError> {
            close(socket)
            return .failure(problem)
        }
        var framed = [UInt8(query.count >> 8), UInt8(query.count & 0xFF)] + query
        while !framed.isEmpty {
            let sent = framed.withUnsafeBytes { send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent > 0 { framed.removeFirst(sent); continue }
            guard sent < 0, errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR else {
                return fail(.network("\(server): \(String(cString: strerror(errno)))"))
            }
            switch await Readiness.wait(socket, for: .writable, until: deadline) {
            case .ready: continue
            case .timedOut: return fail(.timeout(servers: [server]))
            case .cancelled: return fail(.cancelled)
            }
        }
        return .success(socket)
    }

    private func readUDP(_ socket: Int32, _ server: DNSServerAddress, _ deadline: Deadline) async -> Result<[UInt8], DNSTransportError> {
        switch await Readiness.wait(socket, for: .readable, until: deadline) {
        case .ready: break
        case .timedOut: return .failure(.timeout(servers: [server]))
        case .cancelled: return .failure(.cancelled)
        }
        var size = 0
        var from = sockaddr_storage()
        var fromLength = socklen_t(MemoryLayout<sockaddr_storage>.size)
        guard let answer = ldns_udp_read_wire(socket, &size, &from, &fromLength) else {
            return .failure(.network("\(server): \(String(cString: strerror(errno)))"))
        }
        defer { free(answer) }
        return .success(Array(UnsafeBufferPointer(start: answer, count: size)))
    }

    /// A two-octet length, then the message (RFC 1035 section 4.2.2).
    private func readTCP(_ socket: Int32, _ server: DNSServerAddress, _ deadline: Deadline) async -> Result<[UInt8], DNSTransportError> {
        var received: [UInt8] = []
        var expected: Int?
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            if let expected, received.count >= expected + 2 { return .success(Array(received[2..<(expected + 2)])) }
            let count = read(socket, &buffer, buffer.count)
            if count > 0 {
                received += buffer[0..<count]
                if expected == nil, received.count >= 2 { expected = Int(received[0]) << 8 | Int(received[1]) }
                continue
            }
            if count == 0 { return .failure(.network("\(server) closed the TCP connection before the answer was complete")) }
            guard errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR else {
                return .failure(.network("\(server): \(String(cString: strerror(errno)))"))
            }
            switch await Readiness.wait(socket, for: .readable, until: deadline) {
            case .ready: continue
            case .timedOut: return .failure(.timeout(servers: [server]))
            case .cancelled: return .failure(.cancelled)
            }
        }
    }
}
