/// How a DNSSEC status and a verdict look, in the drawing and on the page:
/// DNSViz's colours where it has them (secure blue, insecure black, bogus
/// red), orange for indeterminate.
enum StatusStyle {
    static let statuses = ["secure", "insecure", "bogus", "indeterminate"]

    static func colour(_ status: String) -> String {
        switch status {
        case "secure": return "#0a5fb4"
        case "bogus": return "#d0021b"
        case "indeterminate": return "#d97a00"
        default: return "#333333"
        }
    }

    /// Bogus and indeterminate links are dashed as well as coloured.
    static func line(_ status: String) -> String { status == "secure" || status == "insecure" ? "solid" : "dashed" }

    /// The weaker of two statuses, as a path is as strong as its weakest step.
    static func weaker(_ a: String, _ b: String) -> String {
        let order = ["bogus", "indeterminate", "insecure", "secure", "given"]
        return (order.firstIndex(of: a) ?? 0) <= (order.firstIndex(of: b) ?? 0) ? a : b
    }

    static let acceptableFill = "#fff1a8"
    static let verifiedFill = "#dff3dc"
    static let failedFill = "#fbdcdc"
    static let unreachableFill = "#e6e6e6"

    /// DNSSEC algorithm numbers (IANA registry) as an operator reads them.
    static func algorithm(_ number: Int64) -> String {
        switch number {
        case 5: return "RSASHA1"
        case 7: return "RSASHA1-NSEC3"
        case 8: return "RSASHA256"
        case 10: return "RSASHA512"
        case 13: return "ECDSAP256"
        case 14: return "ECDSAP384"
        case 15: return "ED25519"
        case 16: return "ED448"
        default: return "alg \(number)"
        }
    }

    static func digest(_ number: Int64) -> String {
        switch number {
        case 1: return "SHA-1"
        case 2: return "SHA-256"
        case 4: return "SHA-384"
        default: return "digest \(number)"
        }
    }
}
