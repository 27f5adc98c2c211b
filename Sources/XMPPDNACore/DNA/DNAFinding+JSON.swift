extension DNAFinding {
    /// The finding as a JSON object; the layout is documented with
    /// xmppdna_verdict_json() in include/xmppdna.h. Absent fields are left out.
    package var jsonValue: JSONWriter.Value {
        var fields: [(String, JSONWriter.Value)] = [
            ("code", .string(code.tag)),
            ("number", .int(Int64(code.rawValue))),
            ("prooftype", .string(prooftype.rawValue)),
        ]
        if let subject { fields.append(("subject", .string(subject))) }
        if let expected { fields.append(("expected", .string(expected))) }
        if let seen { fields.append(("seen", .string(seen))) }
        if let dnssec {
            fields.append(("dnssec", .string(dnssec.tag)))
            if extendedErrorCode != 0 { fields.append(("extended_error", .int(Int64(extendedErrorCode)))) }
        }
        if opensslCode != 0 { fields.append(("openssl_code", .int(Int64(opensslCode)))) }
        if depth != 0 { fields.append(("depth", .int(Int64(depth)))) }
        if let detail { fields.append(("detail", .string(detail))) }
        fields.append(("text", .string(text)))
        return .object(fields)
    }
}
