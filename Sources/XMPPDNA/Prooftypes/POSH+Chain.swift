import XMPPDNACore
import XMPPDNAOpenSSL

extension POSH {
    /// The POSH rule for a parsed chain: the leaf's digests, then the rule.
    public static func verify(document: POSHDocument, chain: [Certificate], source: String? = nil) -> POSHOutcome {
        let digests = chain.first?.poshDigests(hashesNeeded(document)) ?? LeafDigests()
        return verify(document: document, digests: digests, hasLeaf: !chain.isEmpty, source: source)
    }
}
