import CXMPPDNA
import Foundation

/// The fixed PKI and trust anchor under fuzz/ that the seed corpora were
/// made with; found from this file's place in the repository.
enum FuzzFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("fuzz")

    /// Inside the fixture certificates' validity and the recorded signatures'.
    static let time: Int64 = 1_893_456_000

    static func bytes(_ name: String) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent(name).path) else {
            fatalError("fuzz fixture \(name) is missing under \(directory.path)")
        }
        return Array(data)
    }

    static func text(_ name: String) -> String { String(decoding: bytes(name), as: UTF8.self) }

    /// A context that trusts the fixture root at the pinned time.
    static func context(flags: UInt32 = 0) -> OpaquePointer {
        var ctx: OpaquePointer?
        guard xmppdna_ctx_new(&ctx) == XMPPDNA_OK, let ctx,
              xmppdna_ctx_set_ca(ctx, directory.appendingPathComponent("pki/root.pem").path, nil) == XMPPDNA_OK,
              xmppdna_ctx_set_time(ctx, time) == XMPPDNA_OK,
              xmppdna_ctx_set_flags(ctx, flags) == XMPPDNA_OK else { fatalError("cannot set up the fuzz context") }
        return ctx
    }

    /// A chain from a PEM fixture, parsed once per process.
    static func chain(_ name: String) -> OpaquePointer {
        var chain: OpaquePointer?
        let pem = bytes(name)
        guard xmppdna_chain_new(&chain) == XMPPDNA_OK, let chain,
              xmppdna_chain_add_pem(chain, pem.map { CChar(bitPattern: $0) }, pem.count) == XMPPDNA_OK else {
            fatalError("cannot parse fuzz fixture \(name)")
        }
        return chain
    }
}

/// A PKI-only request for `domain` that looks nothing up; nil if the
/// library refuses the domain.
func pkiRequest(_ domain: String, service: Int32 = XMPPDNA_SERVICE_XMPP_SERVER, direction: Int32 = XMPPDNA_DIR_OUTBOUND,
                flags: UInt32 = UInt32(XMPPDNA_REQUEST_NO_LOOKUPS)) -> OpaquePointer? {
    var request: OpaquePointer?
    guard xmppdna_request_new(domain, service, direction, &request) == XMPPDNA_OK, let request else { return nil }
    var pki = XMPPDNA_PROOF_PKI
    guard xmppdna_request_set_prooftypes(request, &pki, 1) == XMPPDNA_OK, xmppdna_request_set_flags(request, flags) == XMPPDNA_OK else {
        fatalError("cannot set up a PKI request")
    }
    return request
}

/// Handles made once per process and only read afterwards; the C API
/// promises they may be shared.
struct SharedHandle: @unchecked Sendable {
    let pointer: OpaquePointer
}
