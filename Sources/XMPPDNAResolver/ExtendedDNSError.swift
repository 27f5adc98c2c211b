import XMPPDNACore

/// An RFC 8914 Extended DNS Error from a response's OPT record: an
/// INFO-CODE and the resolver's EXTRA-TEXT. It comes off the network, so it
/// is read defensively: an option too short for its INFO-CODE is skipped,
/// the text is decoded leniently (invalid UTF-8 becomes U+FFFD), white space
/// becomes a plain space, other control and format characters U+FFFD, and
/// the text is cut to a bounded length.
struct ExtendedDNSError: Hashable, Sendable {
    /// The EDNS option code of an Extended DNS Error (RFC 8914 section 2).
    static let optionCode: UInt16 = 15
    /// At most this many Unicode scalars of EXTRA-TEXT are kept (Unbound's
    /// validation failure texts run to about 300).
    static let maxTextScalars = 512

    let code: UInt16
    /// The EXTRA-TEXT, cleaned as above; empty when none was sent.
    let text: String

    init(code: UInt16, text: String) {
        self.code = code
        self.text = text
    }

    /// Reads one option's data; nil when it cannot hold an INFO-CODE.
    init?(optionData data: [UInt8]) {
        guard data.count >= 2 else { return nil }
        code = UInt16(data[0]) << 8 | UInt16(data[1])
        text = ExtendedDNSError.clean(data.dropFirst(2))
    }

    /// Every well-formed Extended DNS Error of the response, in wire order.
    static func all(in packet: DNSPacket) -> [ExtendedDNSError] {
        packet.ednsOptions.compactMap { $0.code == optionCode ? ExtendedDNSError(optionData: $0.data) : nil }
    }

    /// The one a verdict rests on: a DNSSEC failure if there is one (a
    /// specific code 7-12 before the generic 6 DNSSEC Bogus), else the first.
    static func decisive(_ errors: [ExtendedDNSError]) -> ExtendedDNSError? {
        errors.first { $0.isDNSSECFailure && $0.code != 6 } ?? errors.first(where: \.isDNSSECFailure) ?? errors.first
    }

    /// RFC 8914 codes 6-12: the resolver validated the data and it failed.
    var isDNSSECFailure: Bool { (6...12).contains(code) }

    /// "EDE 22 (No Reachable Authority): text", or without the text part.
    var summary: String {
        let name = ExtendedDNSError.names[Int(code)] ?? "unassigned"
        return "EDE \(code) (\(name))" + (text.isEmpty ? "" : ": \(text)")
    }

    /// RFC 8914 section 5.2.
    private static let names: [Int: String] = [
        0: "Other Error", 1: "Unsupported DNSKEY Algorithm", 2: "Unsupported DS Digest Type", 3: "Stale Answer",
        4: "Forged Answer", 5: "DNSSEC Indeterminate", 6: "DNSSEC Bogus", 7: "Signature Expired",
        8: "Signature Not Yet Valid", 9: "DNSKEY Missing", 10: "RRSIGs Missing", 11: "No Zone Key Bit Set",
        12: "NSEC Missing", 13: "Cached Error", 14: "Not Ready", 15: "Blocked", 16: "Censored", 17: "Filtered",
        18: "Prohibited", 19: "Stale NXDOMAIN Answer", 20: "Not Authoritative", 21: "Not Supported",
        22: "No Reachable Authority", 23: "Network Error", 24: "Invalid Data",
    ]

    private static func clean(_ bytes: ArraySlice<UInt8>) -> String {
        // Four bytes per scalar at most: enough input for the cut below.
        var input = bytes.prefix(maxTextScalars * 4 + 4)
        // RFC 8914 section 2: the text SHOULD NOT be NUL-terminated; some are.
        while input.last == 0 { input.removeLast() }
        var scalars = String.UnicodeScalarView()
        for (index, scalar) in String(decoding: input, as: UTF8.self).unicodeScalars.enumerated() {
            if index == maxTextScalars {
                scalars.append("…")
                break
            }
            if scalar.properties.isWhitespace {
                scalars.append(" ")  // line breaks and tabs too: the text lands on one line
                continue
            }
            switch scalar.properties.generalCategory {
            case .control, .format: scalars.append("\u{FFFD}")  // NUL, ESC, bidi overrides
            default: scalars.append(scalar)
            }
        }
        return String(String(scalars).trimmingSpaces)
    }
}

private extension String {
    var trimmingSpaces: Substring {
        let view = unicodeScalars
        guard let first = view.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = view.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return Substring(view[first...last])
    }
}
