/// The result of delegation discovery for one domain and service.
public struct NameList: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        /// SRV records were found (secure or not: see `status`).
        case srv
        /// No SRV records: RFC 6120 falls back to the domain itself.
        case noSRV
        /// A lone SRV record with target ".": the service is decidedly not offered.
        case serviceUnavailable
    }

    public let domain: DNSName
    public let service: XMPPService
    public let kind: Kind
    /// Secure only when a delegation was proven and nothing on any path was bogus.
    public let status: DNSSECStatus
    /// L: the names (and addresses) a certificate may carry. Always starts
    /// with the domain itself; a bogus status leaves nothing else.
    public let acceptableNames: [AcceptableName]
    public let candidates: [ConnectionCandidate]
    /// How the statuses were obtained: "validate", "trust-ad", or "supplied"
    /// for records the caller resolved itself.
    public var trustMode = "supplied"

    public init(domain: DNSName, service: XMPPService, kind: Kind, status: DNSSECStatus,
                acceptableNames: [AcceptableName], candidates: [ConnectionCandidate]) {
        self.domain = domain
        self.service = service
        self.kind = kind
        self.status = status
        self.acceptableNames = acceptableNames
        self.candidates = candidates
    }

    /// Reference identifiers for the PKI prooftype: the domain's own
    /// identifiers plus a DNS-ID or IP for every delegated entry.
    public var referenceIdentifiers: [ReferenceIdentifier] {
        var references = service.referenceIdentifiers(for: domain)
        for entry in acceptableNames.dropFirst() where !references.contains(entry.reference) {
            references.append(entry.reference)
        }
        return references
    }

    /// The same list with a fresh RFC 2782 weighted order among candidates
    /// of equal priority, for a list served from a cache.
    package func reshuffled() -> NameList {
        guard candidates.contains(where: { $0.weight > 0 }) else { return self }
        var generator = SystemRandom()
        var copy = NameList(domain: domain, service: service, kind: kind, status: status, acceptableNames: acceptableNames,
                            candidates: SRVOrdering.order(candidates, priority: \.priority, weight: \.weight, using: &generator))
        copy.trustMode = trustMode
        return copy
    }
}
