import Testing
@testable import XMPPDNACore

// The pure POSH rule (RFC 7711 section 3, as RFC 7712 uses it) over the
// leaf digests the X.509 adapter computes. The same rule on real
// certificates runs in Tests/XMPPDNATests/POSHDocumentTests.swift.

private func digest(_ hash: POSHHash, _ fill: UInt8) -> [UInt8] { Array(repeating: fill, count: hash.length) }

private func document(_ fingerprints: [[POSHHash: [UInt8]]], expires: UInt32 = 3600) -> POSHDocument {
    POSHDocument(body: .fingerprints(fingerprints.map { POSHFingerprint(digests: $0) }), expires: expires)
}

private func leaf(_ entries: [(POSH.Subject, POSHHash, [UInt8])]) -> LeafDigests {
    var digests = LeafDigests()
    for (subject, hash, value) in entries { digests[subject, hash] = value }
    return digests
}

private let source = "https://example.com/.well-known/posh/xmpp-server.json"

@Suite struct POSHTests {
    // MARK: hashesNeeded

    @Test func hashesNeededAreEachFingerprintsStrongest() {
        let posh = document([[.sha256: digest(.sha256, 1), .sha512: digest(.sha512, 2)],
                             [.sha384: digest(.sha384, 3)],
                             [.sha256: digest(.sha256, 4)]])
        #expect(POSH.hashesNeeded(posh) == [.sha512, .sha384, .sha256])
        #expect(POSH.hashesNeeded(document([[.sha256: digest(.sha256, 1), .sha384: digest(.sha384, 2)]])) == [.sha384])
    }

    @Test func aReferenceNeedsNoHashes() throws {
        let reference = POSHDocument(body: .reference(try POSHURL("https://hosting.example.net/posh/xmpp-server.json")), expires: 60)
        #expect(POSH.hashesNeeded(reference).isEmpty)
    }

    @Test func hashesAreOrderedByStrength() {
        #expect(POSHHash.allCases.sorted() == [.sha256, .sha384, .sha512])
        #expect(POSHHash.allCases.map(\.length) == [32, 48, 64])
    }

    // MARK: verify

    @Test func certificateDigestMatches() {
        let posh = document([[.sha256: digest(.sha256, 7)]])
        let outcome = POSH.verify(document: posh, digests: leaf([(.certificate, .sha256, digest(.sha256, 7))]), hasLeaf: true,
                                  source: source)
        #expect(outcome.result == .accepted)
        #expect(outcome.reason == "the presented certificate matches sha-256 fingerprint 0 of \(source)")
        #expect(outcome.source == source)
    }

    /// A key kept across renewals keeps matching, and the verdict says which subject matched.
    @Test func publicKeyDigestMatches() {
        let posh = document([[.sha512: digest(.sha512, 9)]])
        let outcome = POSH.verify(document: posh, digests: leaf([(.certificate, .sha512, digest(.sha512, 8)),
                                                                 (.publicKey, .sha512, digest(.sha512, 9))]), hasLeaf: true)
        #expect(outcome.result == .accepted)
        #expect(outcome.reason == "the presented public key matches sha-512 fingerprint 0")
        #expect(outcome.source == nil)
    }

    /// A rollover document lists the old and the new certificate; either matches.
    @Test func anyFingerprintOfTheDocumentMayMatch() {
        let posh = document([[.sha256: digest(.sha256, 1)], [.sha384: digest(.sha384, 2)]])
        let outcome = POSH.verify(document: posh, digests: leaf([(.certificate, .sha256, digest(.sha256, 5)),
                                                                 (.certificate, .sha384, digest(.sha384, 2))]), hasLeaf: true)
        #expect(outcome.result == .accepted)
        #expect(outcome.reason == "the presented certificate matches sha-384 fingerprint 1")
    }

    @Test func noMatchListsThePublishedHashes() {
        let posh = document([[.sha256: digest(.sha256, 1)], [.sha256: digest(.sha256, 3), .sha512: digest(.sha512, 2)]])
        let outcome = POSH.verify(document: posh, digests: leaf([(.certificate, .sha256, digest(.sha256, 3)),
                                                                 (.certificate, .sha512, digest(.sha512, 4))]), hasLeaf: true,
                                  source: source)
        #expect(outcome.result == .noMatch)
        #expect(outcome.reason == "the presented certificate matches none of the 2 published fingerprints (sha-256, sha-512) of \(source)")
    }

    /// Only the strongest digest of a descriptor is compared (RFC 7671
    /// section 9 by analogy): a matching weaker digest beside it cannot
    /// stand in for it.
    @Test func onlyTheStrongestDigestOfADescriptorCounts() {
        let posh = document([[.sha256: digest(.sha256, 1), .sha512: digest(.sha512, 2)]])
        let weakerOnly = leaf([(.certificate, .sha256, digest(.sha256, 1))])
        #expect(POSH.verify(document: posh, digests: weakerOnly, hasLeaf: true).result == .noMatch)
        let strongerToo = leaf([(.certificate, .sha256, digest(.sha256, 1)), (.certificate, .sha512, digest(.sha512, 2))])
        #expect(POSH.verify(document: posh, digests: strongerToo, hasLeaf: true).result == .accepted)
    }

    @Test func digestsOfTheWrongHashOrNoneAtAllNeverMatch() {
        let posh = document([[.sha256: digest(.sha256, 1)]])
        // The same bytes under another hash name are not the same fingerprint.
        #expect(POSH.verify(document: posh, digests: leaf([(.certificate, .sha384, digest(.sha256, 1))]), hasLeaf: true).result
                == .noMatch)
        #expect(POSH.verify(document: posh, digests: LeafDigests(), hasLeaf: true).result == .noMatch)
        // A prefix of the digest is not the digest.
        #expect(POSH.verify(document: posh, digests: leaf([(.certificate, .sha256, Array(digest(.sha256, 1).prefix(16)))]),
                            hasLeaf: true).result == .noMatch)
    }

    @Test func noCertificateIsNoMatch() {
        let posh = document([[.sha256: digest(.sha256, 1)]])
        let outcome = POSH.verify(document: posh, digests: leaf([(.certificate, .sha256, digest(.sha256, 1))]), hasLeaf: false)
        #expect(outcome.result == .noMatch)
        #expect(outcome.reason == "no certificate was presented")
    }

    /// RFC 7711 section 3.2: a reference must be fetched first; it proves nothing itself.
    @Test func aReferenceDocumentIsNotApplicable() throws {
        let url = try POSHURL("https://hosting.example.net:8443/posh/xmpp-server.json")
        let reference = POSHDocument(body: .reference(url), expires: 600)
        let outcome = POSH.verify(document: reference, digests: leaf([(.certificate, .sha256, digest(.sha256, 1))]), hasLeaf: true,
                                  source: source)
        #expect(outcome.result == .notApplicable)
        #expect(outcome.reason.hasPrefix("the document is a reference to "))
        #expect(outcome.reason.hasSuffix("; fetch it first"))
        #expect(outcome.reason.contains("https://hosting.example.net:8443/posh/xmpp-server.json"))
    }

    @Test func aParsedReferenceIsAReference() throws {
        let posh = try POSHDocument.parse(Array(#"{"url":"https://hosting.example.net:8443/posh/xmpp-server.json","expires":600}"#.utf8))
        guard case .reference(let url) = posh.body else { Issue.record("not a reference"); return }
        #expect(url.host == "hosting.example.net" && url.port == 8443 && url.target == "/posh/xmpp-server.json")
        #expect(posh.expires == 600)
        #expect(POSH.verify(document: posh, digests: LeafDigests(), hasLeaf: true).result == .notApplicable)
    }
}
