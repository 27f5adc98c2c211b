import CXMPPDNA

/// Input: one flags byte (bit 0 the hosting certificate's chain, bit 1
/// inbound), then the POSH document. POSH compares fingerprints; the chain
/// is verified too, as in every DNA verdict.
enum POSHFuzzTarget {
    static func run(_ input: inout FuzzInput) {
        let flags = input.byte()
        let document = input.rest()
        DNAFuzzVerification.run(domain: "insecure.example", inbound: flags & 2 == 2, hosting: flags & 1 == 1,
                                prooftypes: [XMPPDNA_PROOF_POSH]) { request in
            let rc = document.withUnsafeBytes {
                xmppdna_request_set_posh(request, $0.baseAddress?.assumingMemoryBound(to: CChar.self), $0.count)
            }
            VerdictReading.check(rc == XMPPDNA_OK || (document.isEmpty && rc == XMPPDNA_EMISUSE), "set_posh returned \(rc)")
        }
    }
}
