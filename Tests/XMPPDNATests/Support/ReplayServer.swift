import Foundation
@testable import XMPPDNA
@testable import XMPPDNACore
@testable import XMPPDNANet
@testable import XMPPDNAOpenSSL
@testable import XMPPDNAResolver

/// The on-path resolver of Tests/DNSWorld/replay_dns.py: genuine signed
/// records of the world served to the wrong question, one attack per
/// instance, started and stopped by PID.
final class ReplayServer {
    let address: DNSServerAddress
    private let process: PIDFileProcess

    init?(attack: String) {
        let world = DNSWorld.shared
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("DNSWorld/replay_dns.py").path
        let zones = world.state.appendingPathComponent("zones").path
        // Debian's interpreter: dnspython comes from python3-dnspython.
        guard let process = PIDFileProcess({
            "/usr/bin/python3 '\(script)' \(attack) 0 \(world.nsd.port) '\(zones)' '\($0)'"
        }) else { return nil }
        self.process = process
        address = DNSServerAddress(address: try! IPAddress("127.0.0.1"), port: process.port)
    }
}
