#if canImport(Glibc)
import Glibc
#endif

/// Files the command reads, whole, up to a limit.
enum InputFile {
    static func read(_ path: String, limit: Int) throws -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw InputError("cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        return String(decoding: try bytes(of: fd, named: path, limit: limit, limitText: "\(limit) bytes"), as: UTF8.self)
    }

    /// Everything `fd` gives until its end; `name` and `limitText` are for the errors.
    static func bytes(of fd: Int32, named name: String, limit: Int, limitText: String) throws -> [UInt8] {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { throw InputError("cannot read \(name): \(String(cString: strerror(errno)))") }
            if count == 0 { return bytes }
            bytes += buffer[0..<count]
            if bytes.count > limit { throw InputError("\(name) is larger than \(limitText)") }
        }
    }
}
