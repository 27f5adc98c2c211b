import Testing
@testable import XMPPDNACore

// Chain verification is the costly part of a verdict (#20): `decide` asks
// for the chain's path only when the PKI prooftype is tried, so a DANE-EE
// acceptance or rejection never verifies the chain.

private let domain = try! DNSName("example.com")
private let host1 = try! DNSName("host1.example.net")
private let eeKey = TLSARecord(usage: 3, selector: 1, matchingType: 1, data: Array(repeating: 0xAB, count: 32))

/// A chain whose path is not verified yet.
private let unverified = ChainEvidence(leafIdentifiers: [PresentedIdentifier(type: .dns, raw: Array("example.com".utf8))],
                                       path: nil)

private func evidence(tlsa check: DANECheck?) -> DNAEvidence {
    let candidate = ConnectionCandidate(host: host1, port: 5269, directTLS: false, service: .xmppServer, priority: 0, weight: 0,
                                        records: [RecordProvenance(record: "SRV _xmpp-server._tcp.example.com 0 0 5269 host1.example.net.",
                                                                   status: .secure),
                                                  RecordProvenance(record: "A host1.example.net 192.0.2.1", status: .secure)],
                                        addresses: [try! IPAddress("192.0.2.1")])
    let names = NameList(domain: domain, service: .xmppServer, kind: .srv, status: .secure,
                         acceptableNames: [AcceptableName(value: .dns(domain), status: nil, source: "the domain itself"),
                                           AcceptableName(value: .dns(host1), status: .secure, source: "SRV")],
                         candidates: [candidate])
    var evidence = DNAEvidence(names: names, chain: unverified)
    if let check {
        evidence.tlsa[TLSALocation(host1, 5269)] = TLSAEvidence(answer: DNSAnswer(.records([eeKey]), status: .secure), check: check)
    } else {
        evidence.tlsa[TLSALocation(host1, 5269)] = TLSAEvidence(answer: DNSAnswer(.noData, status: .secure), check: nil)
    }
    return evidence
}

private func request(_ prooftypes: [Prooftype] = Prooftype.defaultOrder) -> DNARequest {
    var request = DNARequest(direction: .outbound, domain: domain, service: .xmppServer)
    request.prooftypes = prooftypes
    return request
}

@Suite struct DNAVerifierChainPathTests {
    @Test func daneAcceptanceNeedsNoChainPath() throws {
        let decision = DNAVerifier.decide(request(), evidence: evidence(tlsa: .matched(DANEMatch(record: eeKey, depth: 0, constraints: []))),
                                          matcher: IdentityMatcher())
        guard case .verdict(let verdict) = decision else {
            Issue.record("wanted a verdict without the chain's path, got \(decision)")
            return
        }
        #expect(verdict.accepted && verdict.prooftype == .dane)
        #expect(verdict.pki.chain == .notChecked, "PKI was not tried, so its chain is reported as not checked")
        #expect(verdict.attempts.first { $0.prooftype == .pki }?.outcome == .notTried)
    }

    @Test func daneRejectionNeedsNoChainPath() throws {
        let decision = DNAVerifier.decide(request(), evidence: evidence(tlsa: .noMatch), matcher: IdentityMatcher())
        guard case .verdict(let verdict) = decision else {
            Issue.record("wanted a verdict without the chain's path, got \(decision)")
            return
        }
        #expect(!verdict.accepted && verdict.attempts.first?.outcome == .rejected)
    }

    @Test func pkiAsksForTheChainPathThenDecidesWithIt() throws {
        // No TLSA at host1: DANE does not apply, PKI is next and needs the path.
        var gathered = evidence(tlsa: nil)
        let first = DNAVerifier.decide(request(), evidence: gathered, matcher: IdentityMatcher())
        guard case .needsChainPath = first else {
            Issue.record("wanted .needsChainPath, got \(first)")
            return
        }
        gathered.chain = unverified.with(path: PathVerification(status: .valid, constraints: []))
        guard case .verdict(let verdict) = DNAVerifier.decide(request(), evidence: gathered, matcher: IdentityMatcher()) else {
            Issue.record("wanted a verdict once the path is there")
            return
        }
        #expect(verdict.accepted && verdict.prooftype == .pki && verdict.pki.chain == .valid)
    }

    @Test func pkiBeforeDANEAsksForThePathFirst() {
        let decision = DNAVerifier.decide(request([.pki, .dane]),
                                          evidence: evidence(tlsa: .matched(DANEMatch(record: eeKey, depth: 0, constraints: []))),
                                          matcher: IdentityMatcher())
        guard case .needsChainPath = decision else {
            Issue.record("wanted .needsChainPath, got \(decision)")
            return
        }
    }
}
