/// One line of a name list's "records", as the name-list builder writes
/// them: "SRV OWNER PRIORITY WEIGHT PORT TARGET.", "CNAME OWNER TARGET",
/// "A OWNER ADDRESS", "A OWNER (none)", "no SRV at OWNER".
struct DNSRecordLine {
    enum Kind: Equatable {
        case srv(target: String, data: String)
        case cname(target: String)
        case address(type: String, value: String?)
        case noSRV
        case other
    }

    let owner: String
    let kind: Kind

    init(_ text: String) {
        let words = text.split(separator: " ").map(String.init)
        if words.count == 4, words[0] == "no", words[1] == "SRV", words[2] == "at" {
            owner = words[3]
            kind = .noSRV
            return
        }
        owner = words.count > 1 ? words[1] : text
        switch words.first {
        case "SRV" where words.count == 6:
            kind = .srv(target: DNSRecordLine.withoutDot(words[5]), data: words[2...].joined(separator: " "))
        case "CNAME" where words.count == 3:
            kind = .cname(target: DNSRecordLine.withoutDot(words[2]))
        case "A" where words.count == 3, "AAAA" where words.count == 3:
            kind = .address(type: words[0], value: words[2] == "(none)" ? nil : words[2])
        default:
            kind = .other
        }
    }

    private static func withoutDot(_ name: String) -> String {
        name.count > 1 && name.hasSuffix(".") ? String(name.dropLast()) : name
    }
}
