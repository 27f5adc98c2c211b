import ArgumentParser
import CXMPPDNA
#if canImport(Glibc)
import Glibc
#endif

/// The `xmppdna` command. Every subcommand asks through one XMPPDNAContext,
/// the context the C ABI wraps, so what it shows is what a server gets.
@main
struct XMPPDNACommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "xmppdna",
        abstract: "XMPP Domain Name Associations: which names may a peer's certificate carry, and does it prove the domain?",
        discussion: """
        verify exits 0 accepted, 1 rejected, 2 bad input or usage; names exits 0 secure, 3 insecure, \
        4 bogus, 5 network failure, 2 bad input or usage; check exits 0 every endpoint verified, \
        1 some endpoint failed, 3 no endpoint reachable, 2 bad input or usage.
        """,
        version: "xmppdna \(String(cString: xmppdna_version()))",
        subcommands: [CheckCommand.self, VerifyCommand.self, NamesCommand.self]
    )

    /// ArgumentParser exits 64 on usage errors; this tool promises 2.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let code as ExitCode {
            Glibc.exit(code.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                exit(withError: error)
            }
            FileHandleOutput.standardError(usageMessage(for: error))
            Glibc.exit(ExitStatus.badInput)
        }
    }

    /// Without a subcommand there is nothing to do: a usage error, not help.
    func run() throws {
        FileHandleOutput.standardError("xmppdna: error: missing subcommand (check, verify or names)\n\n" + Self.helpMessage())
        throw ExitCode(ExitStatus.badInput)
    }

    /// ArgumentParser's message with this tool's "xmppdna: error:" prefix.
    private static func usageMessage(for error: Error) -> String {
        let message = fullMessage(for: error)
        let prefix = "Error: "
        if message.hasPrefix(prefix) { return "xmppdna: error: " + message.dropFirst(prefix.count) }
        return "xmppdna: error: " + (message.isEmpty ? String(describing: error) : message)
    }
}

enum ExitStatus {
    static let accepted: Int32 = 0
    static let rejected: Int32 = 1
    static let badInput: Int32 = 2
}

/// A failure the user can fix: printed as "xmppdna: error: ..." with exit 2.
struct InputError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

enum FileHandleOutput {
    static func standardError(_ text: String) {
        let line = Array((text.hasSuffix("\n") ? text : text + "\n").utf8)
        _ = line.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }
}
