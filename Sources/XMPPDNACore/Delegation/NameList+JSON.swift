extension NameList {
    /// The list as one JSON object; the layout is documented with
    /// xmppdna_names_json() in include/xmppdna.h.
    public var json: String { JSONSchema.document(jsonValue) }

    package var jsonValue: JSONWriter.Value {
        var fields: [(String, JSONWriter.Value)] = [
            ("domain", .string(domain.text)),
            ("service", .string(service.label)),
            ("status", .string(status.tag)),
            ("kind", .string(kindTag)),
            ("trust_mode", .string(trustMode)),
        ] + status.jsonFields.dropFirst()
        fields.append(("acceptable_names", .array(acceptableNames.map { entry in
            let type: String
            if case .ip = entry.value { type = "ip" } else { type = "dns" }
            return .object([("name", .string(entry.text)), ("type", .string(type)),
                            ("status", .string(entry.status?.tag ?? "given")), ("source", .string(entry.source))])
        })))
        fields.append(("candidates", .array(candidates.map { candidate in
            .object([("host", .string(candidate.host.text)), ("port", .int(Int64(candidate.port))),
                     ("direct_tls", .bool(candidate.directTLS)), ("service", .string(candidate.service.label)),
                     ("priority", .int(Int64(candidate.priority))), ("weight", .int(Int64(candidate.weight))),
                     ("status", .string(candidate.status.tag)),
                     ("addresses", .array(candidate.addresses.map { .string($0.description) })),
                     ("records", .array(candidate.records.map(\.jsonValue)))])
        })))
        return .object(fields)
    }

    public var kindTag: String {
        switch kind {
        case .srv: return "srv"
        case .noSRV: return "no_srv"
        case .serviceUnavailable: return "service_unavailable"
        }
    }
}

extension RecordProvenance {
    /// {"record","status","reason"?,"extended_error"?}
    package var jsonValue: JSONWriter.Value { .object([("record", .string(record))] + status.jsonFields) }
}
