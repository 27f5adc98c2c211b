import CXMPPDNA

/// Input: lines "T value" where T is an identifier type digit; lines before
/// the first empty line are reference identifiers, the rest are presented.
/// A first line starting with "D" names a domain for xmppdna_refs_new.
enum MatchFuzzTarget {
    private static let strict = SharedHandle(pointer: FuzzFixtures.context(flags: XMPPDNA_FLAG_NO_PKIX))
    private static let cnFallback = SharedHandle(pointer: FuzzFixtures.context(flags: XMPPDNA_FLAG_NO_PKIX | XMPPDNA_FLAG_CN_FALLBACK))

    static func run(_ input: inout FuzzInput) {
        let flags = input.byte()
        var lines = input.lines()[...]
        var refs: OpaquePointer?
        if let first = lines.first, first.first == UInt8(ascii: "D") {
            lines = lines.dropFirst()
            let service = flags & 2 == 2 ? XMPPDNA_SERVICE_XMPP_CLIENT : XMPPDNA_SERVICE_XMPP_SERVER
            _ = Array(first.dropFirst()).withCString { xmppdna_refs_new($0, service, &refs) }
        }
        if refs == nil { guard xmppdna_refs_new_empty(&refs) == XMPPDNA_OK else { fatalError("refs_new_empty") } }
        var ids: OpaquePointer?
        guard let refs, xmppdna_idset_new(&ids) == XMPPDNA_OK, let ids else { fatalError("idset_new") }
        defer { xmppdna_refs_free(refs); xmppdna_idset_free(ids) }
        var presentedSide = false
        for line in lines.prefix(64) {
            if line.isEmpty { presentedSide = true; continue }
            let type = Int32(line[0]) - Int32(UInt8(ascii: "0"))
            let value = Array(line.dropFirst(min(2, line.count)))
            _ = value.withUnsafeBytes { bytes in
                presentedSide
                    ? xmppdna_idset_add(ids, type, bytes.baseAddress, bytes.count)
                    : xmppdna_refs_add(refs, type, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), bytes.count)
            }
            if line[0] == UInt8(ascii: "N") { _ = value.withCString { xmppdna_refs_add_name(refs, $0) } }
        }
        for i in 0..<xmppdna_refs_count(refs) {
            var type: Int32 = 0
            var value: UnsafePointer<CChar>?
            VerdictReading.check(xmppdna_refs_get(refs, i, &type, &value) == XMPPDNA_OK && value != nil, "reference \(i) unreadable")
        }
        VerdictReading.read(idset: ids)
        var verdict: OpaquePointer?
        let ctx = flags & 1 == 1 ? cnFallback.pointer : strict.pointer
        let rc = xmppdna_match(ctx, ids, refs, &verdict)
        VerdictReading.check(rc == XMPPDNA_OK && verdict != nil, "match returned \(rc)")
        if let verdict {
            VerdictReading.read(verdict: verdict)
            xmppdna_verdict_free(verdict)
        }
    }
}
