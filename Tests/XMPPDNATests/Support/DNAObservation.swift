import Foundation
@testable import XMPPDNA
@testable import XMPPDNACore
@testable import XMPPDNANet
@testable import XMPPDNAOpenSSL
@testable import XMPPDNAResolver
import XMPPDNAIO

/// What a domain's DNS does to a DNA verdict on the loopback world: its name
/// list, the DANE outcome and the verdict for the hosting provider's
/// certificate (host1.example.net, or another chain) with DANE then PKI,
/// optionally through a hostile or replaying server in front of the world's
/// NSD. Shared by the downgrade, hostile-DNS and on-path replay suites.
struct DNAObservation {
    let list: NameList
    let names: String
    let dane: String
    let verdict: String
    /// Any name beyond the domain itself admitted on a path that is not secure.
    let widened: Bool
    /// How long the lookups and the verdict took, on the library's threads.
    let seconds: Double

    init(domain name: String, hostileMode: String?, replayAttack: String? = nil,
         chain: String = "host1-chain.pem") async throws {
        let world = DNSWorld.shared, pki = FixturePKI.shared
        var configuration = world.configuration(world.unbound)
        var hostile: HostileServer?
        var replay: ReplayServer?
        if let hostileMode {
            guard let server = HostileServer(mode: hostileMode) else {
                throw HostileServerError.didNotStart(hostileMode)
            }
            hostile = server
            configuration = world.configuration(server.address)
            configuration.timeoutMilliseconds = 400
            configuration.retries = 0
        } else if let replayAttack {
            guard let server = ReplayServer(attack: replayAttack) else {
                throw HostileServerError.didNotStart(replayAttack)
            }
            replay = server
            configuration = world.configuration(server.address)
        }
        let domain = try DNSName(name)
        let resolver = try DelegationResolver(configuration)
        let verifier = PKIVerifier()
        try verifier.updateTrust { $0.caFile = "\(pki.directory)/root.pem" }
        verifier.update { $0.time = FixturePKI.time }
        let certificates = pki.chain(chain)
        // On the library's threads from start to end, and timed there: how
        // long the lookups take, not how soon a busy test pool resumes this.
        let observed = try await withLifetime((hostile, replay)) {
            try await onLibraryThreads { () async -> Result<(NameList, DNAVerdict, Double), TrustStoreError> in
                let started = Date()
                let sources = await DNASources.network(domain: domain, service: .xmppServer, resolver: resolver, poshFetcher: nil)
                var request = DNARequest(direction: .outbound, domain: domain, service: .xmppServer)
                request.prooftypes = [.dane, .pki]
                if let first = sources.names!.candidates.first { request.endpoint = (first.host, first.port) }
                do throws(TrustStoreError) {
                    let verdict = try await DNAVerification.verify(request, chain: certificates, sources: sources, pki: verifier)
                    return .success((sources.names!, verdict, Date().timeIntervalSince(started)))
                } catch {
                    return .failure(error)
                }
            }.get()
        }
        list = observed.0
        seconds = observed.2
        var names: String
        switch list.status {
        case .bogus(let reason): names = "bogus (EDE \(reason.extendedErrorCode) \(reason.description.split(separator: ":")[0]))"
        default: names = list.status.tag
        }
        if list.kind == .noSRV { names += ", no SRV" }
        self.names = names
        dane = observed.1.attempts.first { $0.prooftype == .dane }!.outcome.rawValue.replacingOccurrences(of: "_", with: " ")
        verdict = observed.1.accepted ? "accepted by \(observed.1.prooftype!.rawValue)" : "rejected"
        widened = list.status != .secure && list.acceptableNames.count > 1
    }
}

enum HostileServerError: Error {
    case didNotStart(String)
}
