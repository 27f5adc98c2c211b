import CXMPPDNA

/// Cuts one fuzz input into the pieces a target needs; running out of
/// bytes is normal and yields zeros and empty pieces, never a trap.
struct FuzzInput {
    private var bytes: ArraySlice<UInt8>

    init(_ data: UnsafeRawBufferPointer) { bytes = ArraySlice(data) }
    init(_ data: [UInt8]) { bytes = data[...] }

    var isEmpty: Bool { bytes.isEmpty }

    mutating func byte() -> UInt8 { bytes.popFirst() ?? 0 }

    /// A corpus status digit, in the corpus's own order (0 secure, 1
    /// insecure, 2 bogus, 3 indeterminate), so the seeds keep their meaning
    /// whatever the ABI numbers; any other byte is passed on as an invalid status.
    static func dnssecStatus(digit: UInt8) -> Int32 {
        let corpusOrder = [XMPPDNA_DNSSEC_SECURE, XMPPDNA_DNSSEC_INSECURE, XMPPDNA_DNSSEC_BOGUS, XMPPDNA_DNSSEC_INDETERMINATE]
        let value = Int(digit) - Int(UInt8(ascii: "0"))
        return corpusOrder.indices.contains(value) ? corpusOrder[value] : Int32(value)
    }

    /// A piece with a two-byte big-endian length in front (clipped to what is left).
    mutating func chunk() -> [UInt8]? {
        guard bytes.count >= 2 else { return nil }
        let length = Int(byte()) << 8 | Int(byte())
        let piece = bytes.prefix(length)
        bytes = bytes.dropFirst(piece.count)
        return Array(piece)
    }

    /// Everything left.
    mutating func rest() -> [UInt8] {
        defer { bytes = [] }
        return Array(bytes)
    }

    /// Everything left, split at newlines (no line is dropped, empty ones included).
    mutating func lines() -> [[UInt8]] {
        rest().split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map(Array.init)
    }
}

extension Array where Element == UInt8 {
    /// The bytes as a C string argument; a NUL inside ends it early, as it
    /// would for a C caller.
    func withCString<R>(_ body: (UnsafePointer<CChar>) -> R) -> R {
        (self + [0]).withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count, body)
        }
    }
}
