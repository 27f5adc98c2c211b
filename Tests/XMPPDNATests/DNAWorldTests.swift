import Testing
@testable import XMPPDNA
@testable import XMPPDNACore
@testable import XMPPDNANet
@testable import XMPPDNAOpenSSL
@testable import XMPPDNAResolver

private let world = DNSWorld.shared
private let web = HTTPSWorld.verdictSuite
private let pki = FixturePKI.shared

private func verifier() throws -> PKIVerifier {
    let verifier = PKIVerifier()
    try verifier.updateTrust { $0.caFile = "\(pki.directory)/root.pem" }
    verifier.update { $0.time = FixturePKI.time }
    return verifier
}

/// The full verdict for `domain` on the loopback DNS world, with POSH from the loopback HTTPS server.
private func verdict(_ domain: String, chain: String, direction: PeerDirection = .outbound,
                     endpoint: (String, UInt16)? = nil, prooftypes: [Prooftype] = Prooftype.defaultOrder,
                     posh: Bool = true, dialback: DialbackResult? = nil, weakDialback: Bool = true) async throws -> DNAVerdict {
    let name = try DNSName(domain)
    var question = DNAQuestion(request: DNARequest(direction: direction, domain: name, service: .xmppServer))
    if let (host, port) = endpoint { question.request.endpoint = (try DNSName(host), port) }
    question.request.prooftypes = prooftypes
    question.request.acceptWeakDialback = weakDialback
    question.dialback = dialback
    // Through the context the C ABI and `check` use.
    return try await world.context(posh: posh ? web : nil).verify(question, chain: pki.chain(chain))
}

/// The verdict through Tests/DNSWorld/hostile_dns.py in front of the world's NSD.
private func hostileVerdict(_ domain: String, mode: String, chain: String, direction: PeerDirection = .outbound,
                            endpoint: (String, UInt16)? = nil) async throws -> DNAVerdict {
    let server = try #require(HostileServer(mode: mode))
    return try await withLifetime(server) {
        var configuration = world.configuration(server.address)
        configuration.timeoutMilliseconds = 400
        configuration.retries = 0
        let name = try DNSName(domain)
        var request = DNARequest(direction: direction, domain: name, service: .xmppServer)
        if let (host, port) = endpoint { request.endpoint = (try DNSName(host), port) }
        request.prooftypes = [.dane, .pki]
        let sources = await DNASources.network(domain: name, service: .xmppServer,
                                         resolver: try DelegationResolver(configuration), poshFetcher: nil)
        return try await DNAVerification.verify(request, chain: pki.chain(chain), sources: sources, pki: try verifier())
    }
}

private func outcome(_ verdict: DNAVerdict, _ prooftype: Prooftype) -> DNAAttempt.Outcome? {
    verdict.attempts.first(where: { $0.prooftype == prooftype })?.outcome
}

/// One row per prooftype and deployment (the note on #4 carries the table).
@Suite(.serialized, .enabled(if: DNSWorld.shared.started && HTTPSWorld.verdictSuite.started))
struct DNAWorldTests {
    /// Virtual host with DNSSEC: example.com delegates to host1, whose key is in secure TLSA.
    @Test func virtualHostIsAcceptedByDANEOnTheSRVTarget() async throws {
        let result = try await verdict("example.com", chain: "host1-chain.pem", endpoint: ("host1.example.net", 5269))
        #expect(result.accepted && result.prooftype == .dane, "\(result.summary)")
        #expect(result.tlsaMatch?.usageValue == 3)
        #expect(outcome(result, .pki) == .notTried && outcome(result, .posh) == .notTried)
        #expect(result.evidence.contains(DNAEvidenceUse("_5269._tcp.host1.example.net TLSA", .secure)))
        #expect(result.evidence.contains { $0.what.contains("_xmpp-server._tcp.example.com") && $0.status == .secure })
        #expect(result.json.contains(#""prooftype":"dane""#))
    }

    @Test func secureTLSAMismatchRejectsEvenWhenPKIWouldAccept() async throws {
        // host2's TLSA names another key; the SRV delegation alone would make host1's certificate acceptable.
        let first = try await verdict("example.com", chain: "host1-chain.pem", endpoint: ("host2.example.net", 5269))
        #expect(!first.accepted && outcome(first, .dane) == .rejected, "\(first.summary)")
        #expect(outcome(first, .pki) == .notTried)
        #expect(first.summary.hasPrefix("rejected by DANE: _5269._tcp.host2.example.net"))
        let pkiFirst = try await verdict("example.com", chain: "host1-chain.pem", endpoint: ("host2.example.net", 5269),
                                   prooftypes: [.pki, .dane])
        #expect(outcome(pkiFirst, .pki) == .accepted && outcome(pkiFirst, .dane) == .rejected)
        #expect(!pkiFirst.accepted && pkiFirst.prooftype == nil)
    }

    @Test func standaloneServerIsAcceptedByPKI() async throws {
        let result = try await verdict("example.com", chain: "full-chain.pem", prooftypes: [.pki])
        #expect(result.accepted && result.prooftype == .pki, "\(result.summary)")
        #expect(result.pki.matches.contains { $0.reference == .dns(try! DNSName("example.com")) })
    }

    @Test func bogusTLSARejectsWithTheReason() async throws {
        let result = try await verdict("host.bogus.example", chain: "host1-chain.pem", direction: .inbound)
        #expect(!result.accepted && outcome(result, .dane) == .rejected)
        #expect(result.summary.contains("bogus") && result.summary.contains("Signature Expired"), "\(result.summary)")
    }

    /// Inbound s2s: the peer's own _5269 TLSA is absent (secure denial), its secure SRV target's TLSA matches.
    @Test func inboundPeerIsFoundThroughItsSecureSRVTargetTLSA() async throws {
        let result = try await verdict("example.com", chain: "host1-chain.pem", direction: .inbound)
        #expect(result.accepted && result.prooftype == .dane, "\(result.summary)")
        #expect(result.evidence.contains(DNAEvidenceUse("_5269._tcp.example.com TLSA (none)", .secure)))
    }

    /// Virtual host without DNSSEC: insecure.example's SRV proves nothing, POSH (via a url hop) does.
    @Test func unsignedVirtualHostIsAcceptedByPOSH() async throws {
        web.put("insecure.example", ".well-known/posh/xmpp-server.json", #"{"url":"\#(web.base)/hosting/xmpp-server.json","expires":300}"#)
        let digest = pki.base64("openssl x509 -in host1.pem -outform DER | openssl dgst -sha256 -binary")
        web.put("default", "hosting/xmpp-server.json", #"{"fingerprints":[{"sha-256":"\#(digest)"}],"expires":300}"#)
        let result = try await verdict("insecure.example", chain: "host1-chain.pem", endpoint: ("host1.example.net", 5269))
        #expect(result.accepted && result.prooftype == .posh, "\(result.summary)")
        #expect(outcome(result, .dane) == .notApplicable)
        let pkiReason = result.attempts.first { $0.prooftype == .pki }!.reason
        #expect(pkiReason.contains("delegation via SRV is insecure"), "\(pkiReason)")
        #expect(result.evidence.contains { $0.what.hasPrefix("POSH https://insecure.example/") })
    }

    @Test func unsignedVirtualHostWithoutProofIsRejectedWithEveryReason() async throws {
        web.put("insecure.example", ".well-known/posh/xmpp-server.json", #"{"url":"\#(web.base)/hosting/other.json","expires":300}"#)
        let digest = pki.base64("openssl x509 -in full.pem -outform DER | openssl dgst -sha256 -binary")
        web.put("default", "hosting/other.json", #"{"fingerprints":[{"sha-256":"\#(digest)"}],"expires":300}"#)
        let result = try await verdict("insecure.example", chain: "host1-chain.pem")
        #expect(!result.accepted)
        #expect(outcome(result, .posh) == .rejected && outcome(result, .dialback) == .notApplicable)
        #expect(result.summary.contains("pki:") && result.summary.contains("posh:"), "\(result.summary)")
    }

    @Test func dialbackIsStrongOnlyOverSecureDNS() async throws {
        let weak = try await verdict("insecure.example", chain: "host1-chain.pem", posh: false, dialback: .verified)
        #expect(weak.accepted && weak.prooftype == .dialback && weak.dialbackStrength == .weak, "\(weak.summary)")
        #expect(weak.summary.contains("only as far as DNS can be trusted"))
        let refused = try await verdict("insecure.example", chain: "host1-chain.pem", posh: false, dialback: .verified,
                                  weakDialback: false)
        #expect(!refused.accepted)
        let strong = try await verdict("example.com", chain: "wildcard-chain.pem", prooftypes: [.dialback], dialback: .verified)
        #expect(strong.accepted && strong.dialbackStrength == .strong)
        let failed = try await verdict("example.com", chain: "wildcard-chain.pem", prooftypes: [.dialback], dialback: .failed)
        #expect(!failed.accepted)
    }

    /// Dropping the TLSA packets must not turn the DANE veto into a PKI acceptance (RFC 7672 section 2.2).
    @Test func tlsaLookupThatFailsOnASecurePathRejects() async throws {
        for mode in ["tlsasilent", "tlsaservfail"] {
            let result = try await hostileVerdict("example.com", mode: mode, chain: "host1-chain.pem", endpoint: ("host2.example.net", 5269))
            #expect(!result.accepted && outcome(result, .dane) == .rejected, "\(mode): \(result.summary)")
            #expect(result.summary.contains("DANE state is unknown"), "\(mode): \(result.summary)")
            #expect(outcome(result, .pki) == .notTried)
        }
    }

    /// Where the domain is proven unsigned, a TLSA lookup that fails hides nothing: PKI and the rest decide.
    @Test func tlsaLookupThatFailsInAnUnsignedZoneLeavesDANEInapplicable() async throws {
        let result = try await hostileVerdict("insecure.example", mode: "tlsasilent", chain: "host1-chain.pem", direction: .inbound)
        #expect(outcome(result, .dane) == .notApplicable, "\(result.summary)")
    }

    /// Dialback connects to the addresses: a signed SRV whose target's addresses are unsigned is weak.
    @Test func dialbackIsJudgedOnTheRecordsItUses() async throws {
        let result = try await verdict("toinsecure.example.com", chain: "host1-chain.pem", prooftypes: [.dialback], dialback: .verified)
        #expect(result.accepted && result.dialbackStrength == .weak, "\(result.summary)")
    }

    /// RFC 7712 multiplexing: one parsed chain checked for several domains of one stream.
    @Test func oneParsedChainServesSeveralDomains() async throws {
        let chain = pki.chain("host1-chain.pem")
        let verifier = try verifier()
        let resolver = try DelegationResolver(world.configuration(world.unbound))
        var results: [String: Bool] = [:]
        for domain in ["example.com", "alias.example.com", "insecure.example", "tobogus.example.com"] {
            let name = try DNSName(domain)
            var request = DNARequest(direction: .inbound, domain: name, service: .xmppServer)
            request.prooftypes = [.dane, .pki]
            let sources = await DNASources.network(domain: name, service: .xmppServer, resolver: resolver, poshFetcher: nil)
            results[domain] = try await DNAVerification.verify(request, chain: chain, sources: sources, pki: verifier).accepted
        }
        #expect(results == ["example.com": true, "alias.example.com": true, "insecure.example": false, "tobogus.example.com": false])
    }
}
