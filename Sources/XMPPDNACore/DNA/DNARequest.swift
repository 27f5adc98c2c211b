/// What a server asks: may this chain speak for `domain`?
public struct DNARequest: Sendable {
    /// Outbound: we connected to the peer. Inbound: a peer server connected
    /// to us and presented a client certificate for `domain` (s2s).
    public var direction: PeerDirection
    /// The peer's domain: the one we connected to, or the stream's `from`.
    public var domain: DNSName { didSet { ownReferences = service.referenceIdentifiers(for: domain) } }
    public var service: XMPPService { didSet { ownReferences = service.referenceIdentifiers(for: domain) } }
    /// The domain's reference identifiers for the service, and with the
    /// extra names, made once per request rather than once per verdict.
    public private(set) var ownReferences: [ReferenceIdentifier] { didSet { references = Self.references(ownReferences, extraNames) } }
    public private(set) var references: [ReferenceIdentifier]
    /// Outbound: the SRV target (and port) that presented the chain. Its
    /// TLSA records are the ones that count (RFC 7673 section 3).
    public var endpoint: (host: DNSName, port: UInt16)?
    public var prooftypes: [Prooftype] = Prooftype.defaultOrder
    /// Extra names the caller accepts for PKI and the DANE-TA name check.
    public var extraNames: [ReferenceIdentifier] = [] { didSet { references = Self.references(ownReferences, extraNames) } }
    /// Accept dialback when the DNS behind it was not secure.
    public var acceptWeakDialback = true
    /// PKI by names alone, the chain not verified (only with `[.pki]`).
    public var namesOnly = false

    /// `namesOnly` vouches for nothing but names, so no other prooftype may
    /// run beside it.
    public var isConsistent: Bool { !namesOnly || prooftypes == [.pki] }

    public init(direction: PeerDirection, domain: DNSName, service: XMPPService) {
        self.direction = direction
        self.domain = domain
        self.service = service
        ownReferences = service.referenceIdentifiers(for: domain)
        references = ownReferences
    }

    private static func references(_ own: [ReferenceIdentifier], _ extra: [ReferenceIdentifier]) -> [ReferenceIdentifier] {
        own + extra.filter { !own.contains($0) }
    }
}

/// Everything a DNA verdict is decided from, gathered at the edge in the
/// order `DNAVerifier` asks for it: the name list, the chain's facts and the
/// TLSA answers first, POSH only when `decide` says it is needed.
public struct DNAEvidence: Sendable {
    /// The name list of #3 for the domain and service; nil if not looked up.
    public var names: NameList?
    /// The presented chain's facts; nil when no chain was presented.
    public var chain: ChainEvidence?
    /// The answer at each location of `DNAVerifier.tlsaLocations`, with
    /// the chain checked against it where `DANE.recordsToCheck` asked.
    public var tlsa: [TLSALocation: TLSAEvidence] = [:]
    /// nil until gathered; see `DNADecision.needsPOSH`.
    public var posh: POSHEvidence?
    public var dialback: DialbackResult?

    public init(names: NameList? = nil, chain: ChainEvidence?, dialback: DialbackResult? = nil) {
        self.names = names
        self.chain = chain
        self.dialback = dialback
    }
}

/// Where TLSA records are looked up: `_PORT._tcp.HOST`.
public struct TLSALocation: Hashable, Sendable {
    public let host: DNSName
    public let port: UInt16

    public init(_ host: DNSName, _ port: UInt16) {
        self.host = host
        self.port = port
    }

    public var owner: String { TLSARecord.owner(host: host, port: port) }
}

/// A TLSA answer and the chain's DANE check against it.
public struct TLSAEvidence: Sendable {
    public let answer: DNSAnswer<TLSARecord>
    public let check: DANECheck?

    public init(answer: DNSAnswer<TLSARecord>, check: DANECheck?) {
        self.answer = answer
        self.check = check
    }
}
