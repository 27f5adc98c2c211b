import XMPPDNACore

extension CheckReport {
    /// One document with everything `xmppdna check` found; the layout is in
    /// the README ("xmppdna check").
    public var json: String {
        let tlsaValues: [JSONWriter.Value] = tlsa.keys.sorted().map { owner in
            let answer = tlsa[owner]!
            return .object([
                ("owner", .string(owner)),
            ] + answer.pathStatus.jsonFields + [
                ("records", .array(answer.records.map { .string($0.description) })),
                ("cnames", .array(answer.cnames.map { .string("\($0.owner) CNAME \($0.target)") })),
            ])
        }
        let verified = endpoints.filter(\.verified).count
        let reachable = endpoints.filter(\.reachable).count
        return JSONSchema.document(.object([
            ("domain", .string(domain.text)),
            ("service", .string(service.label)),
            ("dns", .object([("names", names.jsonValue), ("tlsa", .array(tlsaValues)), ("zones", .array(zones.map(\.jsonValue))),
                             ("refused", .array(refused.map(\.jsonValue)))])),
            ("dns_problem", dnsProblem.map { .string($0) } ?? .null),
            ("endpoints", .array(endpoints.map(endpointJSON))),
            ("summary", .object([
                ("endpoints", .int(Int64(endpoints.count))),
                ("verified", .int(Int64(verified))),
                ("failed", .int(Int64(reachable - verified))),
                ("unreachable", .int(Int64(endpoints.count - reachable))),
            ])),
            ("exit_code", .int(Int64(status.rawValue))),
        ]))
    }

    private func endpointJSON(_ endpoint: Endpoint) -> JSONWriter.Value {
        var fields: [(String, JSONWriter.Value)] = [
            ("host", .string(endpoint.candidate.host.text)),
            ("port", .int(Int64(endpoint.candidate.port))),
            ("direct_tls", .bool(endpoint.candidate.directTLS)),
            ("address", endpoint.address.map { .string($0.description) } ?? .null),
            ("reachable", .bool(endpoint.reachable)),
            ("verified", .bool(endpoint.verified)),
        ]
        switch endpoint.outcome {
        case .unreachable(let error):
            fields.append(("error", .object([("kind", .string(error.kind.rawValue)), ("message", .string(error.message))])))
        case .probed(let probe, let verdict):
            fields.append(("tls", .object([
                ("version", .string(probe.tlsVersion)),
                ("cipher", .string(probe.cipher)),
                ("alpn", probe.alpn.map { .string($0) } ?? .null),
            ])))
            let leaf = probe.chain.first
            fields.append(("certificate", .object([
                ("names", .array((leaf?.presentedIdentifiers ?? []).map { .string($0.description) })),
                ("not_after", leaf?.notAfter.map { .int($0) } ?? .null),
                ("chain_length", .int(Int64(probe.chain.count))),
            ])))
            fields.append(("verdict", verdict.jsonValue))
        }
        fields.append(("diagnosis", .array(diagnosis(endpoint).map { .string($0) })))
        return .object(fields)
    }
}
