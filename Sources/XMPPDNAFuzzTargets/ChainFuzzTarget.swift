import CXMPPDNA

/// Input: one flags byte (bit 0 PEM instead of DER, bit 1 inbound, bit 2 the
/// legacy CN fallback), then up to eight length-prefixed certificates.
enum ChainFuzzTarget {
    private static let strict = SharedHandle(pointer: FuzzFixtures.context())
    private static let cnFallback = SharedHandle(pointer: FuzzFixtures.context(flags: XMPPDNA_FLAG_CN_FALLBACK))
    private static func request(inbound: Bool) -> SharedHandle {
        let name = "host1.example.net"
        guard let request = pkiRequest("example.com", direction: inbound ? XMPPDNA_DIR_INBOUND : XMPPDNA_DIR_OUTBOUND),
              xmppdna_request_add_ref(request, XMPPDNA_ID_NAME, name, name.utf8.count) == XMPPDNA_OK else { fatalError("request") }
        return SharedHandle(pointer: request)
    }
    private static let outbound = request(inbound: false)
    private static let inbound = request(inbound: true)

    static func run(_ input: inout FuzzInput) {
        let flags = input.byte()
        var chain: OpaquePointer?
        guard xmppdna_chain_new(&chain) == XMPPDNA_OK, let chain else { fatalError("chain_new") }
        defer { xmppdna_chain_free(chain) }
        for _ in 0..<8 {
            guard let piece = input.chunk() else { break }
            let before = xmppdna_chain_count(chain)
            let rc = piece.withUnsafeBytes { bytes in
                flags & 1 == 1
                    ? xmppdna_chain_add_pem(chain, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), bytes.count)
                    : xmppdna_chain_add_der(chain, bytes.baseAddress, bytes.count)
            }
            // A failed add leaves the chain as it was.
            if rc != XMPPDNA_OK { VerdictReading.check(xmppdna_chain_count(chain) == before, "a refused certificate was added") }
        }
        let ctx = flags & 4 == 4 ? cnFallback.pointer : strict.pointer
        let request = flags & 2 == 2 ? inbound.pointer : outbound.pointer
        var verdict: OpaquePointer?
        let rc = xmppdna_verify(ctx, chain, request, &verdict)
        VerdictReading.check(rc == XMPPDNA_OK && verdict != nil, "verify returned \(rc)")
        if let verdict {
            VerdictReading.read(verdict: verdict)
            if xmppdna_chain_count(chain) == 0 {
                VerdictReading.check(xmppdna_verdict_accepted(verdict) == 0, "an empty chain was accepted")
            }
            xmppdna_verdict_free(verdict)
        }
    }
}
