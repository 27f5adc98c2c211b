#if canImport(Glibc)
import Glibc
#endif
import CLDNS
import XMPPDNACore

/// Carries one encoded query to one server and brings back the raw reply.
/// Everything after the bytes arrive (parsing, ID and question checks,
/// validation) is the transport's and the validator's, whatever the wire;
/// the fuzz targets replace only this part.
package protocol DNSWire: Sendable {
    func exchange(_ query: [UInt8], with server: DNSServerAddress, tcp: Bool,
                  timeoutMilliseconds: Int) -> Result<[UInt8], DNSTransportError>
}

/// UDP and TCP sockets, through ldns.
package struct SocketWire: DNSWire {
    package init() {}

    package func exchange(_ query: [UInt8], with server: DNSServerAddress, tcp: Bool,
                          timeoutMilliseconds: Int) -> Result<[UInt8], DNSTransportError> {
        guard let wire = ldns_buffer_new(query.count) else { return .failure(.network("out of memory")) }
        defer { ldns_buffer_free(wire) }
        // ldns sends the bytes before the buffer's position, so no flip.
        ldns_buffer_write(wire, query, query.count)
        let timeout = timeval(tv_sec: timeoutMilliseconds / 1000, tv_usec: (timeoutMilliseconds % 1000) * 1000)
        var answer: UnsafeMutablePointer<UInt8>?
        var size = 0
        let status = server.withSocketAddress { address, length in
            tcp ? ldns_tcp_send(&answer, wire, address, length, timeout, &size)
                : ldns_udp_send(&answer, wire, address, length, timeout, &size)
        }
        defer { free(answer) }
        guard status == LDNS_STATUS_OK, let answer else {
            if status == LDNS_STATUS_NETWORK_ERR || status == LDNS_STATUS_OK { return .failure(.timeout(servers: [server])) }
            return .failure(.network("\(server): \(String(cString: ldns_get_errorstr_by_id(status)))"))
        }
        return .success(Array(UnsafeBufferPointer(start: answer, count: size)))
    }
}
