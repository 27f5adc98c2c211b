extension DNSSECStatus {
    /// "status", and for bogus or indeterminate "reason" (with the RFC 8914
    /// code as "extended_error" when bogus): the fields every JSON object
    /// with a DNSSEC status carries.
    package var jsonFields: [(String, JSONWriter.Value)] {
        var fields: [(String, JSONWriter.Value)] = [("status", .string(tag))]
        switch self {
        case .bogus(let reason):
            fields.append(("reason", .string(reason.description)))
            fields.append(("extended_error", .int(Int64(reason.extendedErrorCode))))
        case .indeterminate(let why):
            fields.append(("reason", .string(why)))
        default:
            break
        }
        return fields
    }
}
