import XMPPDNACore
import XMPPDNAOpenSSL

/// A configured PKI checker: trust anchors, verification time and policy.
/// Shareable across threads; setters and verifications may race, and each
/// verification works on one snapshot of the configuration.
public final class PKIVerifier: Sendable {
    public struct Configuration: Hashable, Sendable {
        public var trust = TrustSource()
        /// Seconds since the epoch; nil means "now" at each verification.
        public var time: Int64?
        public var commonNameFallback = false
        public init() {}
    }

    private struct State {
        var configuration = Configuration()
        var store: TrustStore?
        /// The bound of each trust store's cache of verified chains.
        var verifiedChains = ChainPathCache.defaultCapacity
    }

    private let state = Locked(State())
    /// Serialises trust changes so two setters never lose each other's field.
    private let trustWriters = Locked(())

    public init() {}

    public var configuration: Configuration { state.withLock { $0.configuration } }

    /// Changes the trust source and loads the anchors now, so a bad path is
    /// reported by the setter; on failure the previous trust source stays.
    public func updateTrust(_ change: (inout TrustSource) -> Void) throws(TrustStoreError) {
        try trustWriters.withLock { _ throws(TrustStoreError) in
            var source = configuration.trust
            change(&source)
            let store = try TrustStore(source, verifiedChains: state.withLock { $0.verifiedChains })
            state.withLock {
                $0.configuration.trust = source
                $0.store = store
            }
        }
    }

    /// Bounds the verified chains kept per trust store, the current one at once.
    public func setVerifiedChainLimit(_ limit: Int) {
        trustWriters.withLock { _ in
            let store = state.withLock { state in
                state.verifiedChains = limit
                return state.store
            }
            store?.paths.setCapacity(limit)
        }
    }

    public var verifiedChainLimit: Int { state.withLock { $0.verifiedChains } }

    public func update(_ change: (inout Configuration) -> Void) {
        state.withLock { state in
            let trust = state.configuration.trust
            change(&state.configuration)
            // Trust changes go through updateTrust only, which loads the store.
            state.configuration.trust = trust
        }
    }

    /// The PKI prooftype for a presented chain (leaf first) against the
    /// given references alone (the peer suites' view of it).
    public func verify(chain: [Certificate], references: [ReferenceIdentifier],
                       direction: PeerDirection) throws(TrustStoreError) -> PKIVerdict {
        let (configuration, store) = try store(for: self.configuration)
        let evidence = chainEvidence(chain, direction: direction, store: store, time: configuration.time)
        return PKIVerdict(references: references, presented: evidence.constrainedIdentifiers,
                          chain: evidence.path?.status ?? .notChecked, chainReused: evidence.path?.reused ?? false,
                          matcher: IdentityMatcher(commonNameFallback: configuration.commonNameFallback))
    }

    /// The chain's facts for the pure rules: the leaf's identifiers and
    /// its PKIX path to `store` (not checked without a store).
    public func chainEvidence(_ chain: [Certificate], direction: PeerDirection, store: TrustStore?,
                              time: Int64?? = nil) -> ChainEvidence {
        ChainEvidence(leafIdentifiers: chain.first?.presentedIdentifiers ?? [],
                      path: path(chain, direction: direction, store: store, time: time ?? configuration.time))
    }

    /// The chain's PKIX path to `store` (an earlier result for the same
    /// chain while it still holds); not checked without a store.
    public func path(_ chain: [Certificate], direction: PeerDirection, store: TrustStore?, time: Int64?) -> PathVerification {
        guard let store else { return .notChecked }
        return store.paths.path(chain, direction: direction, time: time) {
            ChainVerifier.verifyPath(chain, store: store, time: time, direction: direction)
        }
    }

    /// The name-matching policy of this configuration.
    public var matcher: IdentityMatcher { IdentityMatcher(commonNameFallback: configuration.commonNameFallback) }

    /// The loaded trust store: the system store on first use, then kept.
    public func trustStore() throws(TrustStoreError) -> TrustStore {
        try store(for: configuration).1!
    }

    private func store(for configuration: Configuration) throws(TrustStoreError) -> (Configuration, TrustStore?) {
        let (cached, verifiedChains) = state.withLock { ($0.store, $0.verifiedChains) }
        if let cached, cached.source == configuration.trust { return (configuration, cached) }
        let store = try TrustStore(configuration.trust, verifiedChains: verifiedChains)
        state.withLock { state in
            guard state.configuration.trust == configuration.trust && state.store == nil else { return }
            state.store = store
            // The limit may have changed while the store loaded.
            if state.verifiedChains != verifiedChains { store.paths.setCapacity(state.verifiedChains) }
        }
        return (configuration, store)
    }
}
