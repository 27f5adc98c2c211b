/// Strict base64 (RFC 4648 section 4) for digests an attacker may write.
/// OpenSSL's EVP_DecodeBlock skips whitespace and counts padding as data,
/// so it cannot say "malformed" precisely; this decoder can.
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let values: [UInt8: UInt32] = Dictionary(uniqueKeysWithValues: alphabet.enumerated().map { ($1, UInt32($0)) })

    /// The decoded bytes, or nil unless `text` is canonical padded base64
    /// (RFC 4648 section 3.5: the unused bits must be zero).
    static func decode(_ text: String) -> [UInt8]? {
        let input = Array(text.utf8)
        guard input.count % 4 == 0 else { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(input.count / 4 * 3)
        for start in stride(from: 0, to: input.count, by: 4) {
            let quad = input[start..<start + 4]
            let last = start + 4 == input.count
            let padding = quad.reversed().prefix(while: { $0 == UInt8(ascii: "=") }).count
            guard padding <= 2, padding == 0 || last else { return nil }
            var bits: UInt32 = 0
            for byte in quad.dropLast(padding) {
                guard let value = values[byte] else { return nil }
                bits = bits << 6 | value
            }
            bits <<= UInt32(6 * padding)
            let bytes = [UInt8(bits >> 16 & 0xFF), UInt8(bits >> 8 & 0xFF), UInt8(bits & 0xFF)]
            let kept = 3 - padding
            guard bytes[kept...].allSatisfy({ $0 == 0 }) else { return nil }
            output.append(contentsOf: bytes[..<kept])
        }
        return output
    }

    static func encode(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        for start in stride(from: 0, to: bytes.count, by: 3) {
            let chunk = Array(bytes[start..<min(start + 3, bytes.count)])
            let bits = chunk.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (16 - 8 * UInt32($1.offset)) }
            for index in 0..<4 {
                output.append(index <= chunk.count ? alphabet[Int(bits >> (18 - 6 * UInt32(index)) & 0x3F)] : UInt8(ascii: "="))
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
