import CXMPPDNA
import Foundation

/// File-system locations shared by the ABI suites.
enum Repository {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let shared = root.deletingLastPathComponent().appendingPathComponent("shared")
}

/// Runs the fixture script once per test process; every suite shares it.
final class TestPKI: Sendable {
    static let shared = TestPKI()
    let directory: URL
    /// Tests pin verification to 2030-01-01, inside every normal validity window.
    static let time: Int64 = 1_893_456_000

    private init() {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("xmppdna-pki-\(getpid())")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [Repository.root.appendingPathComponent("Tests/Fixtures/make-test-pki.sh").path, directory.path]
        process.standardOutput = FileHandle.nullDevice
        try! process.run()
        process.waitUntilExit()
        precondition(process.terminationStatus == 0, "make-test-pki.sh failed")
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
    func bytes(_ name: String) -> [UInt8] { Array(try! Data(contentsOf: directory.appendingPathComponent(name))) }
}

/// Swift owners for C handles, so every test frees what it made.
// Sendable because the header promises these handles may be shared; the
// concurrency suite checks that promise under TSan.
final class CContext: @unchecked Sendable {
    let pointer: OpaquePointer
    init(caFile: String? = TestPKI.shared.path("root.pem"), time: Int64? = TestPKI.time, flags: UInt32 = 0) {
        var ctx: OpaquePointer?
        precondition(xmppdna_ctx_new(&ctx) == XMPPDNA_OK)
        pointer = ctx!
        if let caFile { precondition(xmppdna_ctx_set_ca(pointer, caFile, nil) == XMPPDNA_OK) }
        if let time { precondition(xmppdna_ctx_set_time(pointer, time) == XMPPDNA_OK) }
        precondition(xmppdna_ctx_set_flags(pointer, flags) == XMPPDNA_OK)
    }
    deinit { xmppdna_ctx_free(pointer) }
}

/// A question: PKI alone with no lookups unless told otherwise, the
/// successor of 0.2.0's reference-identifier lists.
final class CRequest: @unchecked Sendable {
    let pointer: OpaquePointer
    init(domain: String, service: Int32 = XMPPDNA_SERVICE_XMPP_SERVER, direction: Int32 = XMPPDNA_DIR_OUTBOUND,
         names: [String] = [], prooftypes: [Int32] = [XMPPDNA_PROOF_PKI],
         flags: UInt32 = UInt32(XMPPDNA_REQUEST_NO_LOOKUPS)) {
        var request: OpaquePointer?
        let rc = xmppdna_request_new(domain, service, direction, &request)
        precondition(rc == XMPPDNA_OK, "request_new(\(domain)) = \(rc)")
        pointer = request!
        for name in names { precondition(add(reference: XMPPDNA_ID_NAME, Array(name.utf8)) == XMPPDNA_OK) }
        precondition(xmppdna_request_set_prooftypes(pointer, prooftypes, prooftypes.count) == XMPPDNA_OK)
        precondition(xmppdna_request_set_flags(pointer, flags) == XMPPDNA_OK)
    }
    deinit { xmppdna_request_free(pointer) }

    /// A typed reference identifier; a non-NULL pointer even for empty input.
    func add(reference type: Int32, _ bytes: [UInt8]) -> Int32 {
        let storage = bytes.map { CChar(bitPattern: $0) } + [0]
        return storage.withUnsafeBufferPointer { xmppdna_request_add_ref(pointer, type, $0.baseAddress, bytes.count) }
    }

    func add(presented type: Int32, _ bytes: [UInt8]) -> Int32 {
        let storage = bytes + [0]
        return storage.withUnsafeBytes { xmppdna_request_add_presented(pointer, type, $0.baseAddress, bytes.count) }
    }
}

final class CChain: @unchecked Sendable {
    let pointer: OpaquePointer
    init(pem: [UInt8]) {
        var chain: OpaquePointer?
        precondition(xmppdna_chain_new(&chain) == XMPPDNA_OK)
        pointer = chain!
        let rc = pem.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { xmppdna_chain_add_pem(pointer, $0.baseAddress, $0.count) }
        }
        precondition(rc == XMPPDNA_OK, "chain_add_pem = \(rc)")
    }
    init(ders: [[UInt8]]) {
        var chain: OpaquePointer?
        precondition(xmppdna_chain_new(&chain) == XMPPDNA_OK)
        pointer = chain!
        for der in ders {
            precondition(der.withUnsafeBytes { xmppdna_chain_add_der(pointer, $0.baseAddress, $0.count) } == XMPPDNA_OK)
        }
    }
    deinit { xmppdna_chain_free(pointer) }
}

final class CVerdict: @unchecked Sendable {
    let pointer: OpaquePointer
    init(owning pointer: OpaquePointer) { self.pointer = pointer }
    deinit { xmppdna_verdict_free(pointer) }

    /// `chain` nil: the request's presented identifiers, or no certificate.
    static func of(_ ctx: CContext, _ chain: CChain?, _ request: CRequest) -> CVerdict {
        var out: OpaquePointer?
        let rc = withExtendedLifetime((ctx, chain, request)) {
            xmppdna_verify(ctx.pointer, chain?.pointer, request.pointer, &out)
        }
        precondition(rc == XMPPDNA_OK, "verify = \(rc)")
        return CVerdict(owning: out!)
    }

    var accepted: Bool { xmppdna_verdict_accepted(pointer) == 1 }
    var chainStatus: Int32 {
        var status: Int32 = -1
        _ = xmppdna_verdict_chain(pointer, &status, nil, nil, nil)
        return status
    }
    var chainErrorCode: Int32 {
        var code: Int32 = 0
        _ = xmppdna_verdict_chain(pointer, nil, &code, nil, nil)
        return code
    }
    var matches: [(Int32, String, Int32, String)] {
        (0..<xmppdna_verdict_match_count(pointer)).map { i in
            var rt: Int32 = 0, pt: Int32 = 0
            var rv: UnsafePointer<CChar>?, pv: UnsafePointer<CChar>?
            precondition(xmppdna_verdict_match_get(pointer, i, &rt, &rv, &pt, &pv) == XMPPDNA_OK)
            return (rt, String(cString: rv!), pt, String(cString: pv!))
        }
    }
    var findings: [xmppdna_finding] {
        (0..<xmppdna_verdict_finding_count(pointer)).map { i in
            var finding = xmppdna_finding()
            precondition(xmppdna_verdict_finding_get(pointer, i, &finding) == XMPPDNA_OK)
            return finding
        }
    }
    /// Every finding's text.
    var reasons: [String] { findings.map { String(cString: $0.text) } }
    var presented: [(type: Int32, value: String, usable: Bool, problem: String?)] {
        (0..<xmppdna_verdict_presented_count(pointer)).map { i in
            var type: Int32 = 0, usable: Int32 = 0
            var value: UnsafePointer<CChar>?, problem: UnsafePointer<CChar>?
            precondition(xmppdna_verdict_presented_get(pointer, i, &type, &value, &usable, &problem) == XMPPDNA_OK)
            return (type, String(cString: value!), usable == 1, problem.map { String(cString: $0) })
        }
    }
    var json: String {
        var out: UnsafeMutablePointer<CChar>?
        precondition(xmppdna_verdict_json(pointer, &out) == XMPPDNA_OK)
        defer { xmppdna_free(out) }
        return String(cString: out!)
    }
}
