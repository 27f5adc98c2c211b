/// DNA evidence from the network: the name list and TLSA records from the
/// DNSSEC resolver of #3, and the POSH document from HTTPS. POSH is
/// fetched only if the verdict gets that far, and only once.
public enum DNAResolverEvidence {
    public static func gather(domain: DNSName, service: XMPPService, resolver: DelegationResolver,
                              poshFetcher: POSHFetcher?, dialback: DialbackResult? = nil) -> DNAEvidence {
        let names = resolver.nameList(for: domain, service: service)
        let posh = Memo<Result<POSHFetcher.Fetched, POSHError>?> { poshFetcher?.fetch(domain: domain, service: service) }
        return DNAEvidence(names: names,
                           tlsa: { host, port in resolver.tlsa(host: host, port: port) },
                           posh: { posh.value },
                           dialback: dialback)
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
