/// The version of the JSON documents xmppdna writes (verdicts, name lists,
/// `xmppdna check`), carried in each as "schema_version". It goes up when a
/// field is removed, renamed or changes meaning; added fields keep it.
public enum JSONSchema {
    public static let version: Int64 = 1
}

extension JSONSchema {
    /// A top-level document: `object` with "schema_version" first.
    package static func document(_ object: JSONWriter.Value) -> String {
        guard case .object(let fields) = object else { return JSONWriter.render(object) }
        return JSONWriter.render(.object([("schema_version", .int(version))] + fields))
    }
}
