import Foundation

/// Starts a loopback test server in the background with system() and waits
/// for the "PID PORT" line it writes to `pidfile` once it listens (the
/// convention of Tests/POSHWorld/https_server.py and Tests/Probe/xmpp_junk.py).
/// Returns zeros if it never does.
func startBackgroundServer(_ command: String, pidfile: String) -> (pid: Int32, port: UInt16) {
    _ = system("rm -f '\(pidfile)'; \(command) >/dev/null 2>&1 &")
    for _ in 0..<100 {
        if let fields = (try? String(contentsOfFile: pidfile, encoding: .utf8))?.split(separator: " "), fields.count == 2,
           let pid = Int32(fields[0]), let port = UInt16(fields[1].trimmingCharacters(in: .whitespacesAndNewlines)) {
            try? FileManager.default.removeItem(atPath: pidfile)
            return (pid, port)
        }
        usleep(50_000)
    }
    return (0, 0)
}
