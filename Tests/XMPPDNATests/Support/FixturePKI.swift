import Foundation
@testable import XMPPDNA
@testable import XMPPDNACore
@testable import XMPPDNANet
@testable import XMPPDNAOpenSSL
@testable import XMPPDNAResolver

/// The generated test PKI (Tests/Fixtures/make-test-pki.sh), made once per
/// test process, with expected TLSA data computed by the openssl CLI, so
/// the matcher is never checked against its own arithmetic.
final class FixturePKI: Sendable {
    static let shared = FixturePKI()
    /// 2030-01-01: inside every normal validity window of the fixtures.
    static let time: Int64 = 1_893_456_000
    let directory: String

    private init() {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("xmppdna-core-pki-\(getpid())").path
        let script = root.appendingPathComponent("Tests/Fixtures/make-test-pki.sh").path
        precondition(system("/bin/bash '\(script)' '\(directory)' >/dev/null 2>&1") == 0, "make-test-pki.sh failed")
        let path = directory
        FixturePKI.cleanup = path
        atexit { if let path = FixturePKI.cleanup { _ = system("rm -rf '\(path)'") } }
    }

    nonisolated(unsafe) private static var cleanup: String?

    /// A context that trusts the fixture root, at the fixtures' time.
    func context() throws -> XMPPDNAContext {
        let context = try XMPPDNAContext()
        try context.pki.updateTrust { $0.caFile = "\(directory)/root.pem" }
        context.pki.update { $0.time = FixturePKI.time }
        return context
    }

    func chain(_ file: String) -> [Certificate] {
        let pem = try! Data(contentsOf: URL(fileURLWithPath: "\(directory)/\(file)"))
        return try! Certificate.parsePEMBundle(Array(pem))
    }

    /// Runs a shell pipeline in the fixture directory and returns its output as hex.
    func hex(_ pipeline: String) -> String {
        let out = "\(directory)/.hex-\(UUID().uuidString)"
        precondition(system("cd '\(directory)' && (\(pipeline)) | od -An -v -tx1 | tr -d ' \\n' > '\(out)'") == 0)
        defer { try? FileManager.default.removeItem(atPath: out) }
        return try! String(contentsOfFile: out, encoding: .utf8)
    }

    func spkiDigest(_ pem: String, _ algorithm: String = "sha256") -> String {
        hex("openssl x509 -in \(pem) -noout -pubkey | openssl pkey -pubin -outform DER | openssl dgst -\(algorithm) -binary")
    }

    func certificateDigest(_ pem: String, _ algorithm: String = "sha256") -> String {
        hex("openssl x509 -in \(pem) -outform DER | openssl dgst -\(algorithm) -binary")
    }

    /// Base64 of a digest, as a POSH publisher (Prosody's included) writes it.
    func base64(_ pipeline: String) -> String {
        let out = "\(directory)/.b64-\(UUID().uuidString)"
        precondition(system("cd '\(directory)' && (\(pipeline)) | openssl base64 -A > '\(out)'") == 0)
        defer { try? FileManager.default.removeItem(atPath: out) }
        return try! String(contentsOfFile: out, encoding: .utf8)
    }

    func certificateDER(_ pem: String) -> String { hex("openssl x509 -in \(pem) -outform DER") }

    /// The first certificate of a PEM file as DER bytes.
    func der(_ pem: String) -> [UInt8] {
        let hex = Array(certificateDER(pem).utf8)
        return stride(from: 0, to: hex.count, by: 2).map { UInt8(String(decoding: hex[$0...$0 + 1], as: UTF8.self), radix: 16)! }
    }

    /// That certificate with its serialNumber tagged as an OCTET STRING: the
    /// DER shape of a certificate still, but one d2i_X509 refuses.
    func undecodableDER(_ pem: String) -> [UInt8] {
        var bytes = der(pem)
        // Certificate and TBSCertificate with two-byte lengths, then version 3, then the serial's tag.
        precondition(bytes[0...1] == [0x30, 0x82] && bytes[4...5] == [0x30, 0x82] && bytes[8...12] == [0xA0, 0x03, 0x02, 0x01, 0x02]
                     && bytes[13] == 0x02)
        bytes[13] = 0x04
        return bytes
    }

    /// The whole SubjectPublicKeyInfo, as a TLSA record with selector 1 and matching type 0 carries it.
    func spkiDER(_ pem: String) -> String {
        hex("openssl x509 -in \(pem) -noout -pubkey | openssl pkey -pubin -outform DER")
    }
}
