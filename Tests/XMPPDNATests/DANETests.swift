import Testing
@testable import XMPPDNA
@testable import XMPPDNACore
@testable import XMPPDNANet
@testable import XMPPDNAOpenSSL
@testable import XMPPDNAResolver

private let pki = FixturePKI.shared

private func tlsa(_ text: String) -> TLSARecord { try! TLSARecord(presentation: text) }

/// DANE with real PKIX: `trust` is the CA file of the trust store, the
/// fixture root unless a case needs another, as OpenSSL's test/danetest.c
/// verifies against its own CA file.
private func evaluate(_ records: [TLSARecord], chain: [Certificate], status: DNSSECStatus = .secure,
                      names: [String] = ["example.com"], trust: String = "root.pem") -> DANEOutcome {
    DANE.evaluate(records: records, status: status, chain: chain, names: names.map { .dns(try! DNSName($0)) },
                  time: FixturePKI.time, direction: .outbound,
                  pkixStore: try! TrustStore(TrustSource(caFile: "\(pki.directory)/\(trust)")))
}

private func evaluate(_ records: [TLSARecord], chain file: String = "full-chain.pem", status: DNSSECStatus = .secure,
                      names: [String] = ["example.com"], trust: String = "root.pem") -> DANEOutcome {
    evaluate(records, chain: pki.chain(file), status: status, names: names, trust: trust)
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
        let outcome = evaluate([record], chain: "expired-chain.pem", names: ["elsewhere.example"])
        #expect(outcome.result == .accepted)
    }

    /// `openssl req -x509` marks a self-signed key CA:TRUE; as DANE-EE it is
    /// still the server's key (the CA:TRUE refusal is PKI's alone).
    @Test func daneEEAcceptsASelfSignedKeyThatSaysCA() {
        let record = tlsa("3 1 1 \(pki.spkiDigest("ca-as-leaf.pem"))")
        #expect(evaluate([record], chain: "ca-as-leaf-chain.pem", names: ["example.com"]).result == .accepted)
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
        #expect(evaluate([ee], trust: "other-root.pem").result == .rejected)
        #expect(evaluate([ee], names: ["elsewhere.example"]).result == .rejected)
        let ta = tlsa("0 0 1 \(pki.certificateDigest("inter.pem"))")
        #expect(evaluate([ta]).result == .accepted)
        #expect(evaluate([ta], trust: "other-root.pem").result == .rejected)
    }

    /// RFC 7672 section 2.2 reasoning: a lookup that did not complete on a
    /// secure path leaves the DANE state unknown, which must not fall back to PKI.
    @Test func tlsaLookupThatFailsLeavesTheStateUnknownAndRejects() {
        let outcome = evaluate([], status: .indeterminate("no answer from 127.0.0.1@53"))
        #expect(outcome.result == .rejected, "\(outcome.reason)")
        #expect(outcome.reason.contains("DANE state is unknown"), "\(outcome.reason)")
    }

    /// PKIX-TA counts only a CA on the path OpenSSL built, not any certificate the peer sent.
    @Test func pkixTAMustBeOnTheValidatedPath() {
        let chain = pki.chain("full-chain.pem") + pki.chain("other-root.pem")
        let offPath = evaluate([tlsa("0 0 1 \(pki.certificateDigest("other-root.pem"))")], chain: chain)
        #expect(offPath.result == .rejected, "\(offPath.reason)")
        let onPath = evaluate([tlsa("0 0 1 \(pki.certificateDigest("inter.pem"))")], chain: chain)
        #expect(onPath.result == .accepted, "\(onPath.reason)")
    }

    /// danetest.in 30 and 31: PKIX-TA may name the trust store's root, which the server need not send.
    @Test func pkixTAMatchesTheStoreRootAtTheTopOfThePath() {
        let chain = pki.chain("full-chain.pem")
        for record in ["0 0 1 \(pki.certificateDigest("root.pem"))", "0 1 1 \(pki.spkiDigest("root.pem"))"] {
            let outcome = evaluate([tlsa(record)], chain: chain)
            #expect(outcome.result == .accepted, "\(record): \(outcome.reason)")
        }
        // A root the store does not hold is no PKIX trust anchor.
        let other = evaluate([tlsa("0 0 1 \(pki.certificateDigest("other-root.pem"))")], chain: pki.chain("wrong-ca-chain.pem"))
        #expect(other.result == .rejected, "\(other.reason)")
    }

    /// danetest.in 35: an intermediate the server omitted, supplied in full by a TLSA record.
    @Test func pkixIntermediateSuppliedInTLSA() {
        let records = [tlsa("1 1 1 \(pki.spkiDigest("full.pem"))"), tlsa("0 0 0 \(pki.certificateDER("inter.pem"))")]
        let outcome = evaluate(records, chain: pki.chain("full.pem"))
        #expect(outcome.result == .accepted, "\(outcome.reason)")
        // Without that record the leaf alone has no path.
        #expect(evaluate([records[0]], chain: pki.chain("full.pem")).result == .rejected)
    }

    /// danetest.in 43 to 46: a DANE-TA anchor supplied only in DNS, as a full certificate or a full public key.
    @Test func daneTAAnchorSuppliedOnlyInDNS() {
        let cases: [(String, String)] = [
            ("2 0 0 \(pki.certificateDER("root.pem"))", "full-chain.pem"),
            ("2 0 0 \(pki.certificateDER("inter.pem"))", "full.pem"),
            ("2 1 0 \(pki.spkiDER("root.pem"))", "full-chain.pem"),
            ("2 1 0 \(pki.spkiDER("inter.pem"))", "full.pem"),
        ]
        for (record, chain) in cases {
            let outcome = evaluate([tlsa(record)], chain: pki.chain(chain))
            #expect(outcome.result == .accepted, "\(record.prefix(5)) with \(chain): \(outcome.reason)")
        }
        // Another CA's key signs nothing here.
        let other = evaluate([tlsa("2 1 0 \(pki.spkiDER("other-root.pem"))")], chain: pki.chain("full-chain.pem"))
        #expect(other.result == .rejected, "\(other.reason)")
    }

    @Test func presentationParsingRefusesGarbage() throws {
        #expect(throws: IdentityInputError.self) { try TLSARecord(presentation: "3 1 1") }
        #expect(throws: IdentityInputError.self) { try TLSARecord(presentation: "3 1 1 abc") }
        #expect(throws: IdentityInputError.self) { try TLSARecord(presentation: "3 1 1 zz") }
        #expect(throws: IdentityInputError.self) { try TLSARecord(presentation: "x 1 1 00") }
        #expect(try TLSARecord(presentation: "3 1 1 AB CD").data == [0xab, 0xcd])
    }
}
