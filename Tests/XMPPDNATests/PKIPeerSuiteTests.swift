import Foundation
import Testing
@testable import XMPPDNA
@testable import XMPPDNACore
@testable import XMPPDNANet
@testable import XMPPDNAOpenSSL
@testable import XMPPDNAResolver

/// One chain of Tests/Fixtures/make-peer-pki.py and the outcomes expected
/// for it (that file documents the fields).
private struct PeerCase: Decodable {
    let id, file, source, peer, direction: String
    let variant, why: String?
    let checks: [[String]]

    /// The rows of the README's summary table, in order.
    var group: String {
        if peer == "xmpp" { return "XMPP identifiers under name constraints (no webpki counterpart)" }
        return source == "tls_server_certs.rs" ? "webpki `tests/tls_server_certs.rs`" : "webpki end-entity and path rules"
    }
}

private struct PeerManifest: Decodable {
    let cases: [PeerCase]
    let notMirrored: [[String]]

    enum CodingKeys: String, CodingKey {
        case cases
        case notMirrored = "not_mirrored"
    }
}

/// Issue #24: the PKI verdict over the certificate-path cases of
/// rustls/webpki, regenerated from their facts with our own certificates
/// (webpki's files stay out of the repo). xmppdna may differ from webpki
/// only where a case says why; the XMPP cases, which webpki has no notion
/// of, must come out as the XMPP rule says. The README's table is rendered
/// from the run (XMPPDNA_WRITE_README=1 writes it).
@Suite struct PKIPeerSuiteTests {
    private static let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("xmppdna-peer-pki-\(getpid())").path

    /// Runs the generator into `directory` and reads its manifest.
    private func generate() throws -> PeerManifest {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        // Debian's interpreter: cryptography comes from python3-cryptography.
        let script = root.appendingPathComponent("Tests/Fixtures/make-peer-pki.py").path
        try #require(system("/usr/bin/python3 '\(script)' '\(Self.directory)'") == 0, "make-peer-pki.py failed")
        return try JSONDecoder().decode(PeerManifest.self, from: Data(contentsOf: URL(fileURLWithPath: "\(Self.directory)/cases.json")))
    }

    private func accepted(_ peerCase: PeerCase, _ reference: String) throws -> Bool {
        let verifier = PKIVerifier()
        try verifier.updateTrust { $0.caFile = "\(Self.directory)/\(peerCase.file).root.pem" }
        verifier.update { $0.time = FixturePKI.time }
        let value = String(reference.drop { $0 != ":" }.dropFirst())
        let references = reference.hasPrefix("ip:") ? [ReferenceIdentifier.ip(try IPAddress(value))]
            : XMPPService.xmppServer.referenceIdentifiers(for: try DNSName(value))
        let pem = try Data(contentsOf: URL(fileURLWithPath: "\(Self.directory)/\(peerCase.file).chain.pem"))
        let result = try verifier.verify(chain: try Certificate.parsePEMBundle(Array(pem)), references: references,
                                         direction: peerCase.direction == "inbound" ? .inbound : .outbound)
        return result.accepted
    }

    @Test func theVerdictAgreesWithWebpkiOrSaysWhy() throws {
        let manifest = try generate()
        defer { try? FileManager.default.removeItem(atPath: Self.directory) }
        var tallies: [(group: String, tally: Tally)] = []
        var differences: [String] = []
        for peerCase in manifest.cases {
            if tallies.last?.group != peerCase.group { tallies.append((peerCase.group, Tally())) }
            tallies[tallies.count - 1].tally.cases += 1
            var differs = false
            for check in peerCase.checks {
                let (reference, expected) = (check[0], check[1])
                let got = try accepted(peerCase, reference) ? "accept" : "reject"
                tallies[tallies.count - 1].tally.count(got: got, expected: expected)
                if got == expected { continue }
                differs = true
                guard peerCase.peer != "xmpp", let why = peerCase.why else {
                    Issue.record("\(peerCase.id), \(reference): xmppdna says \(got), \(peerCase.peer) says \(expected), and no reason is listed")
                    continue
                }
                let notes = [peerCase.direction == "inbound" ? "inbound" : nil, peerCase.variant].compactMap { $0 }
                let name = "`\(peerCase.id)`" + (notes.isEmpty ? "" : " (\(notes.joined(separator: "; ")))")
                let shown = reference.hasPrefix("ip:") ? "IP " + reference.dropFirst(3) : String(reference.dropFirst(4))
                differences.append("| \(name) | \(shown) | \(expected) | \(got) | \(why) |")
            }
            if peerCase.why != nil && !differs {
                Issue.record("\(peerCase.id) agrees with \(peerCase.peer) now: take its reason off")
            }
        }
        let table = ["| cases from | cases | checks (chain, reference) | agreeing | xmppdna stricter | xmppdna more trusting |",
                     "|---|---:|---:|---:|---:|---:|"]
            + tallies.map { "| \($0.group) | \($0.tally.row) |" }
            + ["", "| case | reference | webpki | xmppdna | why |", "|---|---|---|---|---|"] + differences
            + ["", "| webpki tests not mirrored | why |", "|---|---|"]
            + manifest.notMirrored.map { "| \($0[0]) | \($0[1]) |" }
        try RenderedReadmeTable.check(table.joined(separator: "\n"), marker: "webpki-peer-suite", renderedBy: "PKIPeerSuiteTests")
    }
}

/// One row of the README's summary table.
private struct Tally {
    var cases = 0, checks = 0, agreeing = 0, stricter = 0, moreTrusting = 0

    mutating func count(got: String, expected: String) {
        checks += 1
        if got == expected {
            agreeing += 1
        } else if got == "accept" {
            moreTrusting += 1
        } else {
            stricter += 1
        }
    }

    var row: String { [cases, checks, agreeing, stricter, moreTrusting].map(String.init).joined(separator: " | ") }
}
