import CXMPPDNAShim
#if canImport(Glibc)
import Glibc
#endif

/// A TLS client connection on OpenSSL (already linked, so no HTTP stack is
/// added) where every step shares one deadline: connect, handshake, write
/// and read. The socket is non-blocking and waits happen in poll(2).
/// The peer's certificate is not judged here; `HTTPSClient` does that with
/// the library's own chain and name rules before sending a byte.
final class TLSConnection {
    private let socket: Int32
    private let context: OpaquePointer
    private let ssl: OpaquePointer
    private let deadline: UInt64

    /// `serverName` goes into SNI; IP literals are never sent there (RFC 6066).
    init(address: IPAddress, port: UInt16, serverName: String?, deadline: UInt64) throws(POSHError) {
        self.deadline = deadline
        socket = try TLSConnection.connect(address, port, deadline: deadline)
        guard let context = SSL_CTX_new(TLS_client_method()) else {
            close(socket)
            throw .fetch("OpenSSL cannot make a TLS context")
        }
        self.context = context
        _ = xdna_shim_SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION)
        // A server that closes without close_notify after a framed body is
        // common; the HTTP framing decides whether the body is complete.
        xdna_shim_SSL_CTX_ignore_unexpected_eof(context)
        guard let ssl = SSL_new(context) else {
            SSL_CTX_free(context)
            close(socket)
            throw .fetch("OpenSSL cannot make a TLS session")
        }
        self.ssl = ssl
        SSL_set_fd(ssl, socket)
        if let serverName { _ = xdna_shim_SSL_set_tlsext_host_name(ssl, serverName) }
        try drive("TLS handshake with \(address) port \(port)") { SSL_connect(ssl) }
    }

    deinit {
        SSL_free(ssl)
        SSL_CTX_free(context)
        close(socket)
    }

    /// The chain the server presented, leaf first.
    var peerChain: [Certificate] {
        guard let stack = SSL_get_peer_cert_chain(ssl) else { return [] }
        var chain: [Certificate] = []
        for index in 0..<xdna_shim_sk_X509_num(stack) {
            guard let x509 = xdna_shim_sk_X509_value(stack, index) else { continue }
            var out: UnsafeMutablePointer<UInt8>?
            let length = i2d_X509(x509, &out)
            guard length > 0, let out else { continue }
            defer { xdna_shim_OPENSSL_free(out) }
            if let certificate = try? Certificate(der: Array(UnsafeBufferPointer(start: out, count: Int(length)))) {
                chain.append(certificate)
            }
        }
        return chain
    }

    func write(_ bytes: [UInt8]) throws(POSHError) {
        var sent = 0
        while sent < bytes.count {
            var written = 0
            try drive("sending the HTTP request") {
                bytes[sent...].withUnsafeBytes { buffer in
                    withSIGPIPEBlocked { SSL_write_ex(ssl, buffer.baseAddress, buffer.count, &written) }
                }
            }
            sent += written
        }
    }

    /// Everything until the server closes, or an error past `limit` bytes.
    func readToEnd(limit: Int) throws(POSHError) -> [UInt8] {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while true {
            var count = 0
            let result = buffer.withUnsafeMutableBytes { SSL_read_ex(ssl, $0.baseAddress, $0.count, &count) }
            if result == 1 {
                received += buffer[..<count]
                guard received.count <= limit else { throw .fetch("the response is larger than \(limit) bytes") }
                continue
            }
            switch SSL_get_error(ssl, result) {
            case SSL_ERROR_ZERO_RETURN: return received
            case SSL_ERROR_WANT_READ: try wait(for: Int16(POLLIN), "reading the HTTP response")
            case SSL_ERROR_WANT_WRITE: try wait(for: Int16(POLLOUT), "reading the HTTP response")
            case SSL_ERROR_SYSCALL where ERR_peek_error() == 0: return received
            default: throw .fetch("reading the HTTP response failed: \(TLSConnection.openSSLError())")
            }
        }
    }

    /// Repeats a non-blocking OpenSSL call until it succeeds, waiting in poll.
    private func drive(_ step: String, _ call: () -> Int32) throws(POSHError) {
        while true {
            ERR_clear_error()
            let result = call()
            if result == 1 { return }
            switch SSL_get_error(ssl, result) {
            case SSL_ERROR_WANT_READ: try wait(for: Int16(POLLIN), step)
            case SSL_ERROR_WANT_WRITE: try wait(for: Int16(POLLOUT), step)
            default: throw .fetch("\(step) failed: \(TLSConnection.openSSLError())")
            }
        }
    }

    private func wait(for events: Int16, _ step: String) throws(POSHError) {
        try TLSConnection.poll(socket, events, deadline: deadline, step)
    }

    private static func poll(_ socket: Int32, _ events: Int16, deadline: UInt64, _ step: String) throws(POSHError) {
        while true {
            let now = monotonicMilliseconds()
            guard now < deadline else { throw .fetch("timed out while \(step)") }
            var entry = pollfd(fd: socket, events: events, revents: 0)
            let ready = Glibc.poll(&entry, 1, Int32(min(deadline - now, UInt64(Int32.max))))
            if ready > 0 { return }
            if ready < 0 && errno != EINTR { throw .fetch("poll failed while \(step): \(String(cString: strerror(errno)))") }
        }
    }

    private static func connect(_ address: IPAddress, _ port: UInt16, deadline: UInt64) throws(POSHError) -> Int32 {
        let v4 = address.octets.count == 4
        let family = v4 ? AF_INET : AF_INET6
        let socket = Glibc.socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard socket >= 0 else { throw .fetch("cannot make a socket: \(String(cString: strerror(errno)))") }
        let result: Int32
        if v4 {
            var storage = sockaddr_in()
            storage.sin_family = sa_family_t(AF_INET)
            storage.sin_port = port.bigEndian
            withUnsafeMutableBytes(of: &storage.sin_addr) { $0.copyBytes(from: address.octets) }
            result = connect(socket, to: &storage)
        } else {
            var storage = sockaddr_in6()
            storage.sin6_family = sa_family_t(AF_INET6)
            storage.sin6_port = port.bigEndian
            withUnsafeMutableBytes(of: &storage.sin6_addr) { $0.copyBytes(from: address.octets) }
            result = connect(socket, to: &storage)
        }
        if result != 0 && errno != EINPROGRESS {
            let why = String(cString: strerror(errno))
            close(socket)
            throw .fetch("cannot connect to \(address) port \(port): \(why)")
        }
        do {
            try poll(socket, Int16(POLLOUT), deadline: deadline, "connecting to \(address) port \(port)")
        } catch {
            close(socket)
            throw error
        }
        var failure: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(socket, SOL_SOCKET, SO_ERROR, &failure, &length)
        guard failure == 0 else {
            close(socket)
            throw .fetch("cannot connect to \(address) port \(port): \(String(cString: strerror(failure)))")
        }
        return socket
    }

    private static func connect<Address>(_ socket: Int32, to address: inout Address) -> Int32 {
        withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(socket, $0, socklen_t(MemoryLayout<Address>.size)) }
        }
    }

    static func monotonicMilliseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1000 + UInt64(now.tv_nsec) / 1_000_000
    }

    /// OpenSSL's queued error, or errno when the failure was a system call.
    private static func openSSLError() -> String {
        guard ERR_peek_error() != 0 else { return errno != 0 ? String(cString: strerror(errno)) : "the connection was closed" }
        return OpenSSLError.drain()
    }
}

/// A library must not let a peer's closed socket kill its host with
/// SIGPIPE: block it on this thread around the write and drop any that
/// the write raised.
private func withSIGPIPEBlocked<T>(_ body: () -> T) -> T {
    var block = sigset_t(), old = sigset_t()
    sigemptyset(&block)
    sigaddset(&block, SIGPIPE)
    pthread_sigmask(SIG_BLOCK, &block, &old)
    let result = body()
    var pending = sigset_t()
    sigpending(&pending)
    if sigismember(&pending, SIGPIPE) == 1 && sigismember(&old, SIGPIPE) == 0 {
        var zero = timespec()
        _ = sigtimedwait(&block, nil, &zero)
    }
    pthread_sigmask(SIG_SETMASK, &old, nil)
    return result
}
