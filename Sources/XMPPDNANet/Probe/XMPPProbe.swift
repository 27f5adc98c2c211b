import XMPPDNACore
import XMPPDNAIO
import XMPPDNAOpenSSL

/// Connects to one XMPP endpoint as a peer would and records what it
/// presents: XMPP STARTTLS for `xmpp-*` (stream header to the domain,
/// features, `<starttls/>`, `<proceed/>`), direct TLS with ALPN for
/// XEP-0368 `xmpps-*`; SNI is the domain either way. The I/O edge behind
/// `xmppdna check`; every step shares one deadline, and a peer that speaks
/// anything but XMPP gets a clear error instead of a hang.
public enum XMPPProbe {
    public struct Result: Sendable {
        public let address: IPAddress
        public let port: UInt16
        public let directTLS: Bool
        /// Leaf first.
        public let chain: [Certificate]
        public let tlsVersion: String
        public let cipher: String
        public let alpn: String?
    }

    /// The most stream bytes read before TLS; real feature lists are far smaller.
    static let maxPreTLSBytes = 65_536

    public static func probe(address: IPAddress, port: UInt16, domain: DNSName, service: XMPPService,
                             timeoutMilliseconds: Int) async throws(NetworkError) -> Result {
        let outcome = await onLibraryThreads { () async -> Swift.Result<Result, NetworkError> in
            do throws(NetworkError) {
                return .success(try await connect(address: address, port: port, domain: domain, service: service,
                                                  timeoutMilliseconds: timeoutMilliseconds))
            } catch {
                return .failure(error)
            }
        }
        return try outcome.get()
    }

    private static func connect(address: IPAddress, port: UInt16, domain: DNSName, service: XMPPService,
                                timeoutMilliseconds: Int) async throws(NetworkError) -> Result {
        let deadline = TCPStream.monotonicMilliseconds() + UInt64(max(timeoutMilliseconds, 1))
        let stream = try await TCPStream(address: address, port: port, deadline: deadline)
        let server = service == .xmppServer || service == .xmppsServer
        let tls: TLSConnection
        if service.directTLS {
            tls = try await TLSConnection(over: stream, serverName: domain.text, alpn: [server ? "xmpp-server" : "xmpp-client"])
        } else {
            try await negotiateSTARTTLS(stream, domain: domain, server: server)
            tls = try await TLSConnection(over: stream, serverName: domain.text)
        }
        return Result(address: address, port: port, directTLS: service.directTLS, chain: tls.peerChain,
                      tlsVersion: tls.version, cipher: tls.cipher, alpn: tls.negotiatedALPN)
    }

    /// RFC 6120 section 5.4: open a stream, read the features, ask for TLS.
    static func negotiateSTARTTLS(_ stream: TCPStream, domain: DNSName, server: Bool) async throws(NetworkError) {
        let namespace = server ? "jabber:server" : "jabber:client"
        try await stream.write(Array(("<?xml version='1.0'?><stream:stream xmlns='\(namespace)' "
            + "xmlns:stream='http://etherx.jabber.org/streams' to='\(domain.text)' version='1.0'>").utf8),
            "sending the stream header")
        var text = try await readUntil(stream, "</stream:features>", "reading the stream features") { (received: String) throws(NetworkError) in
            // Anything but an XML stream is not XMPP: say so at once.
            let start = received.drop(while: { " \t\r\n".contains($0) })
            guard start.isEmpty || start.hasPrefix("<") else {
                throw NetworkError(.protocolError, "the server does not speak XMPP; it sent \(printable(received))")
            }
            if received.contains("<stream:error") {
                throw NetworkError(.protocolError, streamErrorMessage(received, domain: domain))
            }
        }
        guard text.contains("urn:ietf:params:xml:ns:xmpp-tls") else {
            throw NetworkError(.protocolError, "the server does not offer STARTTLS (features: \(printable(text)))")
        }
        try await stream.write(Array("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>".utf8), "sending <starttls/>")
        text = try await readUntil(stream, "<proceed", "waiting for <proceed/>") { (received: String) throws(NetworkError) in
            if received.contains("<failure") || received.contains("<stream:error") {
                throw NetworkError(.protocolError, "the server refused STARTTLS: \(printable(received))")
            }
        }
        // The rest of <proceed/> ends the plain-text part; TLS starts next.
        if !text.contains("/>") && !text.contains("</proceed>") {
            _ = try await readUntil(stream, ">", "reading <proceed/>") { (_: String) throws(NetworkError) in }
        }
    }

    private static func readUntil(_ stream: TCPStream, _ marker: String, _ step: String,
                                  check: (String) throws(NetworkError) -> Void) async throws(NetworkError) -> String {
        var received: [UInt8] = []
        while true {
            received += try await stream.read(step)
            let text = String(decoding: received, as: UTF8.self)
            try check(text)
            if text.contains(marker) { return text }
            guard received.count <= maxPreTLSBytes else {
                throw NetworkError(.protocolError, "more than \(maxPreTLSBytes) bytes without \(marker) while \(step)")
            }
        }
    }

    /// RFC 6120 section 4.9.3: the stream error's condition (the element
    /// that is not <text/>) and its text, said for an operator; what was
    /// received, when no condition has arrived yet.
    static func streamErrorMessage(_ received: String, domain: DNSName) -> String {
        guard let start = received.firstRange(of: "<stream:error") else { return "the server sent \(printable(received))" }
        var condition: Substring?
        var text: Substring?
        var rest = received[start.upperBound...]
        while let open = rest.firstIndex(of: "<") {
            rest = rest[rest.index(after: open)...]
            let name = rest.prefix { $0.isASCII && ($0.isLetter || $0 == "-") }
            if name == "text", let close = rest.firstIndex(of: ">"), let end = rest[close...].firstRange(of: "</text>") {
                text = rest[rest.index(after: close)..<end.lowerBound]
            } else if condition == nil && !name.isEmpty && name.count <= 40 {
                condition = name
            }
        }
        guard let condition else { return "the server sent a stream error: \(printable(received))" }
        var message = "the server sent the stream error \(condition) (RFC 6120 section 4.9.3)"
        if condition == "host-unknown" { message += ": it does not serve \(domain.text)" }
        if let text, !text.isEmpty { message += "; it said \(printable(String(text)))" }
        return message
    }

    /// A short, safe rendering of what a peer sent, for error messages.
    static func printable(_ text: String) -> String {
        let cleaned = text.unicodeScalars.map { $0.value >= 0x20 && $0.value < 0x7F ? String($0) : "." }.joined()
        return "\"" + (cleaned.count > 120 ? String(cleaned.prefix(120)) + "…" : cleaned) + "\""
    }
}
