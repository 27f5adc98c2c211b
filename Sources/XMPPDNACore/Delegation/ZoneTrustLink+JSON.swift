extension ZoneTrustLink {
    /// {"zone","parent","trust_anchor","status","reason"?,"extended_error"?,
    ///  "ds":[{"key_tag","algorithm","digest_type","matches_key"}],
    ///  "ds_signatures":[SIG], "dnskeys":[{"key_tag","algorithm","flags",
    ///  "role":"ksk"|"zsk","revoked"}], "dnskey_signatures":[SIG]} where SIG is
    /// {"key_tag","algorithm","signer","inception","expiration","valid","problem"}.
    package var jsonValue: JSONWriter.Value {
        .object([
            ("zone", .string(zone)),
            ("parent", parent.map { .string($0) } ?? .null),
            ("trust_anchor", .bool(anchored)),
        ] + status.jsonFields + [
            ("ds", .array(delegations.map { ds in
                .object([("key_tag", .int(Int64(ds.keyTag))), ("algorithm", .int(Int64(ds.algorithm))),
                         ("digest_type", .int(Int64(ds.digestType))), ("matches_key", .bool(ds.matchesKey))])
            })),
            ("ds_signatures", .array(delegationSignatures.map(\.jsonValue))),
            ("dnskeys", .array(keys.map { key in
                .object([("key_tag", .int(Int64(key.keyTag))), ("algorithm", .int(Int64(key.algorithm))),
                         ("flags", .int(Int64(key.flags))), ("role", .string(key.isKeySigningKey ? "ksk" : "zsk")),
                         ("revoked", .bool(key.isRevoked))])
            })),
            ("dnskey_signatures", .array(keySignatures.map(\.jsonValue))),
        ])
    }
}

extension ZoneTrustLink.Signature {
    package var jsonValue: JSONWriter.Value {
        .object([
            ("key_tag", .int(Int64(keyTag))), ("algorithm", .int(Int64(algorithm))), ("signer", .string(signer)),
            ("inception", .int(inception)), ("expiration", .int(expiration)), ("valid", .bool(problem == nil)),
            ("problem", problem.map { .string($0) } ?? .null),
        ])
    }
}
