import CXMPPDNA
import CXMPPDNAShim

/// Differential: DNS-ID matching against OpenSSL's X509_check_host (no
/// partial wildcards, never the subject) on the inputs where RFC 9525 and
/// OpenSSL agree: LDH host names, a wildcard only as a whole leftmost label
/// with two labels after it. Any other disagreement is a finding.
/// Input: line 0 the reference identifier, lines 1... up to 8 dNSName SANs.
enum MatchDifferentialFuzzTarget {
    private static let ctx = SharedHandle(pointer: FuzzFixtures.context())
    private static let namesOnly = UInt32(XMPPDNA_REQUEST_NO_LOOKUPS | XMPPDNA_REQUEST_NAMES_ONLY)

    static func run(_ input: inout FuzzInput) {
        let lines = input.lines()
        guard let reference = lines.first, isComparable(reference, wildcardAllowed: false) else { return }
        let sans = lines.dropFirst().prefix(8).filter { isComparable($0, wildcardAllowed: true) }
        guard !sans.isEmpty else { return }
        let ours = xmppdnaMatches(reference: reference, sans: Array(sans))
        let openssl = opensslMatches(reference: reference, sans: Array(sans))
        if ours != openssl {
            let names = sans.map { String(decoding: $0, as: UTF8.self) }
            fatalError("differential: reference \(String(decoding: reference, as: UTF8.self)) against \(names): xmppdna \(ours), OpenSSL \(openssl)")
        }
    }

    private static func xmppdnaMatches(reference: [UInt8], sans: [[UInt8]]) -> Bool {
        guard let request = pkiRequest(MatchFuzzTarget.unmatchedDomain, flags: namesOnly) else { fatalError("request") }
        defer { xmppdna_request_free(request) }
        let added = reference.withUnsafeBytes {
            xmppdna_request_add_ref(request, XMPPDNA_ID_DNS, $0.baseAddress?.assumingMemoryBound(to: CChar.self), $0.count)
        }
        VerdictReading.check(added == XMPPDNA_OK, "a comparable reference was refused: \(added)")
        for san in sans { _ = san.withUnsafeBytes { xmppdna_request_add_presented(request, XMPPDNA_ID_DNS, $0.baseAddress, $0.count) } }
        var verdict: OpaquePointer?
        guard xmppdna_verify(ctx.pointer, nil, request, &verdict) == XMPPDNA_OK, let verdict else { fatalError("verify") }
        defer { xmppdna_verdict_free(verdict) }
        // Only a match of the fuzzed reference counts, not one of the request's own domain.
        let wanted = String(decoding: reference, as: UTF8.self).lowercased()
        return (0..<xmppdna_verdict_match_count(verdict)).contains { i in
            var type: Int32 = 0
            var value: UnsafePointer<CChar>?
            return xmppdna_verdict_match_get(verdict, i, &type, &value, nil, nil) == XMPPDNA_OK && type == XMPPDNA_ID_DNS
                && value.map { String(cString: $0) } == wanted
        }
    }

    private static func opensslMatches(reference: [UInt8], sans: [[UInt8]]) -> Bool {
        guard let certificate = X509_new() else { fatalError("X509_new") }
        defer { X509_free(certificate) }
        let value = sans.map { "DNS:" + String(decoding: $0, as: UTF8.self) }.joined(separator: ",")
        guard let extensionValue = X509V3_EXT_conf_nid(nil, nil, NID_subject_alt_name, value) else {
            fatalError("OpenSSL refused the SAN list \(value)")
        }
        defer { X509_EXTENSION_free(extensionValue) }
        guard X509_add_ext(certificate, extensionValue, -1) == 1 else { fatalError("X509_add_ext") }
        let flags = UInt32(X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS | X509_CHECK_FLAG_NEVER_CHECK_SUBJECT)
        let result = reference.withUnsafeBytes {
            X509_check_host(certificate, $0.baseAddress?.assumingMemoryBound(to: CChar.self), $0.count, flags, nil)
        }
        VerdictReading.check(result >= 0, "X509_check_host failed internally")
        return result == 1
    }

    /// LDH labels of 1...63 octets, 2+ labels, at most 253 octets, no A-labels
    /// or other reserved "??--" labels, not all-numeric at the top; a SAN
    /// may start with a "*" label followed by at least two labels.
    static func isComparable(_ name: [UInt8], wildcardAllowed: Bool) -> Bool {
        guard (1...253).contains(name.count) else { return false }
        let labels = name.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return false }
        for (index, label) in labels.enumerated() {
            if index == 0 && wildcardAllowed && label.elementsEqual([UInt8(ascii: "*")]) {
                guard labels.count >= 3 else { return false }
                continue
            }
            guard (1...63).contains(label.count),
                  label.allSatisfy({ isLetterOrDigit($0) || $0 == UInt8(ascii: "-") }),
                  label.first != UInt8(ascii: "-"), label.last != UInt8(ascii: "-") else { return false }
            let body = Array(label)
            if body.count >= 4 && body[2] == UInt8(ascii: "-") && body[3] == UInt8(ascii: "-") { return false }
        }
        return !labels.last!.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }

    private static func isLetterOrDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
