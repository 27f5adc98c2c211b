/// A minimal JSON emitter; a hand-rolled writer keeps Foundation out of
/// the runtime. (Reading is JSONParser's job, for POSH documents.)
/// It writes UTF-8 bytes into one buffer: appending to a String scalar by
/// scalar was a fifth of a posh fuzz execution (perf).
package struct JSONWriter {
    private var bytes: [UInt8] = []

    package enum Value {
        case string(String)
        case bool(Bool)
        case int(Int64)
        case array([Value])
        case object([(String, Value)])
        case null
    }

    package static func render(_ value: Value) -> String {
        var writer = JSONWriter()
        writer.bytes.reserveCapacity(512)
        writer.write(value)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    package mutating func write(_ value: Value) {
        switch value {
        case .string(let s): writeString(s)
        case .bool(let b): append(b ? "true" : "false")
        case .int(let i): bytes.append(contentsOf: String(i).utf8)
        case .null: append("null")
        case .array(let items):
            append("[")
            for (i, item) in items.enumerated() {
                if i > 0 { append(",") }
                write(item)
            }
            append("]")
        case .object(let fields):
            append("{")
            for (i, (key, item)) in fields.enumerated() {
                if i > 0 { append(",") }
                writeString(key)
                append(":")
                write(item)
            }
            append("}")
        }
    }

    private mutating func append(_ literal: StaticString) {
        literal.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Only ASCII bytes are ever escaped, so working on UTF-8 bytes never
    /// splits a multi-byte sequence (all of whose bytes are >= 0x80).
    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == 0x7f || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    private mutating func writeString(_ s: String) {
        append("\"")
        if !s.utf8.contains(where: Self.needsEscape) {
            bytes.append(contentsOf: s.utf8)
        } else {
            for byte in s.utf8 { writeEscaping(byte) }
        }
        append("\"")
    }

    private mutating func writeEscaping(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): append("\\\"")
        case UInt8(ascii: "\\"): append("\\\\")
        case UInt8(ascii: "\n"): append("\\n")
        case UInt8(ascii: "\r"): append("\\r")
        case UInt8(ascii: "\t"): append("\\t")
        case _ where Self.needsEscape(byte): // what is left: controls and DEL
            let hexDigits: StaticString = "0123456789abcdef"
            append("\\u00")
            hexDigits.withUTF8Buffer {
                bytes.append($0[Int(byte >> 4)])
                bytes.append($0[Int(byte & 0xf)])
            }
        default: bytes.append(byte)
        }
    }
}
