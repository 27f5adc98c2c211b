import XMPPDNACore
import XMPPDNAOpenSSL

extension DANE {
    /// The DANE rule for one TLSA RRset and a parsed chain: OpenSSL checks
    /// the chain against the records the rule asks for, then the rule decides.
    public static func evaluate(records: [TLSARecord], status: DNSSECStatus, chain: [Certificate],
                                names: [ReferenceIdentifier], time: Int64?, direction: PeerDirection,
                                pkixStore: TrustStore) -> DANEOutcome {
        evaluate(records: records, status: status,
                 check: check(chain, records: records, status: status, store: pkixStore, time: time, direction: direction),
                 leafIdentifiers: chain.first?.presentedIdentifiers, names: names)
    }

    /// OpenSSL's check of `chain` against the records the rule asks for;
    /// nil when it asks for none or no chain was presented.
    static func check(_ chain: [Certificate], records: [TLSARecord], status: DNSSECStatus, store: TrustStore,
                      time: Int64?, direction: PeerDirection) -> DANECheck? {
        recordsToCheck(records, status: status).flatMap { usable in
            chain.isEmpty ? nil : DANEVerifier.verify(chain, records: usable, store: store, time: time, direction: direction)
        }
    }
}
