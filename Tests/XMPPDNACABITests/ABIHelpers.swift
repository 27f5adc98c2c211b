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
        if let caFile { precondition(xmppdna_ctx_set_ca_file(pointer, caFile) == XMPPDNA_OK) }
        if let time { precondition(xmppdna_ctx_set_time(pointer, time) == XMPPDNA_OK) }
        precondition(xmppdna_ctx_set_flags(pointer, flags) == XMPPDNA_OK)
    }
    deinit { xmppdna_ctx_free(pointer) }
}

final class CRefs: @unchecked Sendable {
    let pointer: OpaquePointer
    init(domain: String, service: Int32 = XMPPDNA_SERVICE_XMPP_SERVER, names: [String] = []) {
        var refs: OpaquePointer?
        let rc = xmppdna_refs_new(domain, service, &refs)
        precondition(rc == XMPPDNA_OK, "refs_new(\(domain)) = \(rc)")
        pointer = refs!
        for name in names { precondition(xmppdna_refs_add_name(pointer, name) == XMPPDNA_OK) }
    }
    init?(type: Int32, bytes: [UInt8]) {
        var refs: OpaquePointer?
        precondition(xmppdna_refs_new_empty(&refs) == XMPPDNA_OK)
        pointer = refs!
        // A non-NULL pointer even for empty input: the empty string is the case under test.
        let storage = bytes.map { CChar(bitPattern: $0) } + [0]
        let rc = storage.withUnsafeBufferPointer { xmppdna_refs_add(pointer, type, $0.baseAddress, bytes.count) }
        if rc != XMPPDNA_OK { return nil }
    }
    deinit { xmppdna_refs_free(pointer) }
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

    static func pki(_ ctx: CContext, _ chain: CChain, _ refs: CRefs, direction: Int32 = XMPPDNA_DIR_OUTBOUND) -> CVerdict {
        var out: OpaquePointer?
        let rc = withExtendedLifetime((ctx, chain, refs)) {
            xmppdna_verify_pki(ctx.pointer, chain.pointer, refs.pointer, direction, &out)
        }
        precondition(rc == XMPPDNA_OK, "verify_pki = \(rc)")
        return CVerdict(owning: out!)
    }

    var accepted: Bool { xmppdna_verdict_accepted(pointer) == 1 }
    var chainStatus: Int32 { xmppdna_verdict_chain_status(pointer) }
    var chainErrorCode: Int32 {
        var code: Int32 = 0
        _ = xmppdna_verdict_chain_error(pointer, &code, nil, nil)
        return code
    }
    var matches: [(Int32, String, Int32, String)] {
        (0..<xmppdna_verdict_match_count(pointer)).map { i in
            var rt: Int32 = 0, pt: Int32 = 0
            var rv: UnsafePointer<CChar>?, pv: UnsafePointer<CChar>?
            precondition(xmppdna_verdict_match(pointer, i, &rt, &rv, &pt, &pv) == XMPPDNA_OK)
            return (rt, String(cString: rv!), pt, String(cString: pv!))
        }
    }
    var reasons: [String] {
        (0..<xmppdna_verdict_reason_count(pointer)).map { String(cString: xmppdna_verdict_reason(pointer, $0)!) }
    }
    var presented: [(type: Int32, value: String, usable: Bool, problem: String?)] {
        let ids = xmppdna_verdict_presented(pointer)
        return (0..<xmppdna_idset_count(ids)).map { i in
            var type: Int32 = 0, usable: Int32 = 0
            var value: UnsafePointer<CChar>?, problem: UnsafePointer<CChar>?
            precondition(xmppdna_idset_get(ids, i, &type, &value, &usable, &problem) == XMPPDNA_OK)
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
