import CIDN2

/// IDNA2008 conversion of U-labels to A-labels, by libidn2 (with UTS #46
/// non-transitional mapping, so "Bücher" and "bücher" agree).
enum IDNA {
    /// The ASCII (A-label) form of a UTF-8 domain name, or nil when libidn2
    /// refuses it. Pure-ASCII input is returned unchanged: it needs no
    /// conversion and libidn2 would reject the "_" of SRV labels.
    static func toASCII(_ name: String) -> String? {
        if name.utf8.allSatisfy({ $0 < 0x80 }) { return name }
        var output: UnsafeMutablePointer<UInt8>?
        let flags = Int32(IDN2_NFC_INPUT.rawValue | IDN2_NONTRANSITIONAL.rawValue)
        let rc = name.withCString { src in
            src.withMemoryRebound(to: UInt8.self, capacity: name.utf8.count + 1) {
                idn2_lookup_u8($0, &output, flags)
            }
        }
        guard rc == Int32(IDN2_OK.rawValue), let output else {
            if let output { idn2_free(output) }
            return nil
        }
        defer { idn2_free(output) }
        return String(cString: output)
    }
}
