import Testing
@testable import XMPPDNA
@testable import XMPPDNACore
@testable import XMPPDNAOpenSSL

// #20: a chain verified before is not verified again while the result
// provably holds, and is verified again whenever anything it depends on
// changed: the trust store, the direction, or a time outside the path's
// validity.

private let pki = FixturePKI.shared

private func context(time: Int64? = FixturePKI.time) throws -> XMPPDNAContext {
    let context = try XMPPDNAContext()
    try context.pki.updateTrust { $0.caFile = "\(pki.directory)/root.pem" }
    context.pki.update { $0.time = time }
    return context
}

private func pkiVerdict(_ context: XMPPDNAContext, _ chain: String, direction: PeerDirection = .outbound) throws -> PKIVerdict {
    var question = DNAQuestion(request: DNARequest(direction: direction, domain: try DNSName("example.com"), service: .xmppServer))
    question.request.prooftypes = [.pki]
    question.noLookups = true
    return try context.verifyNow(question, chain: pki.chain(chain)).pki
}

@Suite struct ChainPathCacheTests {
    @Test func aChainSeenBeforeIsNotVerifiedAgain() throws {
        let context = try context()
        let first = try pkiVerdict(context, "full-chain.pem")
        let second = try pkiVerdict(context, "full-chain.pem")
        #expect(first.accepted && first.chain == .valid && !first.chainReused)
        #expect(second.accepted && second.chain == .valid && second.chainReused)
        #expect(second.json.contains("\"reused\":true") && !first.json.contains("reused"))
    }

    @Test func theBoundHoldsAndOutlivesATrustStoreChange() throws {
        let context = try context()
        context.pki.setVerifiedChainLimit(1)
        _ = try pkiVerdict(context, "full-chain.pem")
        #expect(try pkiVerdict(context, "full-chain.pem").chainReused)
        _ = try pkiVerdict(context, "full-chain.pem", direction: .inbound)
        #expect(try context.pki.trustStore().paths.count == 1)
        #expect(try !pkiVerdict(context, "full-chain.pem").chainReused, "the outbound path was the one forgotten")
        try context.pki.updateTrust { $0.caFile = "\(pki.directory)/root.pem" }
        #expect(try context.pki.trustStore().paths.capacity == 1)
        context.pki.setVerifiedChainLimit(500)
        #expect(try context.pki.trustStore().paths.capacity == 500)
    }

    @Test func aTrustStoreChangeStartsAfresh() throws {
        let context = try context()
        _ = try pkiVerdict(context, "full-chain.pem")
        try context.pki.updateTrust { $0.caFile = "\(pki.directory)/root.pem" }
        #expect(try !pkiVerdict(context, "full-chain.pem").chainReused, "the same CA file loaded again is a new store")
        try context.pki.updateTrust { $0.caFile = "\(pki.directory)/other-root.pem" }
        let other = try pkiVerdict(context, "full-chain.pem")
        #expect(!other.accepted && !other.chainReused, "a store without the chain's root rejects it")
    }

    @Test func aPinnedTimeOutsideTheValidityVerifiesAgain() throws {
        let leaf = pki.chain("full-chain.pem")[0]
        let notAfter = try #require(leaf.notAfter), notBefore = try #require(leaf.notBefore)
        let context = try context()
        _ = try pkiVerdict(context, "full-chain.pem")
        context.pki.update { $0.time = notAfter - 1 }
        #expect(try pkiVerdict(context, "full-chain.pem").chainReused, "one second before expiry the path still holds")
        context.pki.update { $0.time = notAfter + 1 }
        let expired = try pkiVerdict(context, "full-chain.pem")
        #expect(!expired.accepted && !expired.chainReused, "crossing the expiry: \(expired.chain)")
        #expect(expired.chain.tag == "invalid")
        context.pki.update { $0.time = notBefore - 1 }
        let early = try pkiVerdict(context, "full-chain.pem")
        #expect(!early.accepted && !early.chainReused, "before notBefore: \(early.chain)")
    }

    @Test func theDirectionIsPartOfTheResult() throws {
        let context = try context()
        _ = try pkiVerdict(context, "full-chain.pem", direction: .outbound)
        #expect(try !pkiVerdict(context, "full-chain.pem", direction: .inbound).chainReused)
        #expect(try pkiVerdict(context, "full-chain.pem", direction: .inbound).chainReused)
    }

    @Test func failuresAreNotKept() throws {
        let context = try context()
        for _ in 0..<2 {
            let verdict = try pkiVerdict(context, "wrong-ca-chain.pem")
            #expect(!verdict.accepted && !verdict.chainReused)
        }
    }

    @Test func theCacheIsBoundedAndKeepsTheRecent() throws {
        let cache = ChainPathCache(capacity: 4)
        let store = try TrustStore(TrustSource(caFile: "\(pki.directory)/root.pem"))
        let chains = ["full-chain.pem", "host1-chain.pem", "wildcard-chain.pem", "srv-server-chain.pem", "xmppaddr-chain.pem",
                      "idn-chain.pem"].map { pki.chain($0) }
        var verified = 0
        for chain in chains {
            let path = cache.path(chain, direction: .outbound, time: FixturePKI.time) {
                verified += 1
                return ChainVerifier.verifyPath(chain, store: store, time: FixturePKI.time, direction: .outbound)
            }
            #expect(path.status == .valid && !path.reused)
        }
        #expect(verified == 6 && cache.count <= 4)
        let recent = cache.path(chains[5], direction: .outbound, time: FixturePKI.time) {
            Issue.record("the most recent chain was evicted")
            return .notChecked
        }
        #expect(recent.reused)
    }
}

/// Parsed certificates are shared by their DER bytes (#20): decoding a
/// certificate costs more than the rest of a verdict on a chain seen before.
@Suite struct CertificateCacheTests {
    @Test func theSameBytesGiveTheSameCertificate() throws {
        let cache = CertificateCache(capacity: 8)
        let der = pki.chain("full-chain.pem")[0].der
        let first = try cache.certificate(der: der), second = try cache.certificate(der: der)
        #expect(first === second && cache.count == 1)
        let other = try cache.certificate(der: pki.chain("full-chain.pem")[1].der)
        #expect(other !== first && cache.count == 2)
    }

    @Test func badBytesAreRefusedAndNotKept() {
        let cache = CertificateCache(capacity: 8)
        #expect(throws: CertificateError.self) { try cache.certificate(der: [0x30, 0x03, 0x02, 0x01, 0x00]) }
        #expect(cache.count == 0)
    }

    @Test func theCacheIsBounded() throws {
        let cache = CertificateCache(capacity: 4)
        let names = ["full", "host1", "wildcard", "srv-server", "xmppaddr", "idn"]
        let ders = names.map { pki.chain("\($0)-chain.pem")[0].der }
        for der in ders { _ = try cache.certificate(der: der) }
        #expect(cache.count <= 4)
        let last = try cache.certificate(der: ders[5])
        #expect(last === (try cache.certificate(der: ders[5])), "the most recent is kept")
    }
}
