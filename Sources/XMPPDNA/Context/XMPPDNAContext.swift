import XMPPDNACore
import XMPPDNAIO
import XMPPDNANet
import XMPPDNAOpenSSL
import XMPPDNAResolver

/// The one context at the edge: configuration, caches, the resolver, the
/// POSH fetcher and the asynchronous questions. The C ABI, its async calls,
/// `xmppdna check` and the tests all ask through it, so the path the tests
/// take is the path that ships. Shareable across threads and tasks; every
/// question waits on its sockets without holding a thread.
public final class XMPPDNAContext: Sendable {
    /// Trust store, verification time and name-matching policy.
    public let pki = PKIVerifier()
    public let resolver = ResolverSettings()
    public let posh = POSHSettings()
    public let queries: AsyncQueries

    public init() throws(QueryPoolError) {
        queries = try AsyncQueries()
    }

    /// The name list of #3 for `domain`, looked up with DNSSEC.
    public func nameList(for domain: DNSName, service: XMPPService) async throws(ContextError) -> NameList {
        guard let resolver = try delegationResolver() else { throw .noServer }
        return await resolver.nameList(for: domain, service: service)
    }

    /// The name list if the cache holds it: no task, no wait.
    public func cachedNameList(for domain: DNSName, service: XMPPService) throws(ContextError) -> NameList? {
        try delegationResolver()?.cachedNameList(for: domain, service: service)
    }

    /// The DNA verdict for `chain` (leaf first; empty when the peer
    /// presented none, or the question carries the leaf's identifiers): the
    /// evidence the question supplies, the rest from DNS and, only if
    /// needed, POSH.
    public func verify(_ question: DNAQuestion, chain: [Certificate]) async throws(ContextError) -> DNAVerdict {
        let request = question.request
        guard request.isConsistent else { throw .inconsistentRequest }
        let resolver = question.noLookups ? nil : try delegationResolver()
        var names = question.names
        if names == nil, let resolver { names = await resolver.nameList(for: request.domain, service: request.service) }
        let sources = DNASources(
            names: names,
            tlsa: { location in
                if let supplied = question.suppliedTLSA(location) { return supplied }
                return await resolver?.tlsa(host: location.host, port: location.port)
            },
            posh: { await self.poshDocument(question, resolver) },
            dialback: question.dialback)
        do {
            return try await DNAVerification.verify(request, chain: chain, presented: question.presented, sources: sources, pki: pki)
        } catch {
            throw .trust
        }
    }

    /// A names-only question that looks nothing up, answered on the
    /// calling thread: its PKI verdict now, and the DNA verdict `verifyNow`
    /// would make (the same acceptance) only when asked for, from the
    /// configuration as it was now. nil for any other question.
    public func checkNames(_ question: DNAQuestion, chain: [Certificate]) -> NameCheck? {
        guard question.noLookups else { return nil }
        let request = question.request
        // Before the leaf is parsed: every other question goes on to verifyNow, which parses it.
        guard DNAVerifier.isNameCheck(request) else { return nil }
        let configuration = pki.configuration
        let presented = chain.first?.presentedIdentifiers ?? question.presented
        let matcher = IdentityMatcher(commonNameFallback: configuration.commonNameFallback)
        guard let verdict = DNAVerifier.nameCheck(request, names: question.names, presented: presented, matcher: matcher) else {
            return nil
        }
        return NameCheck(pki: verdict, question: question, chain: chain, configuration: configuration)
    }

    /// The verdict of a question that looks nothing up (`noLookups`), on
    /// the calling thread: only what it carries counts.
    public func verifyNow(_ question: DNAQuestion, chain: [Certificate]) throws(ContextError) -> DNAVerdict {
        let request = question.request
        guard request.isConsistent else { throw .inconsistentRequest }
        do {
            return try DNAVerification.verifyNow(request, chain: chain, presented: question.presented, names: question.names,
                                                 tlsa: question.suppliedTLSA, posh: { Self.suppliedPOSH(question) },
                                                 dialback: question.dialback, pki: pki)
        } catch {
            throw .trust
        }
    }

    /// A live diagnosis of `domain` (`xmppdna check`); `progress` hears one
    /// line before each slow network step.
    public func check(domain: DNSName, service: XMPPService, prooftypes: [Prooftype], timeoutMilliseconds: Int,
                      progress: @escaping @Sendable (String) -> Void = { _ in }) async throws(ContextError) -> CheckReport {
        guard let resolver = try delegationResolver() else { throw .noServer }
        var settings = DomainCheck.Settings(resolver: resolver, verifier: pki, posh: try poshFetcher(resolver))
        settings.prooftypes = prooftypes
        settings.timeoutMilliseconds = timeoutMilliseconds
        do {
            return try await DomainCheck.run(domain: domain, service: service, settings: settings, progress: progress)
        } catch {
            throw .trust
        }
    }

    /// Drops every cached DNS answer and POSH document.
    public func flushCaches() {
        resolver.cache.flush()
        posh.cache.flush()
    }

    /// A resolver over the current settings; nil when no server is set.
    private func delegationResolver() throws(ContextError) -> DelegationResolver? {
        do {
            return try resolver.resolver(time: pki.configuration.time)
        } catch .untrustedResolver {
            throw .untrustedResolver
        } catch {
            throw .trust
        }
    }

    /// The POSH fetcher, when something can resolve or reach the domain's web server.
    private func poshFetcher(_ resolver: DelegationResolver?) throws(ContextError) -> POSHFetcher? {
        guard resolver != nil || posh.urlBase != nil else { return nil }
        guard let trust = try? pki.trustStore() else { throw .trust }
        return posh.fetcher(trust: trust, time: pki.configuration.time, resolve: { await resolver?.addresses(of: $0) ?? [] })
    }

    /// The supplied document, else a fetch, else nothing.
    private func poshDocument(_ question: DNAQuestion, _ resolver: DelegationResolver?) async -> Result<POSHFetched, POSHError>? {
        if let supplied = Self.suppliedPOSH(question) { return supplied }
        if question.noLookups { return nil }
        let fetcher: POSHFetcher?
        do {
            fetcher = try poshFetcher(resolver)
        } catch {
            return .failure(.fetch("the trust store cannot be loaded"))
        }
        return await fetcher?.fetch(domain: question.request.domain, service: question.request.service)
    }

    /// The document the question carries, parsed.
    private static func suppliedPOSH(_ question: DNAQuestion) -> Result<POSHFetched, POSHError>? {
        question.poshDocument.map { document in
            Result { () throws(POSHError) -> POSHFetched in
                let posh = try POSHDocument.parse(document)
                return POSHFetched(document: posh, source: "the supplied document", expires: posh.expires)
            }
        }
    }
}
