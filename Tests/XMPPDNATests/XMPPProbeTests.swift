import Foundation
import Testing
@testable import XMPPDNA
@testable import XMPPDNACore
@testable import XMPPDNANet
@testable import XMPPDNAOpenSSL
@testable import XMPPDNAResolver
import XMPPDNAIO

/// One loopback server of Tests/Probe/xmpp_junk.py, stopped by PID.
private final class JunkServer {
    let pid: Int32
    let port: UInt16

    init(_ mode: String) {
        let pki = FixturePKI.shared.directory
        let pidfile = FileManager.default.temporaryDirectory.appendingPathComponent("xmppdna-junk-\(mode)-\(UUID().uuidString)").path
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Tests/Probe/xmpp_junk.py").path
        (pid, port) = startBackgroundServer(
            "python3 '\(script)' \(mode) '\(pidfile)' '\(pki)/host1-chain.pem' '\(pki)/host1.key'", pidfile: pidfile)
    }

    deinit { if pid > 0 { kill(pid, SIGTERM) } }
}

private func probe(_ server: JunkServer, service: XMPPService = .xmppServer,
                   timeout: Int = 800) async -> (Result<XMPPProbe.Result, NetworkError>, UInt64) {
    let port = server.port
    // Timed on the library's threads: how soon the probe gives up, not how
    // soon a busy test pool gets back to this test.
    return await onLibraryThreads {
        let start = TCPStream.monotonicMilliseconds()
        let result: Result<XMPPProbe.Result, NetworkError>
        do throws(NetworkError) {
            result = .success(try await XMPPProbe.probe(address: try! IPAddress("127.0.0.1"), port: port,
                                                        domain: try! DNSName("example.com"), service: service,
                                                        timeoutMilliseconds: timeout))
        } catch {
            result = .failure(error)
        }
        return (result, TCPStream.monotonicMilliseconds() - start)
    }
}

/// The probe against servers that misbehave: each gives its documented
/// error within its timeout, never a hang.
@Suite struct XMPPProbeTests {
    @Test(arguments: [
        ("silent", NetworkError.Kind.timeout, "timed out while reading the stream features"),
        ("garbage", .protocolError, "does not speak XMPP"),
        ("closes", .closed, "closed the connection during the TLS handshake"),
        ("nostarttls", .protocolError, "does not offer STARTTLS"),
        ("hostunknown", .protocolError, "the server sent the stream error host-unknown (RFC 6120 section 4.9.3): "
            + "it does not serve example.com; it said \"no such host &lt;here&gt;\""),
    ])
    func misbehavingServerGivesItsError(_ mode: String, _ kind: NetworkError.Kind, _ message: String) async {
        let server = JunkServer(mode)
        #expect(server.port > 0, "the \(mode) server did not start")
        let (result, elapsed) = await probe(server)
        guard case .failure(let error) = result else {
            Issue.record("\(mode): probe succeeded")
            return
        }
        #expect(error.kind == kind, "\(mode): \(error)")
        #expect(error.message.contains(message), "\(mode): \(error)")
        #expect(elapsed < 3000, "\(mode) took \(elapsed) ms")
    }

    @Test func nothingListeningIsRefused() async {
        let (result, _) = await probe(JunkServer("silent").withClosedPort())
        guard case .failure(let error) = result else { Issue.record("probe succeeded"); return }
        #expect(error.kind == .refused)
    }

    @Test func startTLSServerYieldsItsChainVersionAndCipher() async throws {
        let (result, _) = await probe(JunkServer("starttls"), timeout: 3000)
        let probed = try result.get()
        #expect(probed.chain.count == 2 && !probed.directTLS)
        #expect(probed.chain[0].presentedIdentifiers.contains { $0.display == "host1.example.net" })
        #expect(probed.tlsVersion.hasPrefix("TLSv1."))
        #expect(!probed.cipher.isEmpty)
    }

    @Test func directTLSNegotiatesALPN() async throws {
        let (result, _) = await probe(JunkServer("direct"), service: .xmppsServer, timeout: 3000)
        let probed = try result.get()
        #expect(probed.directTLS && probed.alpn == "xmpp-server")
    }
}

extension JunkServer {
    /// A port on which nothing listens: this server's, after it stops.
    func withClosedPort() -> JunkServer {
        kill(pid, SIGTERM)
        usleep(200_000)
        return self
    }
}
