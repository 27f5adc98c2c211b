import Testing
@testable import XMPPDNA
@testable import XMPPDNACore
@testable import XMPPDNAOpenSSL

private let pki = FixturePKI.shared

private func question(_ prooftypes: [Prooftype], tlsa: String? = nil) throws -> DNAQuestion {
    var question = DNAQuestion(request: DNARequest(direction: .outbound, domain: try DNSName("example.com"), service: .xmppServer))
    question.request.prooftypes = prooftypes
    question.noLookups = true
    if let tlsa { question.tlsa = ["*": [(try TLSARecord(presentation: tlsa), .secure)]] }
    return question
}

/// #20: a certificate is decoded when something first reads it, so a
/// verdict decodes only what it reads; one that does not decode fails
/// whatever reads it, and is never taken for a certificate without names.
@Suite struct CertificateDecodingTests {
    @Test func onlyTheShapeIsCheckedWhenACertificateIsTaken() throws {
        let certificate = try Certificate(der: pki.der("full.pem"))
        #expect(!certificate.isDecoded)
        #expect(certificate.presentedIdentifiers.contains { $0.description.contains("example.com") })
        #expect(certificate.isDecoded)
    }

    @Test(arguments: [[UInt8]([0x30, 0x00]), [0x30, 0x03, 0x02, 0x01, 0x01], [0x30, 0x80, 0x00, 0x00], [0x04, 0x00]])
    func whatIsNotShapedLikeACertificateIsRefusedAtOnce(der: [UInt8]) {
        #expect(throws: CertificateError.self) { try Certificate(der: der) }
    }

    @Test func truncatedOrPaddedDERIsRefusedAtOnce() {
        let der = pki.der("full.pem")
        #expect(throws: CertificateError.self) { try Certificate(der: Array(der.dropLast())) }
        #expect(throws: CertificateError.self) { try Certificate(der: der + [0]) }
    }

    @Test func aCertificateThatDoesNotDecodePresentsNothingUsable() throws {
        let broken = try Certificate(der: pki.undecodableDER("full.pem"))
        #expect(broken.decodingProblem?.contains("does not decode") == true)
        #expect(broken.presentedIdentifiers.count == 1 && !broken.presentedIdentifiers[0].isUsable)
        #expect(broken.notAfter == nil)
    }

    @Test func aDANEEEVerdictDecodesNothingBeyondTheLeaf() throws {
        let chain = [try Certificate(der: pki.der("full.pem")), try Certificate(der: pki.der("inter.pem"))]
        let verdict = try pki.context().verifyNow(try question([.dane], tlsa: "3 1 1 \(pki.spkiDigest("full.pem"))"), chain: chain)
        #expect(verdict.accepted && verdict.prooftype == .dane, "\(verdict.summary)")
        #expect(chain[0].isDecoded && !chain[1].isDecoded)
    }

    @Test func anIntermediateThatDoesNotDecodeFailsPKIButNotDANEEE() throws {
        let chain = [try Certificate(der: pki.der("full.pem")), try Certificate(der: pki.undecodableDER("inter.pem"))]
        let dane = try pki.context().verifyNow(try question([.dane], tlsa: "3 1 1 \(pki.spkiDigest("full.pem"))"), chain: chain)
        #expect(dane.accepted, "\(dane.summary)")
        let pkix = try pki.context().verifyNow(try question([.pki]), chain: chain)
        #expect(!pkix.accepted, "\(pkix.summary)")
        #expect(pkix.pki.chain == .invalid(code: 1, depth: 1, text: chain[1].decodingProblem ?? "?"), "\(pkix.summary)")
        #expect(pkix.summary.contains("does not decode"))
    }

    @Test func aLeafThatDoesNotDecodeIsRejectedByEveryProoftype() throws {
        let chain = [try Certificate(der: pki.undecodableDER("full.pem")), try Certificate(der: pki.der("inter.pem"))]
        let verdict = try pki.context().verifyNow(try question([.dane, .pki], tlsa: "3 1 1 \(pki.spkiDigest("full.pem"))"),
                                              chain: chain)
        #expect(!verdict.accepted, "\(verdict.summary)")
        #expect(verdict.summary.contains("does not decode"), "\(verdict.summary)")
    }
}
