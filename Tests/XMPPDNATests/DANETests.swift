import Testing
@testable import XMPPDNA

private let pki = FixturePKI.shared

private func tlsa(_ text: String) -> TLSARecord { try! TLSARecord(presentation: text) }

private func evaluate(_ records: [TLSARecord], chain file: String = "full-chain.pem", status: DNSSECStatus = .secure,
                      names: [String] = ["example.com"], pkix: ChainStatus = .valid) -> DANEOutcome {
    DANE.evaluate(records: records, status: status, chain: pki.chain(file), names: names.map { .dns(try! DNSName($0)) },
                  time: FixturePKI.time, direction: .outbound, pkix: { pkix })
}

private let wrongDigest = String(repeating: "ab", count: 32)

@Suite struct DANETests {
    @Test(arguments: ["3 1 1", "3 0 1", "3 1 2", "3 0 0"])
    func daneEEMatchesTheLeaf(_ parameters: String) {
        let data: String
        switch parameters {
        case "3 1 1": data = pki.spkiDigest("full.pem")
        case "3 0 1": data = pki.certificateDigest("full.pem")
        case "3 1 2": data = pki.spkiDigest("full.pem", "sha512")
        default: data = pki.certificateDER("full.pem")
        }
        let outcome = evaluate([tlsa("\(parameters) \(data)")])
        #expect(outcome.result == .accepted, "\(outcome.reason)")
    }

    @Test func daneEEIgnoresNamesAndExpiry() {
        let record = tlsa("3 1 1 \(pki.spkiDigest("expired.pem"))")
        let outcome = evaluate([record], chain: "expired-chain.pem", names: ["elsewhere.example"], pkix: .invalid(code: 10, depth: 0, text: "expired"))
        #expect(outcome.result == .accepted)
    }

    @Test func secureMismatchFailsWithoutFallback() {
        let outcome = evaluate([tlsa("3 1 1 \(wrongDigest)")])
        #expect(outcome.result == .rejected)
        #expect(outcome.reason.contains("secure TLSA records exist"))
    }

    @Test func rolloverWithTwoKeysAcceptsEither() {
        let outcome = evaluate([tlsa("3 1 1 \(wrongDigest)"), tlsa("3 1 1 \(pki.spkiDigest("full.pem"))")])
        #expect(outcome.result == .accepted)
    }

    @Test func strongerDigestRetiresTheWeakerOne() {
        // The SHA-256 record matches, but a SHA-512 record exists for the same
        // usage and selector, so only that one counts (RFC 7671 section 9).
        let records = [tlsa("3 1 1 \(pki.spkiDigest("full.pem"))"), tlsa("3 1 2 \(String(repeating: "cd", count: 64))")]
        #expect(TLSARecord.usable(records).map(\.matchingTypeValue) == [2])
        #expect(evaluate(records).result == .rejected)
        // Another selector is not affected.
        let mixed = [tlsa("3 0 1 \(pki.certificateDigest("full.pem"))"), tlsa("3 1 2 \(String(repeating: "cd", count: 64))")]
        #expect(evaluate(mixed).result == .accepted)
    }

    @Test func unusableRecordsAreIgnored() {
        let records = [tlsa("3 1 1 \(String(repeating: "ab", count: 31))"), tlsa("4 1 1 \(wrongDigest)"),
                       tlsa("3 2 1 \(wrongDigest)"), tlsa("3 1 3 \(wrongDigest)")]
        #expect(TLSARecord.usable(records).isEmpty)
        #expect(evaluate(records).result == .notApplicable)
    }

    @Test func insecureTLSAIsNotApplicableAndBogusFails() {
        let good = [tlsa("3 1 1 \(pki.spkiDigest("full.pem"))")]
        #expect(evaluate(good, status: .insecure).result == .notApplicable)
        #expect(evaluate([tlsa("3 1 1 \(wrongDigest)")], status: .insecure).result == .notApplicable)
        let bogus = evaluate(good, status: .bogus(.signatureExpired("RRSIG expired")))
        #expect(bogus.result == .rejected)
        #expect(bogus.reason.contains("bogus"))
    }

    @Test func daneTABuildsToTheIntermediateAndChecksNames() {
        let record = tlsa("2 0 1 \(pki.certificateDigest("inter.pem"))")
        #expect(evaluate([record]).result == .accepted)
        let wrongName = evaluate([record], names: ["elsewhere.example"])
        #expect(wrongName.result == .rejected)
        #expect(wrongName.reason.contains("names none of"))
        // SRV target or source domain: either name will do (RFC 7673).
        #expect(evaluate([record], chain: "host1-chain.pem", names: ["example.com", "host1.example.net"]).result == .accepted)
    }

    @Test func daneTAWithTheAnchorInTheRecordItself() {
        let record = tlsa("2 0 0 \(pki.certificateDER("root.pem"))")
        #expect(evaluate([record]).result == .accepted)
        // A chain from another CA does not build to it.
        #expect(evaluate([record], chain: "wrong-ca-chain.pem").result == .rejected)
    }

    @Test func daneTAKeyNotPresentedIsNoAnchor() {
        #expect(evaluate([tlsa("2 1 1 \(pki.spkiDigest("root.pem"))")]).result == .rejected)
    }

    @Test func daneTAStillChecksTheLeafValidity() {
        let record = tlsa("2 0 1 \(pki.certificateDigest("inter.pem"))")
        let outcome = evaluate([record], chain: "expired-chain.pem")
        #expect(outcome.result == .rejected)
        #expect(outcome.reason.contains("expired"))
    }

    @Test func pkixUsagesNeedPKIXToo() {
        let ee = tlsa("1 1 1 \(pki.spkiDigest("full.pem"))")
        #expect(evaluate([ee]).result == .accepted)
        #expect(evaluate([ee], pkix: .invalid(code: 20, depth: 1, text: "unable to get local issuer certificate")).result == .rejected)
        #expect(evaluate([ee], names: ["elsewhere.example"]).result == .rejected)
        let ta = tlsa("0 0 1 \(pki.certificateDigest("inter.pem"))")
        #expect(evaluate([ta]).result == .accepted)
        #expect(evaluate([ta], pkix: .invalid(code: 20, depth: 1, text: "x")).result == .rejected)
    }

    @Test func presentationParsingRefusesGarbage() throws {
        #expect(throws: IdentityInputError.self) { try TLSARecord(presentation: "3 1 1") }
        #expect(throws: IdentityInputError.self) { try TLSARecord(presentation: "3 1 1 abc") }
        #expect(throws: IdentityInputError.self) { try TLSARecord(presentation: "3 1 1 zz") }
        #expect(throws: IdentityInputError.self) { try TLSARecord(presentation: "x 1 1 00") }
        #expect(try TLSARecord(presentation: "3 1 1 AB CD").data == [0xab, 0xcd])
    }
}
