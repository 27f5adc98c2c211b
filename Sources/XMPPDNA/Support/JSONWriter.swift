/// A minimal JSON emitter; a hand-rolled writer keeps Foundation out of
/// the runtime. (Reading is JSONParser's job, for POSH documents.)
struct JSONWriter {
    private(set) var output = ""

    enum Value {
        case string(String)
        case bool(Bool)
        case int(Int64)
        case array([Value])
        case object([(String, Value)])
        case null
    }

    static func render(_ value: Value) -> String {
        var writer = JSONWriter()
        writer.write(value)
        return writer.output
    }

    mutating func write(_ value: Value) {
        switch value {
        case .string(let s): writeString(s)
        case .bool(let b): output += b ? "true" : "false"
        case .int(let i): output += String(i)
        case .null: output += "null"
        case .array(let items):
            output += "["
            for (i, item) in items.enumerated() {
                if i > 0 { output += "," }
                write(item)
            }
            output += "]"
        case .object(let fields):
            output += "{"
            for (i, (key, item)) in fields.enumerated() {
                if i > 0 { output += "," }
                writeString(key)
                output += ":"
                write(item)
            }
            output += "}"
        }
    }

    private mutating func writeString(_ s: String) {
        output += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7f {
                    let hex = String(scalar.value, radix: 16)
                    output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output += "\""
    }
}
