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

/// A file read whole, up to a limit.
enum InputFile {
    static func read(_ path: String, limit: Int) throws -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw InputError("cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while bytes.count <= limit {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { throw InputError("cannot read \(path): \(String(cString: strerror(errno)))") }
            if count == 0 { return String(decoding: bytes, as: UTF8.self) }
            bytes += buffer[0..<count]
        }
        throw InputError("\(path) is larger than \(limit) bytes")
    }
}
