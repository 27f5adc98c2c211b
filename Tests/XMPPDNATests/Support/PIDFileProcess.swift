import Foundation

/// A helper server started in the background that says it listens by
/// writing "PID PORT" to a PID file, stopped by that PID. Started on port 0,
/// it takes a free port the kernel picks, so that it never races the
/// ephemeral ports of the resolvers under test for a fixed number.
final class PIDFileProcess {
    private let pid: Int32
    let port: UInt16

    /// `command` gets the PID file's path and returns the shell command.
    init?(_ command: (String) -> String) {
        let pidFile = FileManager.default.temporaryDirectory.appendingPathComponent("helper-\(UUID().uuidString).pid").path
        guard system(command(pidFile) + " >/dev/null 2>&1 &") == 0 else { return nil }
        // Up to 15 s: a loaded machine starts python slowly.
        let words = PIDFileProcess.words(writtenTo: pidFile, withinTenths: 150)
        try? FileManager.default.removeItem(atPath: pidFile)
        guard let pid = words.first.flatMap({ Int32($0) }), pid > 0 else { return nil }
        self.pid = pid
        port = words.count > 1 ? UInt16(words[1]) ?? 0 : 0
    }

    /// The PID a server started in the background writes to `pidFile` once it
    /// listens, read every tenth of a second up to `tenths` times; 0 if it
    /// never comes.
    static func pid(writtenTo pidFile: String, withinTenths tenths: Int) -> Int32 {
        words(writtenTo: pidFile, withinTenths: tenths).first.flatMap { Int32($0) } ?? 0
    }

    private static func words(writtenTo pidFile: String, withinTenths tenths: Int) -> [String] {
        for _ in 0..<tenths {
            usleep(100_000)
            let words = ((try? String(contentsOfFile: pidFile, encoding: .utf8)) ?? "").split(whereSeparator: \.isWhitespace).map(String.init)
            if let first = words.first, (Int32(first) ?? 0) > 0 { return words }
        }
        return []
    }

    deinit {
        kill(pid, SIGTERM)
        for _ in 0..<10 where kill(pid, 0) == 0 { usleep(20_000) }
        kill(pid, SIGKILL)
    }
}
