import CLDNS
import XMPPDNACore

/// The chain of trust above some names, for `xmppdna check`'s picture:
/// every zone from the root down to the names' own zones, its DS records,
/// DNSKEYs and their signatures described from the records themselves, and
/// the status validation gives the zone's keys (the same validator's, so
/// the picture and the verdict never disagree).
struct ChainOfTrustSurvey {
    let validator: DNSSECValidator

    func links(above names: [String]) async -> [ZoneTrustLink] {
        var parentOf: [String: String] = [:]
        var zones: [String: DName] = [:]
        for name in names {
            guard let start = DName(name) else { continue }
            // Each step's parent zone is the next step's zone: one SOA question per zone cut.
            var next = await apex(of: start)
            while let zone = next, zones[zone.text] == nil {
                zones[zone.text] = zone
                next = nil
                if let above = zone.parent { next = await apex(of: above) }
                if let next { parentOf[zone.text] = next.text }
            }
        }
        // Top down, so a parent's keys are known when its DS signatures are checked.
        let ordered = zones.values.sorted { ($0.labelCount, $0.text) < ($1.labelCount, $1.text) }
        var keysOf: [String: RRList] = [:]
        var links: [ZoneTrustLink] = []
        for zone in ordered {
            let parent = parentOf[zone.text]
            let keys = await records(zone, DNSType.dnskey)
            keysOf[zone.text] = keys.records
            let delegation = parent == nil ? (records: RRList(), signatures: RRList()) : await records(zone, DNSType.ds)
            let parentKeys = parent.flatMap { keysOf[$0] } ?? RRList()
            let status = await validator.keyStatus(of: zone)
            links.append(withExtendedLifetime((keys, delegation, parentKeys)) {
                ZoneTrustLink(
                    zone: zone.text, parent: parent, anchored: !validator.anchors.anchors(for: zone).isEmpty,
                    status: status,
                    delegations: delegation.records.records.map { ds in
                        describeDS(ds, matchesKey: keys.records.records.contains { ldns_rr_compare_ds(ds, $0) != 0 })
                    },
                    delegationSignatures: delegation.signatures.records.map { describe($0, over: delegation.records, keys: parentKeys) },
                    keys: keys.records.records.map(describeKey),
                    keySignatures: keys.signatures.records.map { describe($0, over: keys.records, keys: keys.records) })
            })
        }
        return links
    }

    /// The apex of the zone holding `name`: the owner of the SOA that
    /// answers a SOA question, or of the one in the authority section.
    private func apex(of name: DName) async -> DName? {
        guard case .success(let packet) = await validator.transport.query(name: name.text, type: DNSType.soa,
                                                                           mode: .validating) else { return nil }
        if !RRList.select(from: packet.answer, owner: name.rdf, type: DNSType.soa).isEmpty { return name }
        // A CNAME is never at an apex, and the SOA after it is its target's.
        if !RRList.select(from: packet.answer, owner: name.rdf, type: DNSType.cname).isEmpty { return await parentApex(of: name) }
        let authority = RRList.select(from: packet.authority, type: DNSType.soa)
        guard let soa = authority.records.first, let owner = ldns_rr_owner(soa) else { return nil }
        let zone = DName.copy(owner)
        withExtendedLifetime(authority) {}
        return name.isSubdomain(ofOrEqual: zone) ? zone : nil
    }

    private func parentApex(of name: DName) async -> DName? {
        guard let above = name.parent else { return nil }
        return await apex(of: above)
    }

    private func records(_ zone: DName, _ type: UInt16) async -> (records: RRList, signatures: RRList) {
        guard case .success(let packet) = await validator.transport.query(name: zone.text, type: type, mode: .validating) else {
            return (RRList(), RRList())
        }
        return (RRList.select(from: packet.answer, owner: zone.rdf, type: type),
                RRList.select(from: packet.answer, owner: zone.rdf, type: type, signatures: true))
    }

    private func describeDS(_ ds: UnsafeMutablePointer<ldns_rr>, matchesKey: Bool) -> ZoneTrustLink.Delegation {
        ZoneTrustLink.Delegation(keyTag: ldns_rr_rdf(ds, 0).map { ldns_rdf2native_int16($0) } ?? 0,
                                 algorithm: ChainOfTrustSurvey.byte(ldns_rr_rdf(ds, 1)),
                                 digestType: ChainOfTrustSurvey.byte(ldns_rr_rdf(ds, 2)), matchesKey: matchesKey)
    }

    private func describeKey(_ key: UnsafeMutablePointer<ldns_rr>) -> ZoneTrustLink.Key {
        ZoneTrustLink.Key(keyTag: ldns_calc_keytag(key), algorithm: ChainOfTrustSurvey.byte(ldns_rr_dnskey_algorithm(key)),
                          flags: ldns_rr_dnskey_flags(key).map { ldns_rdf2native_int16($0) } ?? 0)
    }

    /// One RRSIG, checked alone against the keys that should have made it.
    private func describe(_ signature: UnsafeMutablePointer<ldns_rr>, over rrset: RRList, keys: RRList) -> ZoneTrustLink.Signature {
        let status = keys.isEmpty ? LDNS_STATUS_CRYPTO_NO_DNSKEY
            : ldns_verify_rrsig_keylist_time(rrset.list, signature, keys.list, validator.time, nil)
        return ZoneTrustLink.Signature(
            keyTag: ldns_rr_rrsig_keytag(signature).map { ldns_rdf2native_int16($0) } ?? 0,
            algorithm: ChainOfTrustSurvey.byte(ldns_rr_rrsig_algorithm(signature)),
            signer: ldns_rr_rrsig_signame(signature).map { DName.text(of: $0) } ?? "?",
            inception: time(ldns_rr_rrsig_inception(signature)), expiration: time(ldns_rr_rrsig_expiration(signature)),
            problem: status == LDNS_STATUS_OK ? nil : String(cString: ldns_get_errorstr_by_id(status)))
    }

    /// RFC 4034 section 3.1.5: 32-bit times in serial arithmetic, read
    /// as the date nearest the verification time.
    private func time(_ field: UnsafeMutablePointer<ldns_rdf>?) -> Int64 {
        guard let field else { return 0 }
        let now = Int64(validator.time)
        return now + Int64(Int32(bitPattern: ldns_rdf2native_int32(field) &- UInt32(truncatingIfNeeded: now)))
    }

    private static func byte(_ field: UnsafeMutablePointer<ldns_rdf>?) -> UInt8 {
        guard let field, let data = ldns_rdf_data(field) else { return 0 }
        return data.pointee
    }
}
