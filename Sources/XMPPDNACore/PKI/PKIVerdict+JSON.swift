extension PKIVerdict {
    /// The PKI part as one JSON object: the "pki" object documented with
    /// xmppdna_verdict_json() in include/xmppdna.h.
    public var json: String { JSONSchema.document(jsonValue) }

    package var jsonValue: JSONWriter.Value {
        .object([
            ("accepted", .bool(accepted)),
            ("prooftype", .string("pki")),
            ("references", .array(references.map(Self.json))),
            ("presented", .array(presented.map(Self.json))),
            ("matches", .array(matches.map { match in
                .object([("reference", Self.json(match.reference)), ("presented", Self.json(match.presented))])
            })),
            ("chain", Self.json(chain, reused: chainReused)),
            ("reasons", .array(reasons.map { .string($0) })),
            ("findings", .array(findings.map(\.jsonValue))),
        ])
    }

    package static func json(_ reference: ReferenceIdentifier) -> JSONWriter.Value {
        .object([("type", .string(reference.type.tag)), ("value", .string(reference.value))])
    }

    package static func json(_ presented: PresentedIdentifier) -> JSONWriter.Value {
        var fields: [(String, JSONWriter.Value)] = [
            ("type", .string(presented.type.tag)),
            ("value", .string(presented.display)),
            ("usable", .bool(presented.isUsable)),
        ]
        if let problem = presented.problem { fields.append(("problem", .string(problem.description))) }
        return .object(fields)
    }

    package static func json(_ chain: ChainStatus, reused: Bool = false) -> JSONWriter.Value {
        var fields: [(String, JSONWriter.Value)] = [("status", .string(chain.tag))]
        if case .invalid(let code, let depth, let text) = chain {
            fields += [("error", .string(text)), ("openssl_code", .int(Int64(code))), ("depth", .int(Int64(depth)))]
        }
        if reused { fields.append(("reused", .bool(true))) }
        return .object(fields)
    }
}
