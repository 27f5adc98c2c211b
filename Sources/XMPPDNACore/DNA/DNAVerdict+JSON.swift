extension DNAVerdict {
    /// The verdict as one JSON object; the layout is documented with
    /// xmppdna_verdict_json() in include/xmppdna.h.
    public var json: String { JSONSchema.document(jsonValue) }

    package var jsonValue: JSONWriter.Value {
        .object([
            ("accepted", .bool(accepted)),
            ("domain", .string(domain.text)),
            ("direction", .string(direction == .outbound ? "outbound" : "inbound")),
            ("prooftype", prooftype.map { .string($0.rawValue) } ?? .null),
            ("summary", .string(summary)),
            ("attempts", .array(attempts.map { attempt in
                .object([("prooftype", .string(attempt.prooftype.rawValue)), ("outcome", .string(attempt.outcome.rawValue)),
                         ("reason", .string(attempt.reason)), ("findings", .array(attempt.findings.map(\.jsonValue)))])
            })),
            ("pki", pki.jsonValue),
            ("tlsa_match", tlsaMatch.map { .string($0.description) } ?? .null),
            ("dialback", dialbackStrength.map { .string($0.rawValue) } ?? .null),
            ("evidence", .array(evidence.map { use in
                .object([("what", .string(use.what)), ("status", use.status.map { .string($0.tag) } ?? .null)])
            })),
        ])
    }
}
