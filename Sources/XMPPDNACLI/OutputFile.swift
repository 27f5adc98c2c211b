#if canImport(Glibc)
import Glibc
#endif

/// Files the command writes (`check --html`, `--svg`): whole or not at
/// all, through a temporary name beside the target and a rename.
enum OutputFile {
    static func write(_ text: String, to path: String) throws {
        let temporary = path + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw InputError("cannot write \(path): \(String(cString: strerror(errno)))") }
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else {
                let problem = String(cString: strerror(errno))
                close(fd)
                unlink(temporary)
                throw InputError("cannot write \(path): \(problem)")
            }
            bytes = bytes.dropFirst(written)
        }
        guard close(fd) == 0, rename(temporary, path) == 0 else {
            let problem = String(cString: strerror(errno))
            unlink(temporary)
            throw InputError("cannot write \(path): \(problem)")
        }
    }
}
