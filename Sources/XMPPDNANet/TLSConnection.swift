import CXMPPDNAShim
#if canImport(Glibc)
import Glibc
#endif
import XMPPDNACore
import XMPPDNAOpenSSL

/// A TLS client connection on OpenSSL (already linked, so no HTTP or TLS
/// stack is added) over a `TCPStream`, sharing its deadline: handshake,
/// write and read. It can start on a fresh stream (HTTPS, XEP-0368 direct
/// TLS) or on one that has just negotiated STARTTLS. The peer's certificate
/// is not judged here; callers do that with the library's own rules.
final class TLSConnection {
    private let stream: TCPStream
    private let context: OpaquePointer
    private let ssl: OpaquePointer

    /// `serverName` goes into SNI (never an IP literal, RFC 6066); `alpn`
    /// protocols are offered in order (XEP-0368: "xmpp-server", "xmpp-client").
    init(over stream: TCPStream, serverName: String?, alpn: [String] = []) async throws(NetworkError) {
        self.stream = stream
        guard let context = SSL_CTX_new(TLS_client_method()) else {
            throw NetworkError(.tls, "OpenSSL cannot make a TLS context")
        }
        self.context = context
        _ = xdna_shim_SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION)
        // A server that closes without close_notify after a framed body is
        // common; the framing (HTTP, XMPP) decides whether data is complete.
        xdna_shim_SSL_CTX_ignore_unexpected_eof(context)
        guard let ssl = SSL_new(context) else {
            SSL_CTX_free(context)
            throw NetworkError(.tls, "OpenSSL cannot make a TLS session")
        }
        self.ssl = ssl
        SSL_set_fd(ssl, stream.socket)
        if let serverName { _ = xdna_shim_SSL_set_tlsext_host_name(ssl, serverName) }
        if !alpn.isEmpty {
            let wire = alpn.flatMap { [UInt8($0.utf8.count)] + Array($0.utf8) }
            _ = wire.withUnsafeBufferPointer { SSL_set_alpn_protos(ssl, $0.baseAddress, UInt32($0.count)) }
        }
        try await drive("the TLS handshake with \(stream.peer)") { SSL_connect(ssl) }
    }

    convenience init(address: IPAddress, port: UInt16, serverName: String?, deadline: UInt64) async throws(NetworkError) {
        try await self.init(over: TCPStream(address: address, port: port, deadline: deadline), serverName: serverName)
    }

    deinit {
        SSL_free(ssl)
        SSL_CTX_free(context)
    }

    /// "TLSv1.3" and the like.
    var version: String { String(cString: SSL_get_version(ssl)) }

    /// The negotiated cipher suite's OpenSSL name.
    var cipher: String { SSL_get_current_cipher(ssl).map { String(cString: SSL_CIPHER_get_name($0)) } ?? "" }

    /// The ALPN protocol the server chose, if any.
    var negotiatedALPN: String? {
        var data: UnsafePointer<UInt8>?
        var length: UInt32 = 0
        SSL_get0_alpn_selected(ssl, &data, &length)
        guard let data, length > 0 else { return nil }
        return String(decoding: UnsafeBufferPointer(start: data, count: Int(length)), as: UTF8.self)
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

    func write(_ bytes: [UInt8]) async throws(NetworkError) {
        var sent = 0
        while sent < bytes.count {
            var written = 0
            try await drive("sending to \(stream.peer)") {
                bytes[sent...].withUnsafeBytes { buffer in
                    withSIGPIPEBlocked { SSL_write_ex(ssl, buffer.baseAddress, buffer.count, &written) }
                }
            }
            sent += written
        }
    }

    /// Everything until the server closes, or an error past `limit` bytes.
    func readToEnd(limit: Int) async throws(NetworkError) -> [UInt8] {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while true {
            var count = 0
            let result = buffer.withUnsafeMutableBytes { SSL_read_ex(ssl, $0.baseAddress, $0.count, &count) }
            if result == 1 {
                received += buffer[..<count]
                guard received.count <= limit else { throw NetworkError(.protocolError, "the response is larger than \(limit) bytes") }
                continue
            }
            switch SSL_get_error(ssl, result) {
            case SSL_ERROR_ZERO_RETURN: return received
            case SSL_ERROR_WANT_READ: try await stream.wait(for: Int16(POLLIN), "reading the response")
            case SSL_ERROR_WANT_WRITE: try await stream.wait(for: Int16(POLLOUT), "reading the response")
            case SSL_ERROR_SYSCALL where ERR_peek_error() == 0: return received
            default: throw NetworkError(.tls, "reading the response failed: \(TLSConnection.openSSLError())")
            }
        }
    }

    /// Repeats a non-blocking OpenSSL call until it succeeds, waiting without a thread.
    private func drive(_ step: String, _ call: () -> Int32) async throws(NetworkError) {
        while true {
            ERR_clear_error()
            let result = call()
            if result == 1 { return }
            switch SSL_get_error(ssl, result) {
            case SSL_ERROR_WANT_READ: try await stream.wait(for: Int16(POLLIN), step)
            case SSL_ERROR_WANT_WRITE: try await stream.wait(for: Int16(POLLOUT), step)
            case SSL_ERROR_SYSCALL where ERR_peek_error() == 0:
                throw NetworkError(.closed, "the peer closed the connection during \(step)")
            default: throw NetworkError(.tls, "\(step) failed: \(TLSConnection.openSSLError())")
            }
        }
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
