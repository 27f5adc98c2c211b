import Foundation
@testable import XMPPDNA

/// The on-path resolver of Tests/DNSWorld/replay_dns.py: genuine signed
/// records of the world served to the wrong question, one attack per
/// instance, started and stopped by PID.
final class ReplayServer {
    let address: DNSServerAddress
    private let pid: Int32

    init?(attack: String, port: UInt16) {
        let world = DNSWorld.shared
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("DNSWorld/replay_dns.py").path
        let pidFile = FileManager.default.temporaryDirectory.appendingPathComponent("replay-\(UUID().uuidString).pid").path
        let zones = world.state.appendingPathComponent("zones").path
        // Debian's interpreter: dnspython comes from python3-dnspython.
        let command = "/usr/bin/python3 '\(script)' \(attack) \(port) \(world.nsd.port) '\(zones)' '\(pidFile)' >/dev/null 2>&1 &"
        guard system(command) == 0 else { return nil }
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
