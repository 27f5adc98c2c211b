/// The PKI prooftype's verdict (RFC 7712 section 4, RFC 6120 section
/// 13.7.2): the leaf names one of the reference identifiers and, unless the
/// caller opted out, its chain verifies. Built by a pure function from what
/// the adapters already found.
public struct PKIVerdict: Sendable {
    public let accepted: Bool
    public let references: [ReferenceIdentifier]
    public let presented: [PresentedIdentifier]
    public let matches: [IdentityMatch]
    public let chain: ChainStatus
    /// Every reason for a rejection; notes for an acceptance.
    public let reasons: [String]

    public init(references: [ReferenceIdentifier], presented: [PresentedIdentifier],
                chain: ChainStatus, matcher: IdentityMatcher) {
        let matches = matcher.matches(references: references, presented: presented)
        var reasons: [String] = []
        if case .invalid(_, let depth, let text) = chain {
            reasons.append("the certificate chain does not verify: \(text) (at depth \(depth))")
        }
        if matches.isEmpty {
            reasons.append(PKIVerdict.mismatchReason(references: references, presented: presented, matcher: matcher))
        }
        for unusable in presented where !unusable.isUsable {
            // A CN that is not a host name is ordinary (e.g. "Example Ltd").
            if unusable.type == .cn && !matcher.commonNameFallback { continue }
            reasons.append("ignored presented \(unusable.type) \"\(unusable.display)\": it \(unusable.problem!)")
        }
        self.accepted = !matches.isEmpty && PKIVerdict.chainAllows(chain)
        self.references = references
        self.presented = presented
        self.matches = matches
        self.chain = chain
        self.reasons = reasons
    }

    private static func chainAllows(_ chain: ChainStatus) -> Bool {
        if case .invalid = chain { return false }
        return true
    }

    private static func mismatchReason(references: [ReferenceIdentifier], presented: [PresentedIdentifier],
                                       matcher: IdentityMatcher) -> String {
        let expected = references.isEmpty ? "no reference identifiers were given" :
            "expected " + references.map(\.description).joined(separator: ", ")
        let usable = presented.filter { $0.isUsable && ($0.type != .cn || matcher.commonNameFallback) }
        let offered = usable.isEmpty ? "the certificate offers no usable identifier" :
            "the certificate offers " + usable.map(\.description).joined(separator: ", ")
        var reason = "no presented identifier matches: \(expected); \(offered)"
        let hasSAN = presented.contains { $0.type != .cn }
        if !hasSAN && presented.contains(where: { $0.type == .cn }) && !matcher.commonNameFallback {
            reason += "; the certificate names its host only in the subject CN, which RFC 9525 no longer uses (legacy CN fallback is off)"
        }
        return reason
    }
}
