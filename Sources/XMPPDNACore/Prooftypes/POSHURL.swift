/// An https URL as POSH uses it: the `url` member of a reference, or the
/// well-known location. Nothing but https is representable, so a POSH
/// document is never fetched over plain HTTP.
public struct POSHURL: Hashable, Sendable, CustomStringConvertible {
    /// Lowercase host name, or an IP literal without brackets.
    public let host: String
    public let port: UInt16
    /// Path and query, starting with "/".
    public let target: String

    public static let maxLength = 2048

    public var description: String { "https://\(authority)\(target)" }

    /// "host[:port]" as a URL writes it.
    public var authority: String {
        (host.contains(":") ? "[\(host)]" : host) + (port == 443 ? "" : ":\(port)")
    }

    public init(_ text: String) throws(POSHError) {
        guard text.utf8.count <= POSHURL.maxLength else { throw .badURL("the URL is longer than \(POSHURL.maxLength) bytes") }
        guard text.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw .badURL("\(text.debugDescription) contains spaces, control or non-ASCII characters")
        }
        let lower = text.lowercased()
        guard lower.hasPrefix("https://") else {
            if lower.hasPrefix("http://") { throw .badURL("\(text) is plain HTTP; POSH is only fetched over https") }
            throw .badURL("\(text) is not an https URL")
        }
        let rest = text.dropFirst("https://".count)
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        var target = String(rest[authorityEnd...])
        guard !target.contains("#") else { throw .badURL("\(text) has a fragment") }
        if target.isEmpty || target.hasPrefix("?") { target = "/" + target }
        guard !authority.contains("@") else { throw .badURL("\(text) carries user information") }

        var hostPart = Substring(authority)
        var portPart: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw .badURL("\(text) has an unclosed IPv6 literal") }
            hostPart = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw .badURL("\(text) has junk after its IPv6 literal") }
                portPart = after.dropFirst()
            }
        } else if let colon = authority.lastIndex(of: ":") {
            hostPart = authority[..<colon]
            portPart = authority[authority.index(after: colon)...]
        }
        var port: UInt16 = 443
        if let portPart {
            guard let number = UInt16(portPart), number > 0 else { throw .badURL("\(text) has a bad port") }
            port = number
        }
        if IPAddress.looksLikeAddress(String(hostPart)) {
            do { _ = try IPAddress(String(hostPart)) } catch { throw .badURL("\(text) has a bad IP address") }
            host = hostPart.lowercased()
        } else {
            do { host = try DNSName(String(hostPart)).text } catch { throw .badURL("\(text) has a bad host name") }
        }
        self.port = port
        self.target = target
    }

    /// The well-known location for `domain` and `service` (RFC 7711 section
    /// 3; the IANA POSH service names are "xmpp-server" and "xmpp-client").
    public static func wellKnown(domain: DNSName, service: XMPPService) -> POSHURL {
        // A DNSName is a valid host, so this cannot fail.
        try! POSHURL("https://\(domain.text)/.well-known/posh/\(service.poshServiceName).json")
    }
}

extension XMPPService {
    /// Direct TLS shares the POSH file of its STARTTLS service.
    public var poshServiceName: String {
        switch self {
        case .xmppServer, .xmppsServer: return "xmpp-server"
        case .xmppClient, .xmppsClient: return "xmpp-client"
        }
    }
}
