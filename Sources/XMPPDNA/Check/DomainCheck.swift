import XMPPDNACore
import XMPPDNAOpenSSL
import XMPPDNAResolver
import XMPPDNANet

/// `xmppdna check`: a live diagnosis of one domain. Looks up the name list
/// and the TLSA records, connects to every candidate address as a peer
/// would, and runs the DNA verdict for what each endpoint presents. The
/// report is data; `CheckReport+Text` and `+JSON` render it.
public enum DomainCheck {
    public struct Settings: Sendable {
        public var resolver: DelegationResolver
        public var verifier: PKIVerifier
        /// nil: POSH is not consulted.
        public var posh: POSHFetcher?
        public var prooftypes: [Prooftype] = [.dane, .pki, .posh]
        /// For each connection: TCP, stream negotiation and TLS together.
        public var timeoutMilliseconds = 5000

        public init(resolver: DelegationResolver, verifier: PKIVerifier, posh: POSHFetcher?) {
            self.resolver = resolver
            self.verifier = verifier
            self.posh = posh
        }
    }

    /// `progress` hears one line before each slow network step.
    public static func run(domain: DNSName, service: XMPPService, settings: Settings,
                           progress: @escaping @Sendable (String) -> Void = { _ in }) async throws(TrustStoreError) -> CheckReport {
        progress("looking up the SRV, CNAME, A and AAAA records of \(domain.text) with DNSSEC")
        let names = await settings.resolver.nameList(for: domain, service: service)
        var tlsa: [String: DNSAnswer<TLSARecord>] = [:]
        for candidate in names.candidates where candidate.status == .secure {
            let owner = TLSARecord.owner(host: candidate.host, port: candidate.port)
            if tlsa[owner] == nil {
                progress("looking up TLSA at \(owner)")
                tlsa[owner] = await settings.resolver.tlsa(host: candidate.host, port: candidate.port)
            }
        }
        // One fetch serves every endpoint, and none happens if no verdict gets that far.
        let posh = FetchedOnce { () async -> Result<POSHFetched, POSHError>? in
            progress("fetching the POSH document of \(domain.text)")
            return await settings.posh?.fetch(domain: domain, service: service)
        }
        var endpoints: [CheckReport.Endpoint] = []
        for candidate in names.candidates {
            var addresses = candidate.addresses
            if addresses.isEmpty { addresses = await settings.resolver.addresses(of: candidate.host) }
            if addresses.isEmpty {
                endpoints.append(.init(candidate: candidate, address: nil,
                                       outcome: .unreachable(NetworkError(.system, "\(candidate.host.text) has no address"))))
                continue
            }
            for address in addresses {
                progress("connecting to \(candidate.host.text) (\(address)) port \(candidate.port)"
                         + (candidate.directTLS ? " with direct TLS" : " with STARTTLS"))
                let outcome: CheckReport.Outcome
                do {
                    let probed = try await XMPPProbe.probe(address: address, port: candidate.port, domain: domain,
                                                     service: candidate.service, timeoutMilliseconds: settings.timeoutMilliseconds)
                    var request = DNARequest(direction: .outbound, domain: domain, service: service)
                    request.endpoint = (candidate.host, candidate.port)
                    request.prooftypes = settings.prooftypes
                    let known = tlsa, resolver = settings.resolver
                    let sources = DNASources(names: names, tlsa: { location in
                        if let answer = known[location.owner] { return answer }
                        return await resolver.tlsa(host: location.host, port: location.port)
                    }, posh: { await posh.value })
                    outcome = .probed(probed, try await DNAVerification.verify(request, chain: probed.chain, sources: sources,
                                                                               pki: settings.verifier))
                } catch let error as NetworkError {
                    outcome = .unreachable(error)
                } catch let error as TrustStoreError {
                    throw error
                } catch {
                    outcome = .unreachable(NetworkError(.system, "\(error)"))
                }
                endpoints.append(.init(candidate: candidate, address: address, outcome: outcome))
            }
        }
        var refused: [RecordProvenance] = []
        if case .bogus = names.status {
            for member in service.role {
                let owner = member.srvOwner(for: domain)
                let answer = await settings.resolver.refusedSRV(at: owner)
                refused += answer.records.map { RecordProvenance(record: "SRV \(owner) \($0)", status: answer.status) }
            }
        }
        progress("reading the chain of trust of every zone on the way")
        let zones = await settings.resolver.chainOfTrust(above: namesOnTheWay(names, tlsa: tlsa))
        return CheckReport(domain: domain, service: service, names: names, tlsa: tlsa, endpoints: endpoints,
                           time: settings.verifier.configuration.time, zones: zones, refused: refused)
    }

    /// Every name the lookups above asked about: the SRV owners, their
    /// targets and CNAME hops, and the TLSA owners with theirs.
    private static func namesOnTheWay(_ names: NameList, tlsa: [String: DNSAnswer<TLSARecord>]) -> [String] {
        var found = [names.domain.text] + names.service.role.map { $0.srvOwner(for: names.domain) }
        for candidate in names.candidates {
            found.append(candidate.host.text)
            // "CNAME OWNER TARGET", as NameListBuilder writes it.
            for record in candidate.records where record.record.hasPrefix("CNAME ") {
                found += record.record.split(separator: " ").dropFirst().map(String.init)
            }
        }
        for (owner, answer) in tlsa { found += [owner] + answer.cnames.map(\.target) }
        var seen = Set<String>()
        return found.filter { seen.insert($0).inserted }
    }
}
