import Testing
@testable import XMPPDNA
@testable import XMPPDNACore
@testable import XMPPDNANet
@testable import XMPPDNAOpenSSL
@testable import XMPPDNAResolver

private let pki = FixturePKI.shared

private func namesOnlyVerifier() throws -> PKIVerifier {
    let verifier = PKIVerifier()
    try verifier.updateTrust { $0.caFile = "\(pki.directory)/root.pem" }
    verifier.update {
        $0.time = FixturePKI.time
        $0.skipChain = true
    }
    return verifier
}

private func pkiVerdict(_ chain: String, verifier: PKIVerifier) async throws -> DNAVerdict {
    var request = DNARequest(direction: .outbound, domain: try DNSName("example.com"), service: .xmppServer)
    request.prooftypes = [.pki]
    return try await DNAVerification.verify(request, chain: pki.chain(chain), sources: DNASources(), pki: verifier)
}

/// A DNA verdict never reports a chain it did not check: XMPPDNA_FLAG_NO_PKIX
/// (skipChain) applies to the PKI verdict alone.
@Suite struct DNAChainCheckTests {
    @Test func noPKIXDoesNotLetADNAVerdictAcceptAnExpiredChain() async throws {
        let verifier = try namesOnlyVerifier()
        let verdict = try await pkiVerdict("expired-chain.pem", verifier: verifier)
        #expect(!verdict.accepted, "\(verdict.summary)")
        #expect(verdict.pki.chain != .notChecked)
        // The PKI verdict keeps the names-only check the flag asks for.
        let namesOnly = try verifier.verify(chain: pki.chain("expired-chain.pem"),
                                            references: XMPPService.xmppServer.referenceIdentifiers(for: try DNSName("example.com")),
                                            direction: .outbound)
        #expect(namesOnly.accepted && namesOnly.chain == .notChecked)
    }

    @Test func aPKIAcceptanceRestsOnAChainThatWasChecked() async throws {
        let verdict = try await pkiVerdict("full-chain.pem", verifier: try namesOnlyVerifier())
        #expect(verdict.accepted && verdict.pki.chain == .valid, "\(verdict.summary)")
        #expect(verdict.summary.contains("passes PKIX"))
    }
}
