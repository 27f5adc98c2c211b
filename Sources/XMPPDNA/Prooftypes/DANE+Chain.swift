import XMPPDNACore
import XMPPDNAOpenSSL

extension DANE {
    /// The DANE rule for one TLSA RRset and a parsed chain: OpenSSL checks
    /// the chain against the records the rule asks for, then the rule decides.
    public static func evaluate(records: [TLSARecord], status: DNSSECStatus, chain: [Certificate],
                                names: [ReferenceIdentifier], time: Int64?, direction: PeerDirection,
                                pkixStore: TrustStore) -> DANEOutcome {
        let check = recordsToCheck(records, status: status).flatMap { usable in
            chain.isEmpty ? nil : DANEVerifier.verify(chain, records: usable, store: pkixStore, time: time, direction: direction)
        }
        return evaluate(records: records, status: status, check: check,
                        leafIdentifiers: chain.first?.presentedIdentifiers, names: names)
    }
}
