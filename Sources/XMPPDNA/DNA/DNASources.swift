import XMPPDNACore
import XMPPDNANet
import XMPPDNAResolver

/// Where the edge gathers DNA evidence from: the name list, TLSA answers
/// and the POSH document. The resolver and the fetcher fill it, or a
/// server with its own resolver, or records the caller supplied.
public struct DNASources: Sendable {
    /// The name list of #3 for the domain and service; nil if not looked up.
    public var names: NameList?
    /// The TLSA answer at a location, or nil when none can be had.
    public var tlsa: @Sendable (TLSALocation) async -> DNSAnswer<TLSARecord>?
    /// The domain's POSH document; asked for only when the verdict gets that far.
    public var posh: @Sendable () async -> Result<POSHFetched, POSHError>?
    public var dialback: DialbackResult?

    public init(names: NameList? = nil,
                tlsa: @escaping @Sendable (TLSALocation) async -> DNSAnswer<TLSARecord>? = { _ in nil },
                posh: @escaping @Sendable () async -> Result<POSHFetched, POSHError>? = { nil },
                dialback: DialbackResult? = nil) {
        self.names = names
        self.tlsa = tlsa
        self.posh = posh
        self.dialback = dialback
    }

    /// Everything from the network: the DNSSEC resolver and, if given, HTTPS.
    public static func network(domain: DNSName, service: XMPPService, resolver: DelegationResolver,
                               poshFetcher: POSHFetcher?, dialback: DialbackResult? = nil) async -> DNASources {
        DNASources(names: await resolver.nameList(for: domain, service: service),
                   tlsa: { await resolver.tlsa(host: $0.host, port: $0.port) },
                   posh: { await poshFetcher?.fetch(domain: domain, service: service) },
                   dialback: dialback)
    }
}
