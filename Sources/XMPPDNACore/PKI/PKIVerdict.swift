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
    /// true when the chain's verification was an earlier one, reused.
    public let chainReused: Bool
    /// Every reason for a rejection; notes for an acceptance.
    public let findings: [DNAFinding]

    public var reasons: [String] { findings.map(\.text) }

    public init(references: [ReferenceIdentifier], presented: [PresentedIdentifier],
                chain: ChainStatus, chainReused: Bool = false, matcher: IdentityMatcher) {
        let matches = matcher.matches(references: references, presented: presented)
        var findings: [DNAFinding] = []
        if case .invalid(let code, let depth, let text) = chain {
            findings.append(DNAFinding(.pkiChainInvalid, .pki, seen: text, opensslCode: code, depth: Int(depth)))
        }
        if matches.isEmpty {
            findings += PKIVerdict.mismatch(references: references, presented: presented, matcher: matcher)
        }
        for unusable in presented where !unusable.isUsable {
            // A CN that is not a host name is ordinary (e.g. "Example Ltd").
            if unusable.type == .cn && !matcher.commonNameFallback { continue }
            findings.append(DNAFinding(.pkiIdentifierIgnored, .pki, seen: "\(unusable.type) \"\(unusable.display)\"",
                                       detail: "\(unusable.problem!)"))
        }
        self.accepted = !matches.isEmpty && PKIVerdict.chainAllows(chain)
        self.references = references
        self.presented = presented
        self.matches = matches
        self.chain = chain
        self.chainReused = chainReused
        self.findings = findings
    }

    private static func chainAllows(_ chain: ChainStatus) -> Bool {
        if case .invalid = chain { return false }
        return true
    }

    private static func mismatch(references: [ReferenceIdentifier], presented: [PresentedIdentifier],
                                 matcher: IdentityMatcher) -> [DNAFinding] {
        let usable = presented.filter { $0.isUsable && ($0.type != .cn || matcher.commonNameFallback) }
        var findings = [DNAFinding(.pkiNoNameMatches, .pki,
                                   expected: references.isEmpty ? nil : references.map(\.description).joined(separator: ", "),
                                   seen: usable.isEmpty ? nil : usable.map(\.description).joined(separator: ", "))]
        let hasSAN = presented.contains { $0.type != .cn }
        if !hasSAN && presented.contains(where: { $0.type == .cn }) && !matcher.commonNameFallback {
            findings.append(DNAFinding(.pkiNameOnlyInCN, .pki))
        }
        return findings
    }
}
