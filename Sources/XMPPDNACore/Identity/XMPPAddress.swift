/// The bare JID of an XmppAddr (RFC 6120 section 13.7.1.4): a domain, or a
/// localpart@domain for client certificates. A resource never belongs in a
/// certificate, so a JID with one is refused.
public struct XMPPAddress: Hashable, Sendable, CustomStringConvertible {
    /// Compared case-insensitively after Unicode case mapping, which with
    /// Swift's canonical string equality approximates PRECIS
    /// UsernameCaseMapped (RFC 8265).
    public let localpart: String?
    public let domain: DNSName

    public var description: String {
        localpart.map { "\($0)@\(domain)" } ?? domain.text
    }

    public init(_ jid: String) throws(IdentityInputError) {
        if jid.utf8.contains(0) { throw .encoding("contains a NUL byte") }
        if jid.contains("/") { throw .badName("carries a resource; an XmppAddr holds a bare JID") }
        var domainText = Substring(jid)
        var localpart: String?
        if let at = jid.firstIndex(of: "@") {
            let local = jid[..<at]
            guard !local.isEmpty, local.utf8.count <= 1023 else {
                throw .badName("has an empty or overlong localpart")
            }
            localpart = String(local).lowercased()
            domainText = jid[jid.index(after: at)...]
        }
        self.localpart = localpart
        self.domain = try DNSName(String(domainText))
    }

    public init(domain: DNSName) {
        self.localpart = nil
        self.domain = domain
    }
}
