import Foundation

/// A helper server started in the background that writes its PID to a file
/// once it listens (written whole, then renamed), and is stopped by exactly
/// that PID when this object goes.
final class PIDFileProcess {
    private let pid: Int32

    /// `command` gets the PID file's path and returns the shell command.
    init?(_ command: (String) -> String) {
        let pidFile = FileManager.default.temporaryDirectory.appendingPathComponent("helper-\(UUID().uuidString).pid").path
        guard system(command(pidFile) + " >/dev/null 2>&1 &") == 0 else { return nil }
        // Up to 15 s: a loaded machine starts python slowly, and a server
        // retries for 5 s a port that an ephemeral socket holds.
        let pid = PIDFileProcess.pid(writtenTo: pidFile, withinTenths: 150)
        guard pid > 0 else { return nil }
        self.pid = pid
        try? FileManager.default.removeItem(atPath: pidFile)
    }

    /// The PID a server started in the background writes to `pidFile` once it
    /// listens, read every tenth of a second up to `tenths` times; 0 if it
    /// never comes.
    static func pid(writtenTo pidFile: String, withinTenths tenths: Int) -> Int32 {
        var pid: Int32 = 0
        for _ in 0..<tenths where pid == 0 {
            usleep(100_000)
            pid = Int32((try? String(contentsOfFile: pidFile, encoding: .utf8)) ?? "") ?? 0
        }
        return pid
    }

    deinit {
        kill(pid, SIGTERM)
        for _ in 0..<10 where kill(pid, 0) == 0 { usleep(20_000) }
        kill(pid, SIGKILL)
    }
}
