import XMPPDNACore
import XMPPDNAOpenSSL
import XMPPDNAResolver
import XMPPDNANet

/// `xmppdna check`: a live diagnosis of one domain. Looks up the name list
/// and the TLSA records, connects to every candidate address as a peer
/// would, and runs the DNA verdict for what each endpoint presents. The
/// report is data; `CheckReport+Text` and `+JSON` render it.
public enum DomainCheck {
    public struct Settings {
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
                           progress: @escaping (String) -> Void = { _ in }) throws(TrustStoreError) -> CheckReport {
        progress("looking up the SRV, CNAME, A and AAAA records of \(domain.text) with DNSSEC")
        let names = settings.resolver.nameList(for: domain, service: service)
        var tlsa: [String: DNSAnswer<TLSARecord>] = [:]
        for candidate in names.candidates where candidate.status == .secure {
            let owner = TLSARecord.owner(host: candidate.host, port: candidate.port)
            if tlsa[owner] == nil {
                progress("looking up TLSA at \(owner)")
                tlsa[owner] = settings.resolver.tlsa(host: candidate.host, port: candidate.port)
            }
        }
        // One fetch serves every endpoint, and none happens if no verdict gets that far.
        var poshFetched: Result<POSHFetched, POSHError>??
        let posh = { () -> Result<POSHFetched, POSHError>? in
            if let poshFetched { return poshFetched }
            progress("fetching the POSH document of \(domain.text)")
            let fetched = settings.posh?.fetch(domain: domain, service: service)
            poshFetched = fetched
            return fetched
        }
        var endpoints: [CheckReport.Endpoint] = []
        for candidate in names.candidates {
            var addresses = candidate.addresses
            if addresses.isEmpty { addresses = settings.resolver.addresses(of: candidate.host) }
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
                    let probed = try XMPPProbe.probe(address: address, port: candidate.port, domain: domain,
                                                     service: candidate.service, timeoutMilliseconds: settings.timeoutMilliseconds)
                    var request = DNARequest(direction: .outbound, domain: domain, service: service)
                    request.endpoint = (candidate.host, candidate.port)
                    request.prooftypes = settings.prooftypes
                    let sources = DNASources(names: names, tlsa: { location in
                        tlsa[location.owner] ?? settings.resolver.tlsa(host: location.host, port: location.port)
                    }, posh: posh)
                    outcome = .probed(probed, try DNAVerification.verify(request, chain: probed.chain, sources: sources,
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
        return CheckReport(domain: domain, service: service, names: names, tlsa: tlsa, endpoints: endpoints,
                           time: settings.verifier.configuration.time)
    }
}
