import Foundation
#if canImport(Glibc)
import Glibc
#endif
@testable import XMPPDNA
@testable import XMPPDNACore
@testable import XMPPDNANet
@testable import XMPPDNAOpenSSL
@testable import XMPPDNAResolver

/// The differential fuzzer's servers (issue #16): Tests/DNSWorld/mutate_dns.py
/// answering on the signed world with mutated genuine records, and an oracle
/// Unbound (Tests/DNSWorld/oracle_up.sh) whose stub-zones all point at it.
/// Both are started once per test process on ports next to the world's and
/// stopped by PID at exit; each exits by itself if this process dies.
final class MutationWorld: @unchecked Sendable {
    static let shared = MutationWorld()

    let mutator: DNSServerAddress
    let oracle: DNSServerAddress
    let controlPort: UInt16
    let controlSocket: String
    let started: Bool
    let failure: String?
    private let state: URL

    private init() {
        let world = DNSWorld.shared
        let dnsWorld = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("DNSWorld")
        state = URL(fileURLWithPath: world.state.path + "-mutation")
        let base = world.unbound.port &+ 300
        mutator = DNSServerAddress(address: try! IPAddress("127.0.0.1"), port: base)
        controlPort = base &+ 1
        oracle = DNSServerAddress(address: try! IPAddress("127.0.0.1"), port: base &+ 2)
        controlSocket = state.appendingPathComponent("oracle/control.sock").path
        guard world.started else {
            started = false
            failure = "the DNS world did not start"
            return
        }
        try? FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        let pidFile = state.appendingPathComponent("mutator.pid").path
        try? FileManager.default.removeItem(atPath: pidFile)
        let log = state.appendingPathComponent("mutator.log").path
        // Debian's interpreter: dnspython comes from python3-dnspython.
        let command = "/usr/bin/python3 '\(dnsWorld.path)/mutate_dns.py' \(base) \(base &+ 1) \(world.nsd.port) "
            + "'\(world.state.path)/zones' '\(pidFile)' \(getpid()) >'\(log)' 2>&1 &"
        let pid = system(command) == 0 ? PIDFileProcess.pid(writtenTo: pidFile, withinTenths: 100) : 0
        let oracleLog = state.path + ".oracle.log"
        let up = "/bin/bash '\(dnsWorld.path)/oracle_up.sh' '\(state.path)/oracle' '\(world.state.path)' \(base) \(base &+ 2) \(getpid()) "
            + ">'\(oracleLog)' 2>&1"
        let oracleStarted = pid > 0 && system(up) == 0
        let oracleDown = "/bin/bash '\(dnsWorld.path)/oracle_down.sh' '\(state.path)/oracle' >/dev/null 2>&1"
        let stateForExit = state.path
        AtExit.add {
            _ = system(oracleDown)
            if pid > 0 {
                kill(pid, SIGTERM)
                for _ in 0..<20 where kill(pid, 0) == 0 { usleep(20_000) }
            }
            _ = system("rm -rf '\(stateForExit)' '\(stateForExit).oracle.log'")
        }
        started = oracleStarted
        failure = oracleStarted ? nil
            : (pid == 0 ? "mutate_dns.py did not start: " + ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")
               : "oracle_up.sh failed: " + ((try? String(contentsOfFile: oracleLog, encoding: .utf8)) ?? ""))
    }

    /// One command to the mutating server's UDP control port; the reply, or
    /// nil after three silent attempts. Commands are idempotent, so a resend
    /// after a lost datagram is harmless.
    func control(_ command: String) -> String? {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = controlPort.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bytes = Array(command.utf8)
        var buffer = [UInt8](repeating: 0, count: 65536)
        for _ in 0..<3 {
            let sent = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(fd, bytes, bytes.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard sent == bytes.count else { continue }
            let count = recv(fd, &buffer, buffer.count, 0)
            if count >= 0 { return String(decoding: buffer[0..<count], as: UTF8.self) }
        }
        return nil
    }

    /// One unbound-control command over the oracle's unix socket (protocol
    /// "UBCT1 command", plain text with control-use-cert: no); its reply.
    func unboundControl(_ command: String) -> String? {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let path = Array(controlSocket.utf8)
        guard path.count < MemoryLayout.size(ofValue: address.sun_path) else { return nil }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in path.enumerated() { raw[index] = byte }
            raw[path.count] = 0
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else { return nil }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let bytes = Array("UBCT1 \(command)\n".utf8)
        guard write(fd, bytes, bytes.count) == bytes.count else { return nil }
        var reply: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(fd, &buffer, buffer.count)
            if count <= 0 { break }
            reply += buffer[0..<count]
        }
        return String(decoding: reply, as: UTF8.self)
    }

    /// Empties every cache of the oracle: records, messages and keys at or
    /// below the root, bogus and negative entries, and the infrastructure
    /// cache (lameness, RTT, EDNS). True when every command said ok.
    func flushOracle() -> Bool {
        ["flush_zone .", "flush_bogus", "flush_negative", "flush_infra all"].allSatisfy {
            unboundControl($0)?.hasPrefix("ok") == true
        }
    }
}
