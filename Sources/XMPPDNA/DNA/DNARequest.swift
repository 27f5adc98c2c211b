/// What a server asks: may this chain speak for `domain`?
public struct DNARequest: Sendable {
    /// Outbound: we connected to the peer. Inbound: a peer server connected
    /// to us and presented a client certificate for `domain` (s2s).
    public var direction: PeerDirection
    /// The peer's domain: the one we connected to, or the stream's `from`.
    public var domain: DNSName
    public var service: XMPPService
    /// Presented chain, leaf first, parsed once by the caller.
    public var chain: [Certificate]
    /// Outbound: the SRV target (and port) that presented the chain. Its
    /// TLSA records are the ones that count (RFC 7673 section 3).
    public var endpoint: (host: DNSName, port: UInt16)?
    public var prooftypes: [Prooftype] = Prooftype.defaultOrder
    /// Extra names the caller accepts for PKI and the DANE-TA name check.
    public var extraNames: [ReferenceIdentifier] = []
    /// Accept dialback when the DNS behind it was not secure.
    public var acceptWeakDialback = true

    public init(direction: PeerDirection, domain: DNSName, service: XMPPService, chain: [Certificate]) {
        self.direction = direction
        self.domain = domain
        self.service = service
        self.chain = chain
    }
}

/// Where the verifier gets its evidence. The verifier itself does no I/O:
/// `DNAResolverEvidence` fills this from DNS and HTTPS, and a server with
/// its own resolver or a test can fill it directly.
public struct DNAEvidence {
    /// The name list of #3 for the domain and service; nil if not looked up.
    public var names: NameList?
    /// TLSA answer for `_PORT._tcp.HOST`, or nil when none can be had.
    public var tlsa: (DNSName, UInt16) -> DNSAnswer<TLSARecord>?
    /// The domain's POSH document, fetched on first use only.
    public var posh: () -> Result<POSHFetcher.Fetched, POSHError>?
    public var dialback: DialbackResult?

    public init(names: NameList? = nil,
                tlsa: @escaping (DNSName, UInt16) -> DNSAnswer<TLSARecord>? = { _, _ in nil },
                posh: @escaping () -> Result<POSHFetcher.Fetched, POSHError>? = { nil },
                dialback: DialbackResult? = nil) {
        self.names = names
        self.tlsa = tlsa
        self.posh = posh
        self.dialback = dialback
    }
}
