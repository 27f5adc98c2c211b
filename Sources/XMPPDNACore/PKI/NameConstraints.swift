/// The name constraints of one CA certificate on a validated path (RFC 5280
/// section 4.2.1.10), in the forms an XMPP verdict matches. OpenSSL enforces
/// them on dNSName, iPAddress, URI and email names but skips otherNames, so
/// the domain inside an SRV-ID (RFC 4985) or an XmppAddr (RFC 6120) would
/// escape a constrained sub-CA. RFC 5280 leaves such forms unconstrained; an
/// XMPP verifier must not, so those domains are judged here.
public struct NameConstraints: Hashable, Sendable {
    public enum Subtree: Hashable, Sendable {
        /// A dNSName subtree, lowercased: "example.org" is that name and all
        /// below it, ".example.org" only the names below (as OpenSSL reads it).
        case dns(String)
        /// An SRVName subtree (RFC 4985 section 4): a service, a name, or both.
        case srv(service: String?, name: String?)
        /// An XmppAddr subtree: no standard says how to match one.
        case xmppAddr
        /// Another form, which none of the identifiers judged here falls under.
        case other
        /// A subtree that cannot be read: nothing is judged under it.
        case unreadable(String)
    }

    public var permitted: [Subtree]
    public var excluded: [Subtree]

    public init(permitted: [Subtree], excluded: [Subtree]) {
        self.permitted = permitted
        self.excluded = excluded
    }

    /// Why `identifier` may not serve under these constraints, or nil. SRV-IDs
    /// and XmppAddrs are judged, and wildcard DNS-IDs against excluded
    /// subtrees: OpenSSL has judged the rest.
    public func problem(for identifier: PresentedIdentifier) -> String? {
        let domain: String
        var service: String?
        switch identifier.parsed {
        case .dns(let pattern) where pattern.isWildcard:
            return wildcardProblem(base: pattern.base.text)
        case .srv(let srv):
            domain = srv.name.text
            service = srv.service.lowercased()
        case .xmpp(let address):
            domain = address.domain.text
        default:
            return nil
        }
        for case .unreadable(let why) in permitted + excluded {
            return "falls under a name constraint that cannot be evaluated (\(why))"
        }
        if service == nil, (permitted + excluded).contains(.xmppAddr) {
            return "falls under an XmppAddr name constraint, a form no standard says how to match"
        }
        let permittedDomains = permitted.compactMap(\.dnsSubtree)
        if !permittedDomains.isEmpty, !permittedDomains.contains(where: { Self.dns(domain, isWithin: $0) }) {
            return "names \(domain), outside the issuing CA's permitted name constraints (DNS \(permittedDomains.joined(separator: ", ")))"
        }
        if let subtree = excluded.compactMap(\.dnsSubtree).first(where: { Self.dns(domain, isWithin: $0) }) {
            return "names \(domain), inside a subtree the issuing CA's name constraints exclude (DNS \(subtree))"
        }
        guard let service else { return nil }
        let permittedSRV = permitted.filter(\.isSRV)
        if !permittedSRV.isEmpty, !permittedSRV.contains(where: { $0.srvContains(service: service, domain: domain) }) {
            return "is outside the issuing CA's permitted SRVName name constraints"
        }
        if excluded.contains(where: { $0.srvContains(service: service, domain: domain) }) {
            return "is inside an SRVName subtree the issuing CA's name constraints exclude"
        }
        return nil
    }

    /// OpenSSL compares "*.example.com" with a subtree as text, so an excluded
    /// "evil.example.com" one label below misses it, yet the wildcard stands
    /// for that name (webpki and Go refuse it: CVE-2025-61727). Permitted
    /// subtrees need nothing more: a narrower one already fails the text check.
    private func wildcardProblem(base: String) -> String? {
        guard let subtree = excluded.compactMap(\.dnsSubtree).first(where: { subtree in
            guard !subtree.hasPrefix("."), let dot = subtree.firstIndex(of: ".") else { return false }
            return subtree[subtree.index(after: dot)...] == base
        }) else { return nil }
        return "could stand for \(subtree), a name the issuing CA's name constraints exclude"
    }

    /// RFC 5280 dNSName subtree matching, as OpenSSL applies it: an empty
    /// subtree holds every name; a leading dot holds only names below.
    static func dns(_ name: String, isWithin subtree: String) -> Bool {
        if subtree.isEmpty { return true }
        if subtree.hasPrefix(".") { return name.hasSuffix(subtree) }
        return name == subtree || name.hasSuffix("." + subtree)
    }

    /// An SRVName subtree from its text: "_service.name", "_service" or "name".
    public static func srvSubtree(_ text: String) -> Subtree {
        let lowered = text.lowercased()
        guard lowered.hasPrefix("_") else { return .srv(service: nil, name: lowered) }
        let rest = lowered.dropFirst()
        guard let dot = rest.firstIndex(of: ".") else { return .srv(service: String(rest), name: nil) }
        return .srv(service: String(rest[..<dot]), name: String(rest[rest.index(after: dot)...]))
    }
}

extension NameConstraints.Subtree {
    fileprivate var dnsSubtree: String? {
        if case .dns(let subtree) = self { return subtree }
        return nil
    }

    fileprivate var isSRV: Bool {
        if case .srv = self { return true }
        return false
    }

    fileprivate func srvContains(service: String, domain: String) -> Bool {
        guard case .srv(let subtreeService, let subtreeName) = self else { return false }
        if let subtreeService, subtreeService != service { return false }
        if let subtreeName, !NameConstraints.dns(domain, isWithin: subtreeName) { return false }
        return true
    }
}

extension PresentedIdentifier {
    /// This identifier, or the same set aside when a CA on the validated
    /// path may not vouch for it.
    func constrained(by constraints: [NameConstraints]) -> PresentedIdentifier {
        guard isUsable, let why = constraints.lazy.compactMap({ $0.problem(for: self) }).first else { return self }
        return PresentedIdentifier(type: type, raw: raw, problem: .nameConstraints(why))
    }
}
