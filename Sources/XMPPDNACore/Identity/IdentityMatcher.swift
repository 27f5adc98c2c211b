/// One reference identifier and the presented identifier that matched it.
public struct IdentityMatch: Hashable, Sendable {
    public let reference: ReferenceIdentifier
    public let presented: PresentedIdentifier
}

/// RFC 9525 matching of reference identifiers against presented ones. Pure:
/// no I/O, no clock, no global state.
public struct IdentityMatcher: Sendable {
    /// Legacy RFC 6125 CN-ID fallback (RFC 9525 removed it).
    public var commonNameFallback: Bool

    public init(commonNameFallback: Bool = false) {
        self.commonNameFallback = commonNameFallback
    }

    /// Every (reference, presented) pair that matches, in reference order.
    /// Each identifier type matches only its own type (RFC 9525 section 6);
    /// an IP reference matches only iPAddress SANs (section 6.5).
    public func matches(references: [ReferenceIdentifier], presented: [PresentedIdentifier]) -> [IdentityMatch] {
        // RFC 6125 section 6.4.4: a CN counts only without DNS-, SRV-, URI- or XMPP-IDs.
        let useCN = commonNameFallback && !presented.contains {
            switch $0.type {
            case .dns, .srv, .uri, .xmpp: return true
            case .ip, .cn: return false
            }
        }
        var found: [IdentityMatch] = []
        // Types are compared before anything else is touched: servers call
        // this on every connection, and most pairs differ in type.
        for reference in references {
            let wanted = reference.type
            for index in presented.indices {
                let type = presented[index].type
                guard type == wanted || (type == .cn && useCN && wanted == .dns),
                      let parsed = presented[index].parsed else { continue }
                if IdentityMatcher.matches(reference, parsed) {
                    // One allocation: a certificate that matches one reference usually matches several.
                    if found.isEmpty { found.reserveCapacity(references.count) }
                    found.append(IdentityMatch(reference: reference, presented: presented[index]))
                }
            }
        }
        return found
    }

    static func matches(_ reference: ReferenceIdentifier, _ presented: PresentedIdentifier.Parsed) -> Bool {
        switch (reference, presented) {
        case (.dns(let name), .dns(let pattern)):
            return pattern.matches(name)
        case (.srv(let want), .srv(let have)):
            return want == have
        case (.xmpp(let want), .xmpp(let have)):
            return want == have
        case (.uri(let want), .uri(let have)):
            return want == have
        case (.ip(let want), .ip(let have)):
            return want == have
        default:
            return false
        }
    }
}
