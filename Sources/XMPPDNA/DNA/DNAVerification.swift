import XMPPDNACore
import XMPPDNAOpenSSL

/// A DNA verdict in its three phases: the core says what evidence the
/// request needs, this edge gathers it (chain facts and DANE checks from
/// the X.509 adapter, DNS from the sources, POSH only when nothing earlier
/// accepted), and the core decides.
public enum DNAVerification {
    public static func verify(_ request: DNARequest, chain: [Certificate], sources: DNASources,
                              pki verifier: PKIVerifier) async throws(TrustStoreError) -> DNAVerdict {
        // XMPPDNA_FLAG_NO_PKIX is for the PKI verdict alone: a DNA verdict
        // vouches for the peer, and names without a chain prove nothing.
        let store = try verifier.trustStore()
        let time = verifier.configuration.time
        var evidence = DNAEvidence(names: sources.names,
                                   chain: verifier.chainEvidence(chain, direction: request.direction, store: store),
                                   dialback: sources.dialback)
        for location in DNAVerifier.tlsaLocations(request, evidence.names).locations {
            guard let answer = await sources.tlsa(location) else { continue }
            let check = DANE.check(chain, records: answer.records, status: answer.pathStatus, store: store, time: time,
                                   direction: request.direction)
            evidence.tlsa[location] = TLSAEvidence(answer: answer, check: check)
        }
        let matcher = verifier.matcher
        if case .verdict(let verdict) = DNAVerifier.decide(request, evidence: evidence, matcher: matcher) { return verdict }
        let fetched = await sources.posh()
        var digests = LeafDigests()
        if case .success(let posh)? = fetched { digests = POSH.leafDigests(posh.document, chain) }
        evidence.posh = POSHEvidence(result: fetched, leafDigests: digests)
        guard case .verdict(let verdict) = DNAVerifier.decide(request, evidence: evidence, matcher: matcher) else {
            preconditionFailure("DNAVerifier asked for POSH evidence twice")
        }
        return verdict
    }
}
