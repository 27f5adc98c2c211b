import Foundation
@testable import XMPPDNA
@testable import XMPPDNACore
@testable import XMPPDNANet
@testable import XMPPDNAOpenSSL
@testable import XMPPDNAResolver

/// The signed loopback DNS world (Tests/DNSWorld), started once per test
/// process on ports derived from the PID so parallel runs do not collide
/// (up.sh refuses ports another world already holds; then the next pair is
/// tried), and stopped by PID at exit.
final class DNSWorld: Sendable {
    static let shared = DNSWorld()

    let state: URL
    let nsd: DNSServerAddress
    let unbound: DNSServerAddress
    let anchor: String
    let started: Bool
    let failure: String?

    private init() {
        let pid = Int(getpid())
        state = FileManager.default.temporaryDirectory.appendingPathComponent("xmppdna-dnsworld-\(pid)")
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        // system() rather than Process: a plain fork and waitpid, with no run
        // loop that the test runner's threads could starve.
        let log = state.path + ".log"
        // Real TLSA records for the fixture host1 certificate (README of Tests/DNSWorld).
        let tlsaFile = state.path + ".tlsa"
        let key = FixturePKI.shared.spkiDigest("host1.pem")
        let intermediate = FixturePKI.shared.certificateDigest("inter.pem")
        let wrong512 = String(repeating: "ab", count: 64)
        try? """
            _5271._tcp.host1 TLSA 3 1 1 \(key)
            tlsa.host1 TLSA 3 1 1 \(key)
            _5269._tcp.host1 TLSA 3 1 1 \(key)
            _5273._tcp.host1 TLSA 2 0 1 \(intermediate)
            _5274._tcp.host1 TLSA 3 1 1 \(key)
            _5274._tcp.host1 TLSA 3 1 2 \(wrong512)

            """.write(toFile: tlsaFile, atomically: true, encoding: .utf8)
        let up = root.appendingPathComponent("Tests/DNSWorld/up.sh").path
        let down = root.appendingPathComponent("Tests/DNSWorld/down.sh").path
        // up.sh picks free ports itself (below the ephemeral range, retrying) and records them.
        let command = "DNSWORLD_TLSA_FILE='\(tlsaFile)' DNSWORLD_NSD_PORT=auto "
            + "/bin/bash '\(up)' '\(state.path)' >'\(log)' 2>&1"
        var started = system(command) == 0
        let env = (try? String(contentsOf: state.appendingPathComponent("env"), encoding: .utf8)) ?? ""
        func port(_ key: String) -> UInt16 {
            env.split(separator: "\n").lazy.compactMap { line -> UInt16? in
                line.hasPrefix(key + "=") ? UInt16(line.dropFirst(key.count + 1)) : nil
            }.first ?? 0
        }
        nsd = DNSServerAddress(address: try! IPAddress("127.0.0.1"), port: port("NSD_PORT"))
        unbound = DNSServerAddress(address: try! IPAddress("127.0.0.1"), port: port("UNBOUND_PORT"))
        started = started && nsd.port != 0 && unbound.port != 0
        anchor = (try? String(contentsOf: state.appendingPathComponent("root-ds.key"), encoding: .utf8)) ?? ""
        self.started = started && !anchor.isEmpty
        failure = self.started ? nil : (try? String(contentsOfFile: log, encoding: .utf8)) ?? "up.sh failed"
        let stateForExit = state.path
        AtExit.add {
            _ = system("/bin/bash '\(down)' '\(stateForExit)' >/dev/null 2>&1; "
                       + "rm -rf '\(stateForExit)' '\(stateForExit).log' '\(stateForExit).tlsa'")
        }
    }

    /// A validating resolver configuration against `server`, pinned to now.
    /// A context as a server configures one: this world's resolver and
    /// anchor, the fixture CA, and POSH from `posh` if given. It verifies
    /// at the real time, as the world signs its zones at each start (the
    /// fixture certificates are valid 2025-2035).
    func context(_ server: DNSServerAddress? = nil, posh: HTTPSWorld? = nil) throws -> XMPPDNAContext {
        let context = try XMPPDNAContext()
        context.resolver.addServer(server ?? unbound)
        try context.resolver.setAnchorFile(state.appendingPathComponent("root-ds.key").path)
        context.resolver.setTimeout(milliseconds: 1500, retries: 1)
        context.resolver.setLookupDeadline(milliseconds: DNSWorld.lookupDeadline)
        try context.pki.updateTrust { $0.caFile = "\(FixturePKI.shared.directory)/root.pem" }
        if let posh { context.posh.set(urlBase: try POSHURL(posh.base), timeoutMilliseconds: 3000) }
        return context
    }

    /// Generous: under ThreadSanitizer, with every suite at once on two
    /// cores, a lookup of the world can take longer than the 30 s default.
    /// LookupDeadlineTests sets its own.
    static let lookupDeadline = 300_000

    func configuration(_ server: DNSServerAddress, mode: ResolverConfiguration.TrustMode = .validate) -> ResolverConfiguration {
        var configuration = ResolverConfiguration(servers: [server])
        configuration.anchorText = anchor
        configuration.trustMode = mode
        configuration.timeoutMilliseconds = 1500
        configuration.lookupDeadlineMilliseconds = DNSWorld.lookupDeadline
        return configuration
    }
}
