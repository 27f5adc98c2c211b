import XMPPDNA
import Foundation

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

/// The resolver settings of the dns target and of its seed recorder, which must agree.
func fuzzConfiguration(server: DNSServerAddress, anchorText: String, time: Int64, trustAD: Bool,
                       wire: any DNSWire) -> ResolverConfiguration {
    var configuration = ResolverConfiguration(servers: [server])
    configuration.anchorText = anchorText
    configuration.time = time
    configuration.retries = 0
    configuration.trustMode = trustAD ? .trustAD : .validate
    configuration.wire = wire
    return configuration
}

/// Records the replies of a real server (the loopback world) as a seed for
/// the dns target, in its input format.
public enum DNSSeedRecorder {
    public static func record(server: DNSServerAddress, anchorText: String, time: Int64, domain: String,
                              flags: UInt8) throws -> [UInt8] {
        let wire = RecordingWire()
        let resolver = try DelegationResolver(fuzzConfiguration(server: server, anchorText: anchorText, time: time,
                                                                trustAD: flags & 1 == 1, wire: wire))
        let list = resolver.nameList(for: try DNSName(domain), service: flags & 2 == 2 ? .xmppClient : .xmppServer)
        if let first = list.candidates.first { _ = resolver.tlsa(host: first.host, port: first.port) }
        var seed: [UInt8] = [flags]
        for piece in [Array(domain.utf8)] + wire.replies {
            seed += [UInt8(piece.count >> 8), UInt8(piece.count & 0xff)] + piece
        }
        return seed
    }

    private final class RecordingWire: DNSWire, @unchecked Sendable {
        private let socket = SocketWire()
        private let lock = NSLock()
        private var recorded: [[UInt8]] = []
        var replies: [[UInt8]] { lock.withLock { recorded } }

        func exchange(_ query: [UInt8], with server: DNSServerAddress, tcp: Bool,
                      timeoutMilliseconds: Int) -> Result<[UInt8], DNSTransportError> {
            let result = socket.exchange(query, with: server, tcp: tcp, timeoutMilliseconds: timeoutMilliseconds)
            if case .success(let reply) = result { lock.withLock { recorded.append(reply) } }
            return result
        }
    }
}
