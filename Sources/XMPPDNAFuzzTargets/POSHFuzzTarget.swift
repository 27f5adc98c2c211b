import CXMPPDNA

/// Input: one flags byte (bit 0 the hosting certificate's chain, bit 1
/// inbound), then the POSH document.
enum POSHFuzzTarget {
    private static let ctx = SharedHandle(pointer: FuzzFixtures.context())
    private static let fullChain = SharedHandle(pointer: FuzzFixtures.chain("pki/full-chain.pem"))
    private static let hostChain = SharedHandle(pointer: FuzzFixtures.chain("pki/host1-chain.pem"))

    static func run(_ input: inout FuzzInput) {
        let flags = input.byte()
        let document = input.rest()
        var request: OpaquePointer?
        let direction = flags & 2 == 2 ? XMPPDNA_DIR_INBOUND : XMPPDNA_DIR_OUTBOUND
        guard xmppdna_dna_request_new("insecure.example", XMPPDNA_SERVICE_XMPP_SERVER, direction, &request) == XMPPDNA_OK,
              let request else { fatalError("dna_request_new") }
        defer { xmppdna_dna_request_free(request) }
        let prooftypes: [Int32] = [XMPPDNA_PROOF_POSH]
        guard xmppdna_dna_request_set_prooftypes(request, prooftypes, 1) == XMPPDNA_OK else { fatalError("prooftypes") }
        let rc = document.withUnsafeBytes {
            xmppdna_dna_request_set_posh(request, $0.baseAddress?.assumingMemoryBound(to: CChar.self), $0.count)
        }
        VerdictReading.check(rc == XMPPDNA_OK || (document.isEmpty && rc == XMPPDNA_EMISUSE), "set_posh returned \(rc)")
        var verdict: OpaquePointer?
        let chain = flags & 1 == 1 ? hostChain.pointer : fullChain.pointer
        let verified = xmppdna_verify_dna(ctx.pointer, chain, request, &verdict)
        VerdictReading.check(verified == XMPPDNA_OK && verdict != nil, "verify_dna returned \(verified)")
        if let verdict {
            VerdictReading.read(dna: verdict)
            xmppdna_dna_free(verdict)
        }
    }
}
