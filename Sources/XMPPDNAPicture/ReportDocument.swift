import XMPPDNACore

/// Read access to `xmppdna check --json`'s document, the one source the
/// page and the drawing are made from. A missing member or a value of
/// another type reads as empty, so any document renders.
struct ReportDocument {
    let value: JSONValue

    init(_ value: JSONValue) { self.value = value }

    subscript(_ key: String) -> ReportDocument {
        if case .object(let members) = value, let found = members.first(where: { $0.0 == key }) {
            return ReportDocument(found.1)
        }
        return ReportDocument(.null)
    }

    var string: String? {
        if case .string(let text) = value { return text }
        return nil
    }

    var text: String { string ?? "" }

    var int: Int64? {
        if case .number(let text) = value { return Int64(text) }
        return nil
    }

    var bool: Bool {
        if case .bool(let flag) = value { return flag }
        return false
    }

    var array: [ReportDocument] {
        if case .array(let values) = value { return values.map(ReportDocument.init) }
        return []
    }
}
