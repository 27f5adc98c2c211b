import CXMPPDNA

/// Input: one flags byte (bit 0 PEM instead of DER, bit 1 inbound, bit 2 the
/// legacy CN fallback), then up to eight length-prefixed certificates.
enum ChainFuzzTarget {
    private static let strict = SharedHandle(pointer: FuzzFixtures.context())
    private static let cnFallback = SharedHandle(pointer: FuzzFixtures.context(flags: XMPPDNA_FLAG_CN_FALLBACK))
    private static let refs: SharedHandle = {
        var refs: OpaquePointer?
        guard xmppdna_refs_new("example.com", XMPPDNA_SERVICE_XMPP_SERVER, &refs) == XMPPDNA_OK, let refs,
              xmppdna_refs_add_name(refs, "host1.example.net") == XMPPDNA_OK else { fatalError("refs") }
        return SharedHandle(pointer: refs)
    }()

    static func run(_ input: inout FuzzInput) {
        let flags = input.byte()
        var chain: OpaquePointer?
        guard xmppdna_chain_new(&chain) == XMPPDNA_OK, let chain else { fatalError("chain_new") }
        defer { xmppdna_chain_free(chain) }
        for _ in 0..<8 {
            guard let piece = input.chunk() else { break }
            let before = xmppdna_chain_length(chain)
            let rc = piece.withUnsafeBytes { bytes in
                flags & 1 == 1
                    ? xmppdna_chain_add_pem(chain, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), bytes.count)
                    : xmppdna_chain_add_der(chain, bytes.baseAddress, bytes.count)
            }
            // A failed add leaves the chain as it was.
            if rc != XMPPDNA_OK { VerdictReading.check(xmppdna_chain_length(chain) == before, "a refused certificate was added") }
        }
        var ids: OpaquePointer?
        if xmppdna_chain_idset(chain, &ids) == XMPPDNA_OK, let ids {
            VerdictReading.read(idset: ids)
            xmppdna_idset_free(ids)
        }
        let ctx = flags & 4 == 4 ? cnFallback.pointer : strict.pointer
        var verdict: OpaquePointer?
        let rc = xmppdna_verify_pki(ctx, chain, refs.pointer, flags & 2 == 2 ? XMPPDNA_DIR_INBOUND : XMPPDNA_DIR_OUTBOUND, &verdict)
        if xmppdna_chain_length(chain) == 0 {
            VerdictReading.check(rc == XMPPDNA_EMISUSE && verdict == nil, "an empty chain gave \(rc)")
            return
        }
        VerdictReading.check(rc == XMPPDNA_OK && verdict != nil, "verify_pki returned \(rc)")
        if let verdict {
            VerdictReading.read(verdict: verdict)
            xmppdna_verdict_free(verdict)
        }
    }
}
