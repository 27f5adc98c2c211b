#if canImport(Glibc)
import Glibc
#endif

/// Graphviz's `dot`, run as a child process to lay the drawing out as SVG
/// (DNSViz does the same). XMPPDNA_DOT names another program than the
/// first `dot` on PATH.
enum Graphviz {
    static var program: String { getenv("XMPPDNA_DOT").map { String(cString: $0) } ?? "dot" }

    /// Fails early, before a slow check, when there is no Graphviz.
    static func checkInstalled() throws {
        _ = try run(source: "digraph probe {}")
    }

    static func svg(from source: String) throws -> String {
        try run(source: source)
    }

    private static func run(source: String) throws -> String {
        var template = Array("/tmp/xmppdna-dot-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else {
            throw InputError("cannot make a temporary directory: \(String(cString: strerror(errno)))")
        }
        let directory = String(cString: made)
        let input = directory + "/drawing.dot", output = directory + "/drawing.svg", errors = directory + "/errors.txt"
        defer {
            for file in [input, output, errors] { unlink(file) }
            rmdir(directory)
        }
        try OutputFile.write(source, to: input)
        let arguments = [program, "-Tsvg", "-o", output, input]
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, errors, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        var argv = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, program, &actions, nil, &argv, environ)
        guard spawned == 0 else {
            throw InputError("cannot run Graphviz's \(program) (\(String(cString: strerror(spawned)))): "
                             + "--html and --svg need it (Debian: apt install graphviz)")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        // WIFEXITED and WEXITSTATUS, which Swift does not import.
        let exited = status & 0x7F == 0
        let code = (status >> 8) & 0xFF
        guard exited && code == 0, let svg = try? InputFile.read(output, limit: 64 << 20) else {
            let said = (try? InputFile.read(errors, limit: 4096)) ?? ""
            throw InputError("Graphviz's \(program) failed" + (exited ? " (exit \(code))" : " (killed)")
                             + (said.isEmpty ? "" : ": " + said.split(separator: "\n").prefix(3).joined(separator: "; ")))
        }
        return svg
    }
}
