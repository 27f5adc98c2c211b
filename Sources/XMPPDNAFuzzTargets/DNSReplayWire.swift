import XMPPDNA
import Foundation
import XMPPDNACore
import XMPPDNAOpenSSL
import XMPPDNAResolver
import XMPPDNANet

/// Hands out recorded (or mutated) replies in order, one per query, and
/// then times out. By default each reply takes the query's ID, so the
/// fuzzer need not guess random IDs; everything else about the reply is
/// checked by the transport exactly as for a socket.
final class DNSReplayWire: DNSWire, @unchecked Sendable {
    private let replies: [[UInt8]]
    private let keepIDs: Bool
    private let lock = NSLock()
    private var next = 0

    init(replies: [[UInt8]], keepIDs: Bool) {
        self.replies = replies
        self.keepIDs = keepIDs
    }

    func rewind() { lock.withLock { next = 0 } }

    func exchange(_ query: [UInt8], with server: DNSServerAddress, tcp: Bool,
                  timeoutMilliseconds: Int) -> Result<[UInt8], DNSTransportError> {
        lock.withLock {
            guard next < replies.count else { return .failure(.timeout(servers: [server])) }
            var reply = replies[next]
            next += 1
            if !keepIDs && reply.count >= 2 && query.count >= 2 { reply[0] = query[0]; reply[1] = query[1] }
            return .success(reply)
        }
    }
}
