import Foundation
@testable import XMPPDNA
@testable import XMPPDNACore
@testable import XMPPDNANet
@testable import XMPPDNAOpenSSL
@testable import XMPPDNAResolver

/// A real HTTPS server on loopback (Tests/POSHWorld/https_server.py) with
/// the fixture PKI's web certificates, one per SNI name, serving files the
/// tests write. Each suite that writes files has its own server (suites
/// run in parallel); each is started once and stopped by PID at exit.
final class HTTPSWorld: Sendable {
    static let fetchSuite = HTTPSWorld("fetch")
    static let verdictSuite = HTTPSWorld("verdict")

    let root: String
    let port: UInt16
    let pid: Int32

    private init(_ name: String) {
        let pki = FixturePKI.shared.directory
        root = FileManager.default.temporaryDirectory.appendingPathComponent("xmppdna-https-\(name)-\(getpid())").path
        let pidfile = root + ".pid"
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Tests/POSHWorld/https_server.py").path
        func cert(_ sni: String, _ leaf: String) -> String { "--cert '\(sni)=\(pki)/\(leaf).pem,\(pki)/\(leaf).key,\(pki)/inter.pem'" }
        let certs = [cert("default", "web-hosting"), cert("hosting.example.net", "web-hosting"), cert("example.com", "full"),
                     cert("insecure.example", "web-insecure"), cert("expired.example", "expired"),
                     cert("selfsigned.example", "self-signed")].joined(separator: " ")
        _ = system("rm -rf '\(root)'; mkdir -p '\(root)/default'")
        (pid, port) = startBackgroundServer("python3 '\(script)' --port 0 --root '\(root)' --pidfile '\(pidfile)' \(certs)",
                                            pidfile: pidfile)
        HTTPSWorld.running.withLock { $0.append((pid, root)) }
        HTTPSWorld.registerStop
    }

    private static let running = Locked<[(Int32, String)]>([])
    private static let registerStop: Void = {
        atexit {
            for (pid, root) in HTTPSWorld.running.withLock({ $0 }) {
                if pid > 0 { kill(pid, SIGTERM) }
                _ = system("rm -rf '\(root)' '\(root).pid' '\(root).log'")
            }
        }
    }()

    var started: Bool { pid > 0 && port > 0 }

    /// Writes a file the server then serves for SNI name `host` ("default": no SNI).
    func put(_ host: String, _ path: String, _ contents: String) {
        let file = "\(root)/\(host)/\(path)"
        try? FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try! contents.write(toFile: file, atomically: true, encoding: .utf8)
    }

    func remove(_ host: String, _ path: String) {
        try? FileManager.default.removeItem(atPath: "\(root)/\(host)/\(path)")
    }

    /// https://127.0.0.1:PORT, for a fetcher's urlBase or a document's url.
    var base: String { "https://127.0.0.1:\(port)" }

    /// A fetcher trusting the fixture root at the pinned time; names resolve to nothing.
    func fetcher(timeoutMilliseconds: Int = 3000, maxRedirects: Int = 3) -> POSHFetcher {
        var configuration = POSHFetcher.Configuration(
            trust: try! TrustStore(TrustSource(caFile: "\(FixturePKI.shared.directory)/root.pem")), resolve: { _ in [] })
        configuration.time = FixturePKI.time
        configuration.urlBase = try! POSHURL(base)
        configuration.timeoutMilliseconds = timeoutMilliseconds
        configuration.maxRedirects = maxRedirects
        return POSHFetcher(configuration)
    }
}
