import CXMPPDNA

/// Input: lines "T value" where T is an identifier type digit; lines before
/// the first empty line are reference identifiers (T "N": a name or IP),
/// the rest are presented. A first line starting with "D" names the
/// request's domain; without one (or when the library refuses it) the
/// domain is one nothing presented can match.
enum MatchFuzzTarget {
    static let unmatchedDomain = "xmppdna.fuzz-reference.invalid"
    private static let strict = SharedHandle(pointer: FuzzFixtures.context())
    private static let cnFallback = SharedHandle(pointer: FuzzFixtures.context(flags: XMPPDNA_FLAG_CN_FALLBACK))
    private static let namesOnly = UInt32(XMPPDNA_REQUEST_NO_LOOKUPS | XMPPDNA_REQUEST_NAMES_ONLY)

    static func run(_ input: inout FuzzInput) {
        let flags = input.byte()
        var lines = input.lines()[...]
        let service = flags & 2 == 2 ? XMPPDNA_SERVICE_XMPP_CLIENT : XMPPDNA_SERVICE_XMPP_SERVER
        var request: OpaquePointer?
        if let first = lines.first, first.first == UInt8(ascii: "D") {
            lines = lines.dropFirst()
            request = Array(first.dropFirst()).withCString { pkiRequest(String(cString: $0), service: service, flags: namesOnly) }
        }
        guard let request = request ?? pkiRequest(unmatchedDomain, service: service, flags: namesOnly) else { fatalError("request") }
        defer { xmppdna_request_free(request) }
        var presentedSide = false
        for line in lines.prefix(64) {
            if line.isEmpty { presentedSide = true; continue }
            let type = line[0] == UInt8(ascii: "N") ? XMPPDNA_ID_NAME : Int32(line[0]) - Int32(UInt8(ascii: "0"))
            let value = Array(line.dropFirst(min(2, line.count)))
            _ = value.withUnsafeBytes { bytes in
                presentedSide
                    ? xmppdna_request_add_presented(request, type, bytes.baseAddress, bytes.count)
                    : xmppdna_request_add_ref(request, type, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), bytes.count)
            }
        }
        var verdict: OpaquePointer?
        let ctx = flags & 1 == 1 ? cnFallback.pointer : strict.pointer
        let rc = xmppdna_verify(ctx, nil, request, &verdict)
        VerdictReading.check(rc == XMPPDNA_OK && verdict != nil, "verify returned \(rc)")
        if let verdict {
            VerdictReading.read(verdict: verdict)
            xmppdna_verdict_free(verdict)
        }
    }
}
