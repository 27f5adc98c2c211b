/// Text for HTML: the five characters that could end an element, an
/// attribute or a script block escaped; control characters dropped.
enum HTMLText {
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                if scalar.value >= 0x20 && scalar.value != 0x7F || scalar == "\n" || scalar == "\t" {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// A JSON document inside <script type="application/json">: "</" and
    /// "<!--" cannot end or confuse the block once "<" is written \u003c,
    /// which every JSON reader turns back into "<".
    static func scriptJSON(_ json: String) -> String {
        json.replacingAll("<", with: "\\u003c")
    }
}

extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for character in self { if character == target { out += replacement } else { out.append(character) } }
        return out
    }
}
