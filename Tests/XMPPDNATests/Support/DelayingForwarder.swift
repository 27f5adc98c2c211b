import Foundation
@testable import XMPPDNACore
@testable import XMPPDNAResolver

/// Tests/DNSWorld/delay_dns.py in front of the world's Unbound, holding
/// every answer under slow.example for `delay` seconds. It exits by itself
/// after 600 s, far beyond the test even under ThreadSanitizer.
final class DelayingForwarder {
    let address: DNSServerAddress
    private let process: PIDFileProcess

    init?(delay: Double) {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("DNSWorld/delay_dns.py").path
        let upstream = DNSWorld.shared.unbound.port
        guard let process = PIDFileProcess({ "/usr/bin/python3 '\(script)' slow.example 0 \(upstream) '\($0)' \(delay) 600" }) else {
            return nil
        }
        self.process = process
        address = DNSServerAddress(address: try! IPAddress("127.0.0.1"), port: process.port)
    }
}
