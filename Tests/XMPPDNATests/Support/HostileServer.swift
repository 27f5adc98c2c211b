import Foundation
@testable import XMPPDNA

/// A misbehaving server on loopback (Tests/DNSWorld/hostile_dns.py), one
/// per mode, started and stopped by PID around each case.
final class HostileServer {
    let address: DNSServerAddress
    private let pid: Int32

    init?(mode: String, port: UInt16) {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("DNSWorld/hostile_dns.py").path
        let pidFile = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID().uuidString).pid").path
        guard system("python3 '\(script)' \(mode) \(port) \(DNSWorld.shared.nsd.port) '\(pidFile)' >/dev/null 2>&1 &") == 0 else { return nil }
        var pid: Int32 = 0
        for _ in 0..<50 where pid == 0 {
            usleep(100_000)
            pid = Int32((try? String(contentsOfFile: pidFile, encoding: .utf8)) ?? "") ?? 0
        }
        guard pid > 0 else { return nil }
        self.pid = pid
        address = DNSServerAddress(address: try! IPAddress("127.0.0.1"), port: port)
        try? FileManager.default.removeItem(atPath: pidFile)
    }

    deinit {
        kill(pid, SIGTERM)
        for _ in 0..<10 where kill(pid, 0) == 0 { usleep(20_000) }
        kill(pid, SIGKILL)
    }
}
