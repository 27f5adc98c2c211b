import CLDNS
import XMPPDNACore

/// What NSEC3 records prove (RFC 5155 sections 7.2 and 8), on records whose
/// signatures the validator has already checked, bound to the one zone that
/// signed them. Pure: no I/O.
///
/// Only records owned by <hash>.<zone> take part, with one parameter set;
/// names are hashed with that zone's parameters; "covers" is strictly
/// between owner hash and next hash, wrapping only inside the zone's own
/// chain; opt-out counts only after a closest-encloser proof (Unbound's
/// val_nsec3.c, read as facts).
struct NSEC3Proof {
    enum Status: Equatable {
        case secure
        case insecure
        case bogus(String)
    }

    struct Record {
        let rr: UnsafeMutablePointer<ldns_rr>
        let ownerHash: [UInt8]
        let nextHash: [UInt8]

        func has(_ type: UInt16) -> Bool {
            guard let bitmap = ldns_nsec3_bitmap(rr) else { return false }
            return ldns_nsec_bitmap_covers_type(bitmap, ldns_rr_type(rawValue: UInt32(type))) != 0
        }

        var optOut: Bool { ldns_nsec3_optout(rr) != 0 }
    }

    let zone: DName
    let records: [Record]
    /// Hashing needs one record to take the parameters from.
    private let parameters: UnsafeMutablePointer<ldns_rr>?
    let iterations: UInt16

    struct Unusable: Error {
        let reason: String
    }

    /// The zone's usable records, or a reason why the set proves nothing.
    /// Borrows the records: valid while their list lives.
    static func make(zone: DName, from nsec3s: [UnsafeMutablePointer<ldns_rr>]) -> Result<NSEC3Proof, Unusable> {
        var usable: [Record] = []
        for rr in nsec3s {
            // Unknown flags or hash algorithms: not ours to reason with (RFC 5155 section 8.1-8.2).
            guard ldns_nsec3_algorithm(rr) == 1, ldns_nsec3_flags(rr) & 0xFE == 0,
                  let zoneOfRecord = DName.copy(ldns_rr_owner(rr)).parent, zoneOfRecord.equals(zone),
                  let ownerHash = NSEC3Proof.hash(ofFirstLabel: ldns_rr_owner(rr)),
                  let next = ldns_nsec3_next_owner(rr), let nextHash = NSEC3Proof.bytes(ofNextHash: next),
                  ownerHash.count == nextHash.count, !ownerHash.isEmpty else { continue }
            usable.append(Record(rr: rr, ownerHash: ownerHash, nextHash: nextHash))
        }
        guard let first = usable.first else { return .failure(Unusable(reason: "no NSEC3 record of \(zone.text) is usable")) }
        for record in usable.dropFirst() where !NSEC3Proof.sameParameters(first.rr, record.rr) {
            return .failure(Unusable(reason: "the NSEC3 records of \(zone.text) mix parameter sets"))
        }
        return .success(NSEC3Proof(zone: zone, records: usable, parameters: first.rr, iterations: ldns_nsec3_iterations(first.rr)))
    }

    // MARK: - Hashes

    func hash(_ name: DName) -> [UInt8]? {
        guard let parameters, let hashed = ldns_nsec3_hash_name_frm_nsec3(parameters, name.rdf) else { return nil }
        let owned = DName(owning: hashed)
        return NSEC3Proof.hash(ofFirstLabel: owned.rdf)
    }

    func matching(_ name: DName) -> Record? {
        guard let hashed = hash(name) else { return nil }
        return records.first { $0.ownerHash == hashed }
    }

    /// The record whose span holds the hash of `name`, strictly.
    func covering(_ name: DName) -> Record? {
        guard let hashed = hash(name) else { return nil }
        return records.first { record in
            let owner = record.ownerHash, next = record.nextHash
            guard hashed.count == owner.count else { return false }
            if owner.lexicographicallyPrecedes(next) {
                return owner.lexicographicallyPrecedes(hashed) && hashed.lexicographicallyPrecedes(next)
            }
            // The last record of the chain (or the only one): wraps to the first.
            return owner.lexicographicallyPrecedes(hashed) || hashed.lexicographicallyPrecedes(next)
        }
    }

    // MARK: - Proofs

    struct ClosestEncloser {
        let name: DName
        let nextCloser: DName
        let nextCloserCover: Record
    }

    /// RFC 5155 section 8.3: the closest encloser of `name` exists, and the
    /// next closer name does not. An encloser that is a delegation makes the
    /// answer the parent's, never the child's own data.
    func closestEncloser(of name: DName) -> (Status, ClosestEncloser?) {
        var candidate: DName? = name
        var found: (DName, Record)?
        while let current = candidate, current.isSubdomain(ofOrEqual: zone) {
            if let record = matching(current) {
                found = (current, record)
                break
            }
            candidate = current.parent
        }
        guard let (encloser, record) = found else { return (.bogus("no NSEC3 matches an ancestor of \(name.text) in \(zone.text)"), nil) }
        if encloser.equals(name) { return (.bogus("an NSEC3 proves that \(name.text) exists"), nil) }
        if record.has(DNSType.ns) && !record.has(DNSType.soa) {
            if !record.has(DNSType.ds) { return (.insecure, nil) }
            return (.bogus("the closest encloser of \(name.text) is the delegation \(encloser.text): the answer belongs below it"), nil)
        }
        if record.has(DNSType.dname) { return (.bogus("the closest encloser of \(name.text) is a DNAME"), nil) }
        let nextCloser = name.suffix(keepingLabels: encloser.labelCount + 1)
        guard let cover = covering(nextCloser) else {
            return (.bogus("no NSEC3 covers the next closer name \(nextCloser.text)"), nil)
        }
        return (.secure, ClosestEncloser(name: encloser, nextCloser: nextCloser, nextCloserCover: cover))
    }

    /// RFC 5155 section 8.4: NXDOMAIN.
    func provesNameError(_ name: DName) -> Status {
        let (status, proof) = closestEncloser(of: name)
        guard status == .secure, let proof else { return status }
        guard let wildcard = proof.name.wildcardChild, covering(wildcard) != nil else {
            return .bogus("no NSEC3 proves that the wildcard at \(proof.name.text) does not exist")
        }
        return proof.nextCloserCover.optOut ? .insecure : .secure
    }

    /// RFC 5155 sections 8.5 and 8.7 (8.6 is `provesNoDS`): NODATA.
    func provesNoData(_ name: DName, type: UInt16) -> Status {
        if let record = matching(name) {
            if record.has(type) || record.has(DNSType.cname) {
                return .bogus("the NSEC3 for \(name.text) lists the type, or a CNAME")
            }
            if record.has(DNSType.ns) && !record.has(DNSType.soa) {
                return record.has(DNSType.ds) ? .bogus("the NSEC3 for \(name.text) is a delegation's") : .insecure
            }
            return .secure
        }
        let (status, proof) = closestEncloser(of: name)
        if status == .insecure { return .insecure }
        guard status == .secure, let proof else { return status }
        if let wildcard = proof.name.wildcardChild, let record = matching(wildcard) {
            if record.has(type) || record.has(DNSType.cname) {
                return .bogus("the wildcard at \(proof.name.text) has the type, or a CNAME")
            }
            if record.has(DNSType.ns) && !record.has(DNSType.soa) {
                return .bogus("the wildcard at \(proof.name.text) is a delegation")
            }
            return proof.nextCloserCover.optOut ? .insecure : .secure
        }
        // Section 9.2: an opt-out span may hide an unsigned delegation.
        return proof.nextCloserCover.optOut ? .insecure
            : .bogus("no NSEC3 matches \(name.text) or its wildcard, and the span over \(proof.nextCloser.text) is not opt-out")
    }

    /// The answer to a DS question from the parent's chain.
    enum NoDS: Equatable {
        case insecureDelegation
        case notACut
        /// Opt-out: an unsigned delegation may be there; the zone below is insecure.
        case optOut
        case bogus(String)
    }

    /// RFC 5155 section 8.6.
    func provesNoDS(_ name: DName) -> NoDS {
        if let record = matching(name) {
            if record.has(DNSType.soa) && name.labelCount > 0 { return .bogus("the NSEC3 for \(name.text) is the child zone's own (SOA)") }
            if record.has(DNSType.ds) { return .bogus("the NSEC3 for \(name.text) lists DS, yet no DS came") }
            return record.has(DNSType.ns) ? .insecureDelegation : .notACut
        }
        let (status, proof) = closestEncloser(of: name)
        guard status == .secure, let proof else {
            if case .bogus(let why) = status { return .bogus(why) }
            // An insecure delegation above the name says nothing about the name itself.
            return .bogus("an unsigned delegation lies above \(name.text): its DS is not the parent's to deny")
        }
        return proof.nextCloserCover.optOut ? .optOut
            : .bogus("no NSEC3 matches \(name.text), and the span over \(proof.nextCloser.text) is not opt-out")
    }

    /// RFC 5155 section 8.8: a wildcard answer for `name` from the wildcard
    /// at `encloser` needs the next closer name covered.
    func provesWildcardExpansion(_ name: DName, encloser: DName) -> Status {
        let nextCloser = name.suffix(keepingLabels: encloser.labelCount + 1)
        guard let cover = covering(nextCloser) else {
            return .bogus("no NSEC3 covers \(nextCloser.text), so \(name.text) may exist and the wildcard may not apply")
        }
        return cover.optOut ? .insecure : .secure
    }

    // MARK: - Encoding

    /// The raw hash in the first label of an NSEC3 owner (base32hex).
    private static func hash(ofFirstLabel name: UnsafePointer<ldns_rdf>) -> [UInt8]? {
        guard let label = ldns_dname_label(name, 0) else { return nil }
        defer { ldns_rdf_deep_free(label) }
        guard let data = ldns_rdf_data(label), ldns_rdf_size(label) > 1 else { return nil }
        let length = Int(data.pointee)
        guard length > 0, length < 64 else { return nil }
        var text = [CChar](repeating: 0, count: length)
        for i in 0..<length { text[i] = CChar(bitPattern: data[1 + i]) }
        var raw = [UInt8](repeating: 0, count: 64)
        let count = ldns_b32_pton_extended_hex(text, length, &raw, raw.count)
        guard count > 0 else { return nil }
        return Array(raw[0..<Int(count)])
    }

    private static func bytes(ofNextHash next: UnsafePointer<ldns_rdf>) -> [UInt8]? {
        guard let data = ldns_rdf_data(next), ldns_rdf_size(next) >= 1 else { return nil }
        let length = Int(data.pointee)
        guard length > 0, length + 1 == ldns_rdf_size(next) else { return nil }
        return Array(UnsafeBufferPointer(start: data + 1, count: length))
    }

    private static func sameParameters(_ a: UnsafeMutablePointer<ldns_rr>, _ b: UnsafeMutablePointer<ldns_rr>) -> Bool {
        guard ldns_nsec3_algorithm(a) == ldns_nsec3_algorithm(b), ldns_nsec3_iterations(a) == ldns_nsec3_iterations(b),
              let saltA = ldns_rr_rdf(a, 3), let saltB = ldns_rr_rdf(b, 3) else { return false }
        return ldns_rdf_compare(saltA, saltB) == 0
    }
}
