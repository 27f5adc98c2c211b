import XMPPDNACore
import XMPPDNAOpenSSL

/// A DNA verdict in its three phases: the core says what evidence the
/// request needs, this edge gathers it (chain facts and DANE checks from
/// the X.509 adapter, DNS from the sources, POSH only when nothing earlier
/// accepted), and the core decides.
public enum DNAVerification {
    /// `chain` may be empty: a peer without a certificate, or one whose
    /// identifiers the caller parsed itself (`presented`).
    public static func verify(_ request: DNARequest, chain: [Certificate], presented: [PresentedIdentifier] = [],
                              sources: DNASources, pki verifier: PKIVerifier) async throws(TrustStoreError) -> DNAVerdict {
        var gathering = try Gathering(request, chain, presented, names: sources.names, dialback: sources.dialback, verifier)
        for location in gathering.locations {
            if let answer = await sources.tlsa(location) { gathering.add(answer, at: location) }
        }
        if let verdict = gathering.decide() { return verdict }
        gathering.add(posh: await sources.posh())
        return gathering.decided()
    }

    /// The same from evidence already at hand (the caller's records, or
    /// none): no task, no thread hop, for servers that do their own DNS and
    /// for name checks on the hot path.
    public static func verifyNow(_ request: DNARequest, chain: [Certificate], presented: [PresentedIdentifier] = [],
                                 names: NameList?, tlsa: (TLSALocation) -> DNSAnswer<TLSARecord>?,
                                 posh: () -> Result<POSHFetched, POSHError>?, dialback: DialbackResult?,
                                 pki verifier: PKIVerifier) throws(TrustStoreError) -> DNAVerdict {
        var gathering = try Gathering(request, chain, presented, names: names, dialback: dialback, verifier)
        for location in gathering.locations {
            if let answer = tlsa(location) { gathering.add(answer, at: location) }
        }
        if let verdict = gathering.decide() { return verdict }
        gathering.add(posh: posh())
        return gathering.decided()
    }

    /// The evidence of one verification as it is gathered.
    private struct Gathering {
        let request: DNARequest
        let chain: [Certificate]
        let verifier: PKIVerifier
        let store: TrustStore?
        let time: Int64?
        let matcher: IdentityMatcher
        var evidence: DNAEvidence

        init(_ request: DNARequest, _ chain: [Certificate], _ presented: [PresentedIdentifier], names: NameList?,
             dialback: DialbackResult?, _ verifier: PKIVerifier) throws(TrustStoreError) {
            // One snapshot of time and policy, whatever setters run meanwhile.
            let configuration = verifier.configuration
            // Names alone need no trust store; the request allows that only for PKI.
            let store = chain.isEmpty || request.namesOnly ? nil : try verifier.trustStore()
            let chainEvidence: ChainEvidence?
            if !chain.isEmpty {
                // The path is verified later, and only if PKI is tried (`.needsChainPath`).
                chainEvidence = ChainEvidence(leafIdentifiers: chain[0].presentedIdentifiers, path: store == nil ? .notChecked : nil)
            } else if !presented.isEmpty {
                chainEvidence = ChainEvidence(leafIdentifiers: presented, path: PathVerification(status: .notChecked, constraints: []),
                                              hasCertificate: false)
            } else {
                chainEvidence = nil
            }
            self.request = request
            self.chain = chain
            self.verifier = verifier
            self.store = store
            time = configuration.time
            matcher = IdentityMatcher(commonNameFallback: configuration.commonNameFallback)
            evidence = DNAEvidence(names: names, chain: chainEvidence, dialback: dialback)
        }

        var locations: [TLSALocation] { DNAVerifier.tlsaLocations(request, evidence.names).locations }

        mutating func add(_ answer: DNSAnswer<TLSARecord>, at location: TLSALocation) {
            let check = store.flatMap { store in
                DANE.check(chain, records: answer.records, status: answer.pathStatus, store: store, time: time,
                           direction: request.direction)
            }
            evidence.tlsa[location] = TLSAEvidence(answer: answer, check: check)
        }

        mutating func add(posh fetched: Result<POSHFetched, POSHError>?) {
            var digests = LeafDigests()
            if case .success(let posh)? = fetched { digests = POSH.leafDigests(posh.document, chain) }
            evidence.posh = POSHEvidence(result: fetched, leafDigests: digests)
        }

        /// The verdict, or nil while POSH is still needed. The chain is
        /// verified here, when the PKI prooftype is reached.
        mutating func decide() -> DNAVerdict? {
            switch DNAVerifier.decide(request, evidence: evidence, matcher: matcher) {
            case .verdict(let verdict):
                return verdict
            case .needsPOSH:
                return nil
            case .needsChainPath:
                guard let facts = evidence.chain, facts.path == nil else {
                    preconditionFailure("DNAVerifier asked for a chain path it has")
                }
                evidence.chain = facts.with(path: verifier.path(chain, direction: request.direction, store: store, time: time))
                return decide()
            }
        }

        mutating func decided() -> DNAVerdict {
            guard let verdict = decide() else { preconditionFailure("DNAVerifier asked for POSH evidence twice") }
            return verdict
        }
    }
}
