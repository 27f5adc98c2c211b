/// The byte-level syntax HTTP/1.1 framing is made of (RFC 9112 section 2,
/// RFC 9110 section 5): lines, fields, lists and numbers. Every function
/// takes what the server sent and checks it; none traps on any input.
enum HTTPSyntax {
    static let crlf: [UInt8] = [13, 10]

    /// Offset of the first `pattern` in `bytes`.
    static func find(_ pattern: [UInt8], in bytes: ArraySlice<UInt8>) -> Int? {
        guard bytes.count >= pattern.count else { return nil }
        return (bytes.startIndex...(bytes.endIndex - pattern.count)).first {
            bytes[$0..<$0 + pattern.count].elementsEqual(pattern)
        }
    }

    /// Lines separated by CRLF; a bare CR or LF stays inside its line, where
    /// the field and status-line checks refuse it.
    static func split(_ bytes: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
        var lines: [ArraySlice<UInt8>] = []
        var start = bytes.startIndex
        while let end = find(crlf, in: bytes[start...]) {
            lines.append(bytes[start..<end])
            start = end + 2
        }
        lines.append(bytes[start...])
        return lines
    }

    /// The line starting at `start`, up to (not including) its CRLF.
    static func line(in bytes: ArraySlice<UInt8>, from start: Int, _ what: String) throws(POSHError) -> Range<Int> {
        let window = bytes[start..<min(bytes.endIndex, start + maxLine + 2)]
        guard let end = find(crlf, in: window) else {
            guard window.count < maxLine + 2 else { throw .fetch("a \(what) line is longer than \(maxLine) bytes") }
            throw .fetch("the chunked body ended early, in a \(what) line")
        }
        return start..<end
    }

    private static var maxLine: Int { HTTPResponse.maxLineBytes }

    /// `name: value` (RFC 9112 section 5.1): a token name right before the
    /// colon, no obs-fold, no control character but HTAB in the value.
    static func field(_ line: ArraySlice<UInt8>) -> (String, String)? {
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex,
              line[..<colon].allSatisfy(isTokenByte) else { return nil }
        var low = colon + 1, high = line.endIndex
        while low < high, isWhitespace(line[low]) { low += 1 }
        while high > low, isWhitespace(line[high - 1]) { high -= 1 }
        let value = line[low..<high]
        guard value.allSatisfy(isFieldByte) else { return nil }
        return (String(decoding: line[..<colon], as: UTF8.self).lowercased(), latin1(value))
    }

    /// obs-text kept as opaque bytes (RFC 9110 section 5.5): one scalar per
    /// byte, so nothing is replaced and a value can be written back exactly.
    static func latin1(_ bytes: ArraySlice<UInt8>) -> String {
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: bytes.map { Unicode.Scalar($0) })
        return String(scalars)
    }

    /// The elements of comma-separated list fields, trimmed, empty ones
    /// dropped (RFC 9110 section 5.6.1).
    static func list(_ values: [String]) -> [String] {
        values.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters() }.filter { !$0.isEmpty }
    }

    /// Digits only (no sign, no prefix, no space), saturating at Int.max
    /// so that any overflowing length is simply too large; nil when empty
    /// or not a number.
    static func number(_ digits: some Collection<UInt8>, radix: Int) -> Int? {
        guard !digits.isEmpty else { return nil }
        var value = 0
        for byte in digits {
            guard let digit = digitValue(byte), digit < radix else { return nil }
            let (shifted, overflow) = value.multipliedReportingOverflow(by: radix)
            let (sum, carry) = shifted.addingReportingOverflow(digit)
            value = overflow || carry ? Int.max : sum
        }
        return value
    }

    static func digitValue(_ byte: UInt8) -> Int? {
        switch byte {
        case 48...57: return Int(byte - 48)
        case 65...70: return Int(byte - 55)
        case 97...102: return Int(byte - 87)
        default: return nil
        }
    }

    static func isDigit(_ byte: UInt8) -> Bool { (48...57).contains(byte) }

    static func isWhitespace(_ byte: UInt8) -> Bool { byte == 32 || byte == 9 }

    /// VCHAR, obs-text, SP and HTAB: what a field value, reason phrase or
    /// chunk extension may hold.
    static func isFieldByte(_ byte: UInt8) -> Bool { byte == 9 || (byte >= 32 && byte != 127) }

    /// RFC 9110 section 5.6.2.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case 48...57, 65...90, 97...122: return true
        default: return "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}
