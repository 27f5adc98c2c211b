import Testing
@testable import XMPPDNA
@testable import XMPPDNACore
@testable import XMPPDNANet
@testable import XMPPDNAOpenSSL
@testable import XMPPDNAResolver

private let pki = FixturePKI.shared

private func question(_ prooftypes: [Prooftype], namesOnly: Bool) throws -> DNAQuestion {
    var question = DNAQuestion(request: DNARequest(direction: .outbound, domain: try DNSName("example.com"), service: .xmppServer))
    question.request.prooftypes = prooftypes
    question.request.namesOnly = namesOnly
    question.noLookups = true
    return question
}

/// A verdict never reports a chain it did not check, and only a question
/// that asks for names alone, for PKI alone, gets a names-only acceptance.
@Suite struct DNAChainCheckTests {
    @Test func namesOnlyAcceptsAnExpiredChainByNameAndSaysSo() throws {
        let verdict = try pki.context().verifyNow(try question([.pki], namesOnly: true), chain: pki.chain("expired-chain.pem"))
        #expect(verdict.accepted && verdict.pki.chain == .notChecked, "\(verdict.summary)")
        #expect(verdict.attempts.first?.findings.first?.code == .pkiChainNotChecked)
        #expect(verdict.summary.contains("the chain was not checked"))
    }

    @Test func namesOnlyBesideAnotherProoftypeIsRefused() throws {
        #expect(throws: ContextError.inconsistentRequest) {
            try pki.context().verifyNow(try question([.dane, .pki], namesOnly: true), chain: pki.chain("expired-chain.pem"))
        }
    }

    @Test func withoutNamesOnlyAnExpiredChainIsRejected() throws {
        let verdict = try pki.context().verifyNow(try question([.pki], namesOnly: false), chain: pki.chain("expired-chain.pem"))
        #expect(!verdict.accepted, "\(verdict.summary)")
        #expect(verdict.attempts.first?.findings.map(\.code) == [.pkiChainInvalid])
    }

    @Test func aPKIAcceptanceRestsOnAChainThatWasChecked() throws {
        let verdict = try pki.context().verifyNow(try question([.pki], namesOnly: false), chain: pki.chain("full-chain.pem"))
        #expect(verdict.accepted && verdict.pki.chain == .valid, "\(verdict.summary)")
        #expect(verdict.summary.contains("passes PKIX"))
    }

    /// #20: a DANE-EE acceptance verifies no chain. This self-signed chain
    /// would fail PKIX, and the verdict says PKI's chain was not checked.
    @Test(arguments: [([Prooftype.dane, .pki], ChainStatus.notChecked),
                      ([.pki, .dane], .invalid(code: 18, depth: 0, text: "self-signed certificate"))])
    func daneEEVerifiesNoChainUnlessPKIIsTriedFirst(prooftypes: [Prooftype], chainStatus: ChainStatus) throws {
        var question = try question(prooftypes, namesOnly: false)
        let digest = pki.spkiDigest("self-signed.pem")
        question.tlsa = ["*": [(try TLSARecord(presentation: "3 1 1 \(digest)"), .secure)]]
        let verdict = try pki.context().verifyNow(question, chain: pki.chain("self-signed-chain.pem"))
        #expect(verdict.accepted && verdict.prooftype == .dane, "\(verdict.summary)")
        #expect(verdict.pki.chain == chainStatus)
    }
}
