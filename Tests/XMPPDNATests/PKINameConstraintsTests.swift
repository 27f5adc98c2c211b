import Testing
@testable import XMPPDNA
@testable import XMPPDNACore
@testable import XMPPDNANet
@testable import XMPPDNAOpenSSL
@testable import XMPPDNAResolver

private let pki = FixturePKI.shared

/// Issue #24: a technically constrained sub-CA (nameConstraints on dNSName)
/// must not vouch, through the otherNames OpenSSL skips (XmppAddr, SRV-ID),
/// for a domain outside its subtrees; and a CA certificate is never an end
/// entity. Every chain is made by Tests/Fixtures/make-test-pki.sh.
@Suite struct PKINameConstraintsTests {
    private func verdict(_ chain: String, for domain: String, direction: PeerDirection = .outbound) throws -> PKIVerdict {
        let verifier = PKIVerifier()
        try verifier.updateTrust { $0.caFile = "\(pki.directory)/root.pem" }
        verifier.update { $0.time = FixturePKI.time }
        let references = XMPPService.xmppServer.referenceIdentifiers(for: try DNSName(domain))
        return try verifier.verify(chain: pki.chain(chain), references: references, direction: direction)
    }

    @Test func anXmppAddrOutsideThePermittedSubtreeIsNotUsed() throws {
        let result = try verdict("nc-xmppaddr-chain.pem", for: "victim.com")
        #expect(!result.accepted, "\(result.reasons)")
        #expect(result.reasons.contains { $0.contains("XmppAddr \"victim.com\"") && $0.contains("name constraints") },
                "\(result.reasons)")
    }

    @Test func anSRVIDOutsideThePermittedSubtreeIsNotUsed() throws {
        let result = try verdict("nc-srvid-chain.pem", for: "victim.com")
        #expect(!result.accepted, "\(result.reasons)")
        #expect(result.reasons.contains { $0.contains("_xmpp-server.victim.com") && $0.contains("name constraints") },
                "\(result.reasons)")
    }

    @Test func aDNSIDOutsideThePermittedSubtreeFailsTheChainAsOpenSSLSays() throws {
        let result = try verdict("nc-dnsid-chain.pem", for: "victim.com")
        #expect(!result.accepted)
        #expect(result.reasons.contains { $0.contains("permitted subtree violation") }, "\(result.reasons)")
    }

    @Test func identifiersInsideThePermittedSubtreeStillMatch() throws {
        for domain in ["example.org", "xmpp.example.org"] {
            let result = try verdict("nc-inside-chain.pem", for: domain)
            #expect(result.accepted, "\(domain): \(result.reasons)")
        }
        // The XmppAddr and SRV-ID for example.org carry it on their own.
        let byOtherNames = try verdict("nc-inside-chain.pem", for: "example.org")
        #expect(byOtherNames.matches.contains { $0.presented.type == .xmpp })
        #expect(byOtherNames.matches.contains { $0.presented.type == .srv })
    }

    @Test func anExcludedSubtreeExcludesTheXmppAddr() throws {
        let result = try verdict("nc-excluded-xmppaddr-chain.pem", for: "victim.com")
        #expect(!result.accepted, "\(result.reasons)")
        // The same leaf's DNS-ID, outside the excluded subtree, still serves.
        #expect(try verdict("nc-excluded-xmppaddr-chain.pem", for: "xmpp.example.org").accepted)
    }

    /// OpenSSL 3.0 fails a chain with "unsupported name constraint type" as
    /// soon as an SRV-ID meets an SRVName subtree; the library evaluates
    /// SRVName itself (RFC 4985 section 4), so an SRV-ID inside one serves.
    @Test func anSRVIDInsideAPermittedSRVNameSubtreeMatches() throws {
        for chain in ["nc-srvname-inside-chain.pem", "nc-both-inside-chain.pem"] {
            let result = try verdict(chain, for: "example.org")
            #expect(result.accepted, "\(chain): \(result.reasons)")
            #expect(result.matches.contains { $0.presented.type == .srv }, "\(chain): \(result.matches)")
        }
    }

    @Test func anSRVIDOutsideAPermittedSRVNameSubtreeIsNotUsed() throws {
        let result = try verdict("nc-srvname-srvid-chain.pem", for: "victim.com")
        #expect(!result.accepted)
        #expect(result.reasons.contains { $0.contains("SRVName") && $0.contains("name constraints") }, "\(result.reasons)")
    }

    /// Past the SRV-ID that OpenSSL stops at, every other name of the leaf
    /// is still held to the subtrees OpenSSL can evaluate.
    @Test func theOtherNamesStayCheckedBesideAnSRVNameSubtree() throws {
        let result = try verdict("nc-both-dns-outside-chain.pem", for: "victim.com")
        #expect(!result.accepted)
        #expect(result.reasons.contains { $0.contains("permitted subtree violation") }, "\(result.reasons)")
    }

    @Test func anIPAddressOutsideThePermittedRangeFailsTheChain() throws {
        let verifier = PKIVerifier()
        try verifier.updateTrust { $0.caFile = "\(pki.directory)/root.pem" }
        verifier.update { $0.time = FixturePKI.time }
        let result = try verifier.verify(chain: pki.chain("nc-ip-outside-chain.pem"),
                                         references: [try ReferenceIdentifier(type: .ip, bytes: Array("198.51.100.7".utf8))],
                                         direction: .outbound)
        #expect(!result.accepted)
        #expect(result.reasons.contains { $0.contains("permitted subtree violation") }, "\(result.reasons)")
    }

    @Test func aCACertificateIsNotAnEndEntity() throws {
        for direction in [PeerDirection.outbound, .inbound] {
            let result = try verdict("ca-as-leaf-chain.pem", for: "example.com", direction: direction)
            #expect(!result.accepted, "\(direction): \(result.reasons)")
            #expect(result.reasons.contains { $0.contains("CA certificate") }, "\(result.reasons)")
        }
    }
}
