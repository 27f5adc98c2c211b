import CXMPPDNA

/// Input: one flags byte (bit 0 the hosting certificate's chain instead of
/// the domain's, bit 1 DANE then PKI instead of DANE alone, bit 2 inbound),
/// then lines "S USAGE SELECTOR MTYPE HEX" where S is the DNSSEC status digit.
enum TLSAFuzzTarget {
    private static let ctx = SharedHandle(pointer: FuzzFixtures.context())
    private static let fullChain = SharedHandle(pointer: FuzzFixtures.chain("pki/full-chain.pem"))
    private static let hostChain = SharedHandle(pointer: FuzzFixtures.chain("pki/host1-chain.pem"))

    static func run(_ input: inout FuzzInput) {
        let flags = input.byte()
        var request: OpaquePointer?
        let direction = flags & 4 == 4 ? XMPPDNA_DIR_INBOUND : XMPPDNA_DIR_OUTBOUND
        guard xmppdna_dna_request_new("example.com", XMPPDNA_SERVICE_XMPP_SERVER, direction, &request) == XMPPDNA_OK,
              let request else { fatalError("dna_request_new") }
        defer { xmppdna_dna_request_free(request) }
        let prooftypes: [Int32] = flags & 2 == 2 ? [XMPPDNA_PROOF_DANE, XMPPDNA_PROOF_PKI] : [XMPPDNA_PROOF_DANE]
        guard xmppdna_dna_request_set_prooftypes(request, prooftypes, prooftypes.count) == XMPPDNA_OK else { fatalError("prooftypes") }
        for line in input.lines().prefix(16) where !line.isEmpty {
            let status = Int32(line[0]) - Int32(UInt8(ascii: "0"))
            let rc = Array(line.dropFirst(min(2, line.count))).withCString {
                xmppdna_dna_request_add_tlsa(request, nil, 0, $0, status)
            }
            VerdictReading.check([XMPPDNA_OK, XMPPDNA_EBADNAME, XMPPDNA_EINVAL, XMPPDNA_EENCODING].contains(rc), "add_tlsa returned \(rc)")
        }
        var verdict: OpaquePointer?
        let chain = flags & 1 == 1 ? hostChain.pointer : fullChain.pointer
        let rc = xmppdna_verify_dna(ctx.pointer, chain, request, &verdict)
        VerdictReading.check(rc == XMPPDNA_OK && verdict != nil, "verify_dna returned \(rc)")
        if let verdict {
            VerdictReading.read(dna: verdict)
            xmppdna_dna_free(verdict)
        }
    }
}
