import Foundation
@testable import XMPPDNA
@testable import XMPPDNACore
@testable import XMPPDNANet
@testable import XMPPDNAOpenSSL
@testable import XMPPDNAResolver

/// A misbehaving server on loopback (Tests/DNSWorld/hostile_dns.py), one
/// per mode, on a free port, started and stopped by PID around each case.
final class HostileServer {
    let address: DNSServerAddress
    private let process: PIDFileProcess

    init?(mode: String) {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("DNSWorld/hostile_dns.py").path
        guard let process = PIDFileProcess({ "python3 '\(script)' \(mode) 0 \(DNSWorld.shared.nsd.port) '\($0)'" }) else {
            return nil
        }
        self.process = process
        address = DNSServerAddress(address: try! IPAddress("127.0.0.1"), port: process.port)
    }
}
