/// DNA evidence from the network: the name list and TLSA records from the
/// DNSSEC resolver of #3, and the POSH document from HTTPS. POSH is
/// fetched only if the verdict gets that far, and only once.
public enum DNAResolverEvidence {
    public static func gather(domain: DNSName, service: XMPPService, resolver: DelegationResolver,
                              poshFetcher: POSHFetcher?, dialback: DialbackResult? = nil) -> DNAEvidence {
        DNAEvidence(names: resolver.nameList(for: domain, service: service),
                    tlsa: { host, port in resolver.tlsa(host: host, port: port) },
                    posh: lazyPOSH { poshFetcher?.fetch(domain: domain, service: service) },
                    dialback: dialback)
    }

    /// A POSH source that runs `fetch` on first use only, so a verdict that
    /// accepts before POSH never touches HTTPS.
    public static func lazyPOSH(_ fetch: @escaping () -> Result<POSHFetcher.Fetched, POSHError>?)
        -> () -> Result<POSHFetcher.Fetched, POSHError>? {
        let memo = Memo(fetch)
        return { memo.value }
    }
}

/// A value computed on first use.
final class Memo<Value> {
    private let make: () -> Value
    private var made: Value?

    init(_ make: @escaping () -> Value) { self.make = make }

    var value: Value {
        if let made { return made }
        let value = make()
        made = value
        return value
    }
}
