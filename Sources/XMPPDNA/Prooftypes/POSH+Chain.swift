import XMPPDNACore
import XMPPDNAOpenSSL

extension POSH {
    /// The POSH rule for a parsed chain: the leaf's digests, then the rule.
    public static func verify(document: POSHDocument, chain: [Certificate], source: String? = nil) -> POSHOutcome {
        verify(document: document, digests: leafDigests(document, chain), hasLeaf: !chain.isEmpty, source: source)
    }

    /// The leaf's digests for the hashes `document` names (none without a leaf).
    static func leafDigests(_ document: POSHDocument, _ chain: [Certificate]) -> LeafDigests {
        chain.first?.poshDigests(hashesNeeded(document)) ?? LeafDigests()
    }
}
