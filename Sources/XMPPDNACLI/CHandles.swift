import CXMPPDNA

/// Owners for C handles: each frees its handle exactly once, in deinit.
final class Context {
    let pointer: OpaquePointer
    init() throws {
        var ctx: OpaquePointer?
        let rc = xmppdna_ctx_new(&ctx)
        guard rc == XMPPDNA_OK, let ctx else { throw InputError(code: rc, "cannot create a context") }
        pointer = ctx
    }
    deinit { xmppdna_ctx_free(pointer) }
}

final class References {
    let pointer: OpaquePointer
    init(domain: String, service: Int32) throws {
        var refs: OpaquePointer?
        let rc = xmppdna_refs_new(domain, service, &refs)
        guard rc == XMPPDNA_OK, let refs else { throw InputError(code: rc, "invalid domain \"\(domain)\"") }
        pointer = refs
    }
    init(owning pointer: OpaquePointer) { self.pointer = pointer }
    deinit { xmppdna_refs_free(pointer) }

    func addName(_ name: String) throws {
        let rc = xmppdna_refs_add_name(pointer, name)
        guard rc == XMPPDNA_OK else { throw InputError(code: rc, "invalid --name \"\(name)\"") }
    }

    var entries: [(type: Int32, value: String)] {
        (0..<xmppdna_refs_count(pointer)).compactMap { i in
            var type: Int32 = 0
            var value: UnsafePointer<CChar>?
            guard xmppdna_refs_get(pointer, i, &type, &value) == XMPPDNA_OK, let value else { return nil }
            return (type, String(cString: value))
        }
    }
}

final class Chain {
    let pointer: OpaquePointer
    init(bytes: [UInt8], source: String) throws {
        var chain: OpaquePointer?
        let created = xmppdna_chain_new(&chain)
        guard created == XMPPDNA_OK, let chain else { throw InputError(code: created, "cannot create a chain") }
        pointer = chain
        let rc: Int32
        if !Chain.looksLikeDER(bytes) {
            rc = bytes.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { xmppdna_chain_add_pem(chain, $0.baseAddress, $0.count) }
            }
        } else {
            rc = bytes.withUnsafeBytes { xmppdna_chain_add_der(chain, $0.baseAddress, $0.count) }
        }
        guard rc == XMPPDNA_OK else { throw InputError(code: rc, "cannot read a certificate from \(source)") }
    }
    deinit { xmppdna_chain_free(pointer) }

    /// A certificate is an ASN.1 SEQUENCE longer than 127 octets, so DER
    /// starts 0x30 0x81...0x84; PEM, even with text before it, never does.
    private static func looksLikeDER(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x30 && (0x81...0x84).contains(bytes[1])
    }
}

final class Verdict {
    let pointer: OpaquePointer
    private let owned: Bool
    /// Keeps the lender of a borrowed verdict alive.
    private let lender: AnyObject?

    init(owning pointer: OpaquePointer) {
        self.pointer = pointer
        owned = true
        lender = nil
    }

    init(borrowing pointer: OpaquePointer, from lender: AnyObject) {
        self.pointer = pointer
        owned = false
        self.lender = lender
    }

    deinit { if owned { xmppdna_verdict_free(pointer) } }

    var accepted: Bool { xmppdna_verdict_accepted(pointer) == 1 }
    var chainStatus: Int32 { xmppdna_verdict_chain_status(pointer) }

    var chainError: (code: Int32, depth: Int32, text: String)? {
        var code: Int32 = 0
        var depth: Int32 = 0
        var text: UnsafePointer<CChar>?
        guard xmppdna_verdict_chain_error(pointer, &code, &depth, &text) == XMPPDNA_OK, let text else { return nil }
        return (code, depth, String(cString: text))
    }

    var matches: [(refType: Int32, ref: String, presentedType: Int32, presented: String)] {
        (0..<xmppdna_verdict_match_count(pointer)).compactMap { i in
            var refType: Int32 = 0, presentedType: Int32 = 0
            var ref: UnsafePointer<CChar>?, presented: UnsafePointer<CChar>?
            guard xmppdna_verdict_match(pointer, i, &refType, &ref, &presentedType, &presented) == XMPPDNA_OK,
                  let ref, let presented else { return nil }
            return (refType, String(cString: ref), presentedType, String(cString: presented))
        }
    }

    var reasons: [String] {
        (0..<xmppdna_verdict_reason_count(pointer)).compactMap { xmppdna_verdict_reason(pointer, $0).map { String(cString: $0) } }
    }

    /// Presented identifiers; the set is borrowed from the verdict.
    var presented: [(type: Int32, value: String, usable: Bool, problem: String?)] {
        guard let ids = xmppdna_verdict_presented(pointer) else { return [] }
        return (0..<xmppdna_idset_count(ids)).compactMap { i in
            var type: Int32 = 0, usable: Int32 = 0
            var value: UnsafePointer<CChar>?, problem: UnsafePointer<CChar>?
            guard xmppdna_idset_get(ids, i, &type, &value, &usable, &problem) == XMPPDNA_OK, let value else { return nil }
            return (type, String(cString: value), usable == 1, problem.map { String(cString: $0) })
        }
    }

    var json: String? {
        var out: UnsafeMutablePointer<CChar>?
        guard xmppdna_verdict_json(pointer, &out) == XMPPDNA_OK, let out else { return nil }
        defer { xmppdna_free(out) }
        return String(cString: out)
    }
}

func identifierName(_ type: Int32) -> String {
    switch type {
    case XMPPDNA_ID_DNS: return "DNS-ID"
    case XMPPDNA_ID_SRV: return "SRV-ID"
    case XMPPDNA_ID_XMPP: return "XmppAddr"
    case XMPPDNA_ID_URI: return "URI-ID"
    case XMPPDNA_ID_IP: return "IP"
    case XMPPDNA_ID_CN: return "CN"
    default: return "identifier"
    }
}
