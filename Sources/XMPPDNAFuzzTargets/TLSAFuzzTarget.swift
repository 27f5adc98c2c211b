import CXMPPDNA

/// Input: one flags byte (bit 0 the hosting certificate's chain instead of
/// the domain's, bit 1 DANE then PKI instead of DANE alone, bit 2 inbound),
/// then lines "S USAGE SELECTOR MTYPE HEX" where S is the DNSSEC status digit.
enum TLSAFuzzTarget {
    static func run(_ input: inout FuzzInput) {
        let flags = input.byte()
        let lines = input.lines()
        let prooftypes: [Int32] = flags & 2 == 2 ? [XMPPDNA_PROOF_DANE, XMPPDNA_PROOF_PKI] : [XMPPDNA_PROOF_DANE]
        DNAFuzzVerification.run(domain: "example.com", inbound: flags & 4 == 4, hosting: flags & 1 == 1,
                                prooftypes: prooftypes) { request in
            for line in lines.prefix(16) where !line.isEmpty {
                let status = FuzzInput.dnssecStatus(digit: line[0])
                let rc = Array(line.dropFirst(min(2, line.count))).withCString {
                    xmppdna_request_add_tlsa(request, nil, 0, $0, status)
                }
                VerdictReading.check([XMPPDNA_OK, XMPPDNA_EBADNAME, XMPPDNA_EINVAL, XMPPDNA_EENCODING].contains(rc),
                                     "add_tlsa returned \(rc)")
            }
        }
    }
}
