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
        let useCN = commonNameFallback && !presented.contains { [.dns, .srv, .uri, .xmpp].contains($0.type) }
        var found: [IdentityMatch] = []
        for reference in references {
            for candidate in presented {
                guard let parsed = candidate.parsed else { continue }
                if candidate.type == .cn && !useCN { continue }
                if IdentityMatcher.matches(reference, parsed) {
                    found.append(IdentityMatch(reference: reference, presented: candidate))
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
