import XMPPDNA
import Foundation
import XMPPDNACore
import XMPPDNAOpenSSL
import XMPPDNAResolver
import XMPPDNANet
import XMPPDNAIO

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
        let name = try DNSName(domain)
        blockingWait {
            let list = await resolver.nameList(for: name, service: flags & 2 == 2 ? .xmppClient : .xmppServer)
            if let first = list.candidates.first { _ = await resolver.tlsa(host: first.host, port: first.port) }
        }
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
                      timeoutMilliseconds: Int) async -> Result<[UInt8], DNSTransportError> {
            let result = await socket.exchange(query, with: server, tcp: tcp, timeoutMilliseconds: timeoutMilliseconds)
            if case .success(let reply) = result { lock.withLock { recorded.append(reply) } }
            return result
        }
    }
}
