import Foundation

/// Tests/POSHWorld/silent_server.py: accepts every connection on loopback
/// and never says a word, so a POSH fetch pointed at it waits for its
/// timeout. On a free port, stopped by PID; it exits by itself after 600 s.
final class SilentServer {
    /// "https://127.0.0.1:PORT", for xmppdna_ctx_set_posh.
    let base: String
    private let process: PIDFileProcess

    init?() {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("POSHWorld/silent_server.py").path
        guard let process = PIDFileProcess({ "/usr/bin/python3 '\(script)' --port 0 --pidfile '\($0)' --lifetime 600" }),
              process.port != 0 else { return nil }
        self.process = process
        base = "https://127.0.0.1:\(process.port)"
    }
}
