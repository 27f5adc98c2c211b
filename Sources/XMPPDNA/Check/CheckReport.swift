#if canImport(Glibc)
import Glibc
import XMPPDNACore
import XMPPDNAOpenSSL
import XMPPDNAResolver
import XMPPDNANet
#endif

/// What `xmppdna check` found for one domain: the DNS, and each endpoint
/// with what it presented, its verdict and a diagnosis an operator can act on.
public struct CheckReport: Sendable {
    public enum Outcome: Sendable {
        case unreachable(NetworkError)
        case probed(XMPPProbe.Result, DNAVerdict)
    }

    public struct Endpoint: Sendable {
        public let candidate: ConnectionCandidate
        public let address: IPAddress?
        public let outcome: Outcome

        public var verified: Bool {
            if case .probed(_, let verdict) = outcome { return verdict.accepted }
            return false
        }

        public var reachable: Bool {
            if case .probed = outcome { return true }
            return false
        }

        public var label: String {
            "\(candidate.host.text):\(candidate.port)" + (address.map { " (\($0))" } ?? "")
                + (candidate.directTLS ? " direct TLS" : " STARTTLS")
        }
    }

    /// Exit statuses of `xmppdna check`, documented in --help and the README.
    public enum Status: Int32, Sendable {
        case allVerified = 0
        case someFailed = 1
        case usage = 2
        case noneReachable = 3
    }

    public let domain: DNSName
    public let service: XMPPService
    public let names: NameList
    /// TLSA answers by owner name, for the secure candidates.
    public let tlsa: [String: DNSAnswer<TLSARecord>]
    public let endpoints: [Endpoint]
    /// The verification time (nil: now), for expiry warnings.
    public let time: Int64?
    /// The chain of trust from the root to every zone the DNS above went
    /// through, top down (empty in trust-ad mode).
    public var zones: [ZoneTrustLink] = []
    /// When the SRV answers are bogus: the records the servers gave, shown
    /// to say which are bogus and why, never connected to.
    public var refused: [RecordProvenance] = []

    public var status: Status {
        if endpoints.isEmpty || !endpoints.contains(where: \.reachable) { return .noneReachable }
        return endpoints.allSatisfy(\.verified) ? .allVerified : .someFailed
    }

    /// Why there is nothing to connect to, when there is nothing.
    public var dnsProblem: String? {
        guard endpoints.isEmpty else { return nil }
        switch names.kind {
        case .serviceUnavailable:
            return "\(domain.text) says it offers no \(service.label) service (SRV target \".\")"
        case .srv, .noSRV:
            if case .bogus(let reason) = names.status {
                return "the DNS of \(domain.text) is bogus (\(reason)): refusing to connect to anything it names; "
                    + "fix the zone's signatures or its DS record"
            }
            return "no connection candidate for \(domain.text) (\(names.status))"
        }
    }

    /// Sentences for one endpoint, most important first.
    public func diagnosis(_ endpoint: Endpoint) -> [String] {
        switch endpoint.outcome {
        case .unreachable(let error):
            switch error.kind {
            case .timeout: return ["no answer: \(error.message) (server down, or a firewall dropping packets?)"]
            case .refused: return ["\(error.message): nothing listens there"]
            default: return [error.message]
            }
        case .probed(let probe, let verdict):
            var lines = [verdict.summary]
            let leafNames = probe.chain.first?.presentedIdentifiers.filter { $0.type == .dns && $0.isUsable }.map(\.display) ?? []
            if !verdict.accepted, let pki = verdict.attempts.first(where: { $0.prooftype == .pki }), pki.outcome == .rejected,
               verdict.pki.matches.isEmpty, let shown = leafNames.first {
                if names.kind == .srv && names.status != .secure {
                    let why = names.status == .insecure ? "\(domain.text) is not signed" : names.status.description
                    lines.append("certificate names \(shown); expected \(domain.text); delegation via SRV is \(names.status.tag) "
                                 + "(\(why)), so \(shown) is not acceptable — sign the zone or obtain a certificate for \(domain.text)")
                } else {
                    lines.append("certificate names \(leafNames.joined(separator: ", ")); expected \(domain.text)"
                                 + " or a name its secure SRV records delegate to")
                }
            }
            if let dane = verdict.attempts.first(where: { $0.prooftype == .dane }), dane.outcome == .rejected,
               dane.findings.contains(where: { $0.code == .tlsaMismatch }) {
                lines.append("the published TLSA records do not match the presented key (after a certificate rollover?): "
                             + "publish the new key's TLSA record before switching certificates")
            }
            if let notAfter = probe.chain.first?.notAfter {
                let now = time ?? Int64(Glibc.time(nil))
                let days = (notAfter - now) / 86_400
                if notAfter > now && days < 30 { lines.append("certificate expires in \(days) days") }
            }
            return lines
        }
    }
}
