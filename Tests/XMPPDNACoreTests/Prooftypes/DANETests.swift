import Testing
@testable import XMPPDNACore

// The pure DANE rule: which records the X.509 adapter must check
// (RFC 7671 sections 4 and 9), and what a check's result means (RFC 6698,
// RFC 7671 section 5, RFC 7673 section 3 for the names). The chain checks
// themselves run on OpenSSL in Tests/XMPPDNATests/DANETests.swift.

private func record(_ usage: UInt8, _ selector: UInt8, _ matching: UInt8, _ fill: UInt8, count: Int) -> TLSARecord {
    TLSARecord(usage: usage, selector: selector, matchingType: matching, data: Array(repeating: fill, count: count))
}

private let ee256 = record(3, 1, 1, 0xA1, count: 32)
private let ee512 = record(3, 1, 2, 0xA2, count: 64)
private let eeFull = record(3, 1, 0, 0xA0, count: 91)
private let ta256 = record(2, 1, 1, 0xB1, count: 32)
private let pkixEE256 = record(1, 1, 1, 0xC1, count: 32)
private let pkixTA256 = record(0, 0, 1, 0xD1, count: 32)

private func name(_ text: String) -> DNSName { try! DNSName(text) }
private let domain = name("example.com")
private let target = name("host1.example.net")
/// What DNAVerifier passes for an SRV target: the target, then the source domain's identifiers.
private let names: [ReferenceIdentifier] = [.dns(target)] + XMPPService.xmppServer.referenceIdentifiers(for: domain)

private func presented(_ type: IdentifierType, _ text: String) -> PresentedIdentifier {
    PresentedIdentifier(type: type, raw: Array(text.utf8))
}

private func evaluate(_ records: [TLSARecord], _ status: DNSSECStatus = .secure, check: DANECheck?,
                      leaf: [PresentedIdentifier]? = [presented(.dns, "example.com")]) -> DANEOutcome {
    DANE.evaluate(records: records, status: status, check: check, leafIdentifiers: leaf, names: names)
}

private func matched(_ record: TLSARecord, depth: Int = 0, constraints: [NameConstraints] = []) -> DANECheck {
    .matched(DANEMatch(record: record, depth: depth, constraints: constraints))
}

@Suite struct DANETests {
    // MARK: recordsToCheck

    @Test func onlyASecureRRsetWithUsableRecordsIsChecked() {
        #expect(DANE.recordsToCheck([ee256, ta256], status: .secure) == [ee256, ta256])
        #expect(DANE.recordsToCheck([ee256], status: .insecure) == nil)
        #expect(DANE.recordsToCheck([ee256], status: .bogus(.dnssecBogus("bad signature"))) == nil)
        #expect(DANE.recordsToCheck([ee256], status: .indeterminate("timeout")) == nil)
        #expect(DANE.recordsToCheck([], status: .secure) == nil)
    }

    /// RFC 7671 section 4: unknown parameters and digests of the wrong
    /// length make a record unusable, and it is ignored.
    @Test func unusableRecordsAreNotChecked() {
        let unusable = [
            record(4, 1, 1, 0, count: 32),      // unknown usage
            record(3, 2, 1, 0, count: 32),      // unknown selector
            record(3, 1, 3, 0, count: 32),      // unknown matching type
            record(3, 1, 1, 0, count: 31),      // SHA-256 is 32 bytes
            record(3, 1, 2, 0, count: 32),      // SHA-512 is 64 bytes
            record(3, 1, 0, 0, count: 0),       // a full value cannot be empty
        ]
        #expect(DANE.recordsToCheck(unusable, status: .secure) == nil)
        #expect(DANE.recordsToCheck(unusable + [ee256], status: .secure) == [ee256])
    }

    /// RFC 7671 section 9: a stronger digest for the same usage and selector
    /// retires the weaker one; other usages, selectors and full values stay.
    @Test func digestAgilityDropsWeakerDigestsOfTheSameUsageAndSelector() {
        #expect(DANE.recordsToCheck([ee256, ee512], status: .secure) == [ee512])
        #expect(DANE.recordsToCheck([ee256, ee512, eeFull], status: .secure) == [ee512, eeFull])
        let otherSelector = record(3, 0, 1, 0xE1, count: 32)
        #expect(DANE.recordsToCheck([ee512, otherSelector, ta256], status: .secure) == [ee512, otherSelector, ta256])
        // A malformed SHA-512 record is unusable, so it retires nothing.
        #expect(DANE.recordsToCheck([ee256, record(3, 1, 2, 0, count: 63)], status: .secure) == [ee256])
    }

    // MARK: evaluate, by the RRset's status

    @Test func bogusTLSARejectsWhateverTheCheckSaid() {
        let outcome = evaluate([ee256], .bogus(.signatureExpired("RRSIG expired")), check: matched(ee256))
        #expect(outcome.result == .rejected && outcome.matched == nil)
        #expect(outcome.reason == "the TLSA records are bogus: Signature Expired: RRSIG expired")
        #expect(outcome.status == .bogus(.signatureExpired("RRSIG expired")))
    }

    @Test func insecureTLSADoesNotApplyWhateverTheCheckSaid() {
        let outcome = evaluate([ee256], .insecure, check: .noMatch)
        #expect(outcome.result == .notApplicable)
        #expect(outcome.reason == "the TLSA records are not DNSSEC-signed, so DANE does not apply")
    }

    /// RFC 7672 section 2.2: an attacker who drops the answer must not remove the veto.
    @Test func indeterminateTLSARejects() {
        let outcome = evaluate([], .indeterminate("SERVFAIL"), check: nil)
        #expect(outcome.result == .rejected)
        #expect(outcome.reason == "the TLSA lookup did not complete (SERVFAIL), so the DANE state is unknown "
                + "and no other prooftype may accept")
    }

    // MARK: evaluate, secure, by DANECheck

    @Test func secureDenialOrOnlyUnusableRecordsDoNotApply() {
        let none = evaluate([], check: nil)
        #expect(none.result == .notApplicable && none.reason == "no TLSA records")
        let unusable = evaluate([record(3, 1, 1, 0, count: 20)], check: nil)
        #expect(unusable.result == .notApplicable)
        #expect(unusable.reason == "no usable TLSA record (unknown parameters or bad digest lengths)")
        #expect(unusable.usable.isEmpty)
    }

    @Test func usableRecordsThatWereNeverCheckedReject() {
        let outcome = evaluate([ee256], check: nil)
        #expect(outcome.result == .rejected)
        #expect(outcome.reason == "secure TLSA records exist (\(ee256)), and the chain was not checked against them")
    }

    @Test func noMatchRejectsAndNamesThePublishedRecords() {
        let outcome = evaluate([ee256, ee512, ta256], check: .noMatch)
        #expect(outcome.result == .rejected && outcome.matched == nil)
        // The weaker digest is not listed: it was never a candidate.
        #expect(outcome.usable == [ee512, ta256])
        #expect(outcome.reason == "secure TLSA records exist (\(ee512), \(ta256)) and no certificate of the chain matches any of them")
    }

    @Test func failedVerificationRejectsWithOpenSSLsReason() {
        let expired = evaluate([pkixEE256], check: .failed(.invalid(code: 10, depth: 0, text: "certificate has expired")))
        #expect(expired.result == .rejected)
        #expect(expired.reason == "secure TLSA records exist (\(pkixEE256)) and OpenSSL's DANE verification of the chain fails: "
                + "certificate has expired (at depth 0)")
        let odd = evaluate([pkixEE256], check: .failed(.notChecked))
        #expect(odd.result == .rejected && odd.reason.hasSuffix("fails: not_checked"))
    }

    @Test func noCertificateRejectsWhenUsableRecordsExist() {
        let outcome = evaluate([ee256], check: nil, leaf: nil)
        #expect(outcome.result == .rejected && outcome.reason == "no certificate was presented")
    }

    /// `DANEOutcome.Result.notApplicable` is "no secure, usable TLSA: other
    /// prooftypes decide". A signed zone that denies TLSA asks nothing of a
    /// certificate, so a peer that presented none (dialback only) should not
    /// be vetoed; `evaluate` checks for the certificate before the records.
    @Test func noCertificateAndNoUsableRecordsDoNotApply() {
        let denial = evaluate([], check: nil, leaf: nil)
        let unusable = evaluate([record(3, 1, 1, 0, count: 20)], check: nil, leaf: nil)
        #expect(denial.result == .notApplicable, "\(denial.reason)")
        #expect(unusable.result == .notApplicable, "\(unusable.reason)")
    }

    // MARK: Names: DANE-EE is the key; every other usage checks names

    /// RFC 7671 section 5.1: with DANE-EE the key is the identity.
    @Test func daneEEAcceptsWithoutANameCheck() {
        let outcome = evaluate([ee256], check: matched(ee256), leaf: [presented(.dns, "unrelated.example.org")])
        #expect(outcome.result == .accepted && outcome.matched == ee256)
        #expect(outcome.reason == "the leaf matches TLSA \(ee256) (DANE-EE)")
        // A leaf with no names at all is fine too.
        #expect(evaluate([ee256], check: matched(ee256), leaf: []).result == .accepted)
    }

    static let nameCheckedUsages: [(TLSARecord, String)] = [(ta256, "DANE-TA"), (pkixEE256, "PKIX-EE"), (pkixTA256, "PKIX-TA")]

    /// RFC 7673 section 3: the certificate must name the SRV target or the source domain.
    @Test(arguments: nameCheckedUsages)
    func otherUsagesNeedTheTargetOrTheDomain(_ tlsa: TLSARecord, _ mnemonic: String) {
        let depth = tlsa.usage == .pkixEE ? 0 : 1
        for leaf in [[presented(.dns, "host1.example.net")], [presented(.dns, "example.com")],
                     [presented(.dns, "*.example.net")], [presented(.srv, "_xmpp-server.example.com")],
                     [presented(.xmpp, "example.com")]] {
            let outcome = evaluate([tlsa], check: matched(tlsa, depth: depth), leaf: leaf)
            #expect(outcome.result == .accepted, "\(leaf): \(outcome.reason)")
            #expect(outcome.reason == "the chain verifies by TLSA \(tlsa), matched at depth \(depth) (\(mnemonic))")
        }
        for leaf in [[presented(.dns, "other.example")], [presented(.srv, "_xmpp-client.example.com")],
                     [presented(.dns, "sub.host1.example.net")], []] {
            let outcome = evaluate([tlsa], check: matched(tlsa, depth: depth), leaf: leaf)
            #expect(outcome.result == .rejected, "\(leaf): \(outcome.reason)")
            #expect(outcome.matched == nil)
            #expect(outcome.reason.hasPrefix("secure TLSA records exist (\(tlsa)); TLSA \(tlsa) matches at depth \(depth), "
                                             + "but the leaf names none of "))
        }
    }

    /// The name constraints of the matched anchor's path bind the SRV-ID and
    /// XmppAddr that OpenSSL does not judge (RFC 5280 section 4.2.1.10).
    @Test func daneTANameCheckHonoursTheAnchorsNameConstraints() {
        let onlyExampleOrg = [NameConstraints(permitted: [.dns("example.org")], excluded: [])]
        let onlyExampleCom = [NameConstraints(permitted: [.dns("example.com")], excluded: [])]
        let onlyClients = [NameConstraints(permitted: [.srv(service: "xmpp-client", name: nil)], excluded: [])]
        let xmppAddr = [presented(.xmpp, "example.com")]
        let srvID = [presented(.srv, "_xmpp-server.example.com")]

        #expect(evaluate([ta256], check: matched(ta256, depth: 1, constraints: onlyExampleCom), leaf: xmppAddr).result == .accepted)
        #expect(evaluate([ta256], check: matched(ta256, depth: 1, constraints: onlyExampleOrg), leaf: xmppAddr).result == .rejected)
        #expect(evaluate([ta256], check: matched(ta256, depth: 1, constraints: onlyExampleOrg), leaf: srvID).result == .rejected)
        #expect(evaluate([ta256], check: matched(ta256, depth: 1, constraints: onlyClients), leaf: srvID).result == .rejected)
        #expect(evaluate([ta256], check: matched(ta256, depth: 1, constraints: onlyClients + onlyExampleCom), leaf: xmppAddr).result
                == .accepted)
        // DANE-EE checks no names, so constraints do not matter.
        #expect(evaluate([ee256], check: matched(ee256, constraints: onlyExampleOrg), leaf: xmppAddr).result == .accepted)
    }

    @Test func caseOfTheReferenceAndPresentedNamesDoesNotMatter() {
        let outcome = evaluate([ta256], check: matched(ta256, depth: 1), leaf: [presented(.dns, "HOST1.Example.NET")])
        #expect(outcome.result == .accepted)
    }
}
