import CXMPPDNA

/// What the tlsa and posh targets share: a DNA request for one domain
/// against one of the fixture chains, verified and read in full.
enum DNAFuzzVerification {
    private static let chainChecking = SharedHandle(pointer: FuzzFixtures.context())
    private static let domainChain = SharedHandle(pointer: FuzzFixtures.chain("pki/full-chain.pem"))
    private static let hostingChain = SharedHandle(pointer: FuzzFixtures.chain("pki/host1-chain.pem"))

    /// `supply` adds the fuzzed evidence to the request. The context has no
    /// DNS server, so only the supplied evidence counts.
    static func run(domain: String, inbound: Bool, hosting: Bool, prooftypes: [Int32],
                    supply: (OpaquePointer) -> Void) {
        var request: OpaquePointer?
        guard xmppdna_request_new(domain, XMPPDNA_SERVICE_XMPP_SERVER, inbound ? XMPPDNA_DIR_INBOUND : XMPPDNA_DIR_OUTBOUND,
                                  &request) == XMPPDNA_OK, let request else { fatalError("request_new") }
        defer { xmppdna_request_free(request) }
        guard xmppdna_request_set_prooftypes(request, prooftypes, prooftypes.count) == XMPPDNA_OK else { fatalError("prooftypes") }
        supply(request)
        var verdict: OpaquePointer?
        let rc = xmppdna_verify(chainChecking.pointer, hosting ? hostingChain.pointer : domainChain.pointer, request, &verdict)
        VerdictReading.check(rc == XMPPDNA_OK && verdict != nil, "verify returned \(rc)")
        if let verdict {
            VerdictReading.read(verdict: verdict)
            xmppdna_verdict_free(verdict)
        }
    }
}
