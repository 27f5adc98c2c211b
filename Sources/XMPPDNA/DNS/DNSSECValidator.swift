import CLDNS

/// DNSSEC validation inside the library (RFC 4033-4035, RFC 5155, RFC 6840),
/// on answers fetched with CD=1: from the trust anchors down through
/// DS -> DNSKEY -> RRSIG, with CNAME chains, NSEC/NSEC3 denial, proof of
/// insecure delegations and wildcard expansion. ldns supplies the
/// primitives (signature checks, DS matching, NSEC(3) coverage); this type
/// decides secure, insecure or bogus, which ldns has no API for.
///
/// One instance serves one top-level lookup and caches zone keys for it;
/// it is not shared between threads.
final class DNSSECValidator {
    struct Answer {
        enum Outcome {
            case records(RRList)
            case noData
            case nameError
            case failure
        }

        let outcome: Outcome
        let status: DNSSECStatus
        let cnames: [CNAMELink]
        /// Seconds the answer may be reused: the smallest TTL on its path,
        /// or the SOA minimum of a denial; 0 for failures.
        var ttl: UInt32 = 0
        /// A secure DS denial whose proof shows a delegation (NS, no SOA):
        /// the zone below is insecure. Kept with the answer so that a cached
        /// DS answer still proves it to the next validator.
        var provesInsecureDelegation = false
    }

    private enum ZoneTrust {
        case secure(RRList)
        case insecure
        case bogus(BogusReason)
        case indeterminate(String)
    }

    /// RFC 9276 section 3.2: NSEC3 with more iterations is treated as insecure.
    static let maxNSEC3Iterations: UInt16 = 150
    private static let maxCNAMEHops = 8
    private static let maxDepth = 24

    private let transport: DNSTransport
    private let anchors: TrustAnchors
    private let time: time_t
    private var zoneTrust: [String: ZoneTrust] = [:]
    private var dsAnswers: [String: Answer] = [:]
    private var dsInProgress: Set<String> = []
    private var depth = 0

    private let cache: DNSCache?
    /// A pinned validation time is part of the cache key; "now" is not.
    private let cacheTime: Int64?

    init(transport: DNSTransport, anchors: TrustAnchors, time: Int64, pinnedTime: Int64? = nil, cache: DNSCache? = nil) {
        self.transport = transport
        self.anchors = anchors
        self.time = time_t(time)
        self.cacheTime = pinnedTime
        self.cache = cache
    }

    // MARK: - Lookups

    /// Resolves `name`/`type`, following CNAMEs, and validates every step;
    /// a shared cache answers repeated questions without any cryptography.
    func lookup(_ name: String, _ type: UInt16) -> Answer {
        let key = DNSCache.Key(name: DNSName.asciiLowercased(name), type: type, time: cacheTime)
        if let cache, let hit = cache.answer(for: key) { return hit }
        let answer = resolve(name, type)
        cache?.store(answer, for: key)
        return answer
    }

    private func resolve(_ name: String, _ type: UInt16) -> Answer {
        var minimumTTL = UInt32.max
        var current = name
        var cnames: [CNAMELink] = []
        var seen: Set<String> = []
        for _ in 0...DNSSECValidator.maxCNAMEHops {
            guard let owner = DName(current) else {
                return Answer(outcome: .failure, status: .indeterminate("\(current) is not a domain name"), cnames: cnames)
            }
            seen.insert(owner.text)
            let packet: DNSPacket
            switch transport.query(name: current, type: type, mode: .validating) {
            case .failure(let problem):
                return Answer(outcome: .failure, status: .indeterminate(problem.description), cnames: cnames)
            case .success(let response):
                packet = response
            }
            guard packet.rcode == 0 || packet.rcode == 3 else {
                return Answer(outcome: .failure,
                              status: .indeterminate("the server answered \(DNSSECValidator.rcodeName(packet.rcode)) for \(owner.text)"),
                              cnames: cnames)
            }
            if packet.isReferral {
                return Answer(outcome: .failure,
                              status: .indeterminate("the server referred the question for \(owner.text) elsewhere; it must be a recursive resolver or authoritative for it"),
                              cnames: cnames)
            }
            let rrset = RRList.select(from: packet.answer, owner: owner.rdf, type: type)
            if !rrset.isEmpty {
                let signatures = RRList.select(from: packet.answer, owner: owner.rdf, type: type, signatures: true)
                let status = validate(rrset, signatures: signatures, owner: owner, packet: packet)
                minimumTTL = min(minimumTTL, DNSSECValidator.smallestTTL(rrset))
                return Answer(outcome: .records(rrset), status: status, cnames: cnames, ttl: minimumTTL)
            }
            let alias = RRList.select(from: packet.answer, owner: owner.rdf, type: DNSType.cname)
            if type != DNSType.cname, !alias.isEmpty {
                guard alias.count == 1, let targetRdf = ldns_rr_rdf(alias[0], 0) else {
                    return Answer(outcome: .failure, status: .bogus(.dnssecBogus("\(owner.text) has several CNAMEs")), cnames: cnames)
                }
                let signatures = RRList.select(from: packet.answer, owner: owner.rdf, type: DNSType.cname, signatures: true)
                let status = validate(alias, signatures: signatures, owner: owner, packet: packet)
                let target = DName.text(of: targetRdf)
                minimumTTL = min(minimumTTL, DNSSECValidator.smallestTTL(alias))
                cnames.append(CNAMELink(owner: owner.text, target: target, status: status))
                if case .bogus = status { return Answer(outcome: .failure, status: status, cnames: cnames) }
                guard !seen.contains(target) else {
                    return Answer(outcome: .failure, status: .indeterminate("CNAME loop at \(target)"), cnames: cnames)
                }
                current = target
                continue
            }
            let nameError = packet.rcode == 3
            let status = validateDenial(of: owner, type: type, packet: packet, nameError: nameError)
            var answer = Answer(outcome: nameError ? .nameError : .noData, status: status, cnames: cnames,
                                ttl: min(minimumTTL, DNSSECValidator.negativeTTL(packet)))
            answer.provesInsecureDelegation = type == DNSType.ds && dsDenialIsDelegation[owner.text] == true
            return answer
        }
        return Answer(outcome: .failure, status: .indeterminate("CNAME chain longer than \(DNSSECValidator.maxCNAMEHops)"),
                      cnames: cnames)
    }

    private func lookupDS(_ zone: DName) -> Answer {
        if let cached = dsAnswers[zone.text] { return cached }
        // An unsigned DS answer sends the proof of insecurity back to this
        // very DS: a cycle a stripping attacker can force. Cut it as bogus.
        guard !dsInProgress.contains(zone.text), depth < DNSSECValidator.maxDepth else {
            return Answer(outcome: .failure,
                          status: .bogus(.rrsigsMissing("the DS of \(zone.text) arrived unsigned and nothing above proves it may be")),
                          cnames: [])
        }
        dsInProgress.insert(zone.text)
        depth += 1
        defer {
            dsInProgress.remove(zone.text)
            depth -= 1
        }
        let answer = lookup(zone.text, DNSType.ds)
        if answer.provesInsecureDelegation { dsDenialIsDelegation[zone.text] = true }
        dsAnswers[zone.text] = answer
        return answer
    }

    // MARK: - RRsets

    /// The status of one RRset given the RRSIGs that came with it.
    private func validate(_ rrset: RRList, signatures: RRList, owner: DName, packet: DNSPacket) -> DNSSECStatus {
        if signatures.isEmpty { return unsignedStatus(of: owner, missing: "no RRSIG covers \(owner.text)") }
        var failure: BogusReason?
        var insecureSigner = false
        for signature in signatures.records {
            guard let signerRdf = ldns_rr_rrsig_signame(signature) else { continue }
            let signer = DName.copy(signerRdf)
            guard owner.isSubdomain(ofOrEqual: signer) else {
                failure = .dnssecBogus("RRSIG over \(owner.text) claims signer \(signer.text), which is not above it")
                continue
            }
            switch trust(of: signer) {
            case .secure(let keys):
                let status = ldns_verify_rrsig_keylist_time(rrset.list, signature, keys.list, time, nil)
                if status == LDNS_STATUS_OK {
                    return wildcardCheck(signature, owner: owner, packet: packet)
                }
                failure = DNSSECValidator.reason(for: status, what: "RRSIG over \(owner.text)")
            case .insecure:
                insecureSigner = true
            case .bogus(let reason):
                failure = reason
            case .indeterminate(let why):
                return .indeterminate(why)
            }
        }
        if let failure { return .bogus(failure) }
        return insecureSigner ? .insecure : .bogus(.rrsigsMissing("no usable RRSIG over \(owner.text)"))
    }

    /// An answer synthesised from a wildcard (fewer RRSIG labels than owner
    /// labels) is secure only with proof that the name itself does not exist
    /// (RFC 4035 section 5.3.4, RFC 5155 section 8.8).
    private func wildcardCheck(_ signature: UnsafeMutablePointer<ldns_rr>, owner: DName, packet: DNSPacket) -> DNSSECStatus {
        guard let expandedLabels = DNSSECValidator.labelsExpanded(by: signature, owner: owner) else {
            return .bogus(.dnssecBogus("RRSIG over \(owner.text) has no labels field"))
        }
        if expandedLabels <= 0 { return .secure }
        // Each proof checked here is validated in turn; a hostile reply must
        // not be able to nest that without end.
        depth += 1
        defer { depth -= 1 }
        guard depth <= DNSSECValidator.maxDepth else {
            return .bogus(.dnssecBogus("wildcard proofs for \(owner.text) nest too deep"))
        }
        // Next closer name: one label below the closest encloser.
        var nextCloser = owner
        for _ in 0..<(expandedLabels - 1) {
            guard let parent = nextCloser.parent else { break }
            nextCloser = parent
        }
        let nsecs = RRList.select(from: packet.authority, type: DNSType.nsec)
        let nsec3s = RRList.select(from: packet.authority, type: DNSType.nsec3)
        let proven = withExtendedLifetime((nsecs, nsec3s)) {
            (nsecs.records + nsec3s.records).contains { proof in
                validateDenialRecord(proof, packet: packet) == .secure && covers(proof, name: nextCloser)
            }
        }
        if proven { return .secure }
        return .bogus(.nsecMissing("wildcard answer for \(owner.text) without proof that the name does not exist"))
    }

    // MARK: - Zone keys

    private func trust(of zone: DName) -> ZoneTrust {
        if let cached = zoneTrust[zone.text] { return cached }
        depth += 1
        defer { depth -= 1 }
        guard depth <= DNSSECValidator.maxDepth else { return .bogus(.dnssecBogus("chain of trust too deep at \(zone.text)")) }
        let result = computeTrust(of: zone)
        zoneTrust[zone.text] = result
        return result
    }

    private func computeTrust(of zone: DName) -> ZoneTrust {
        let anchored = anchors.anchors(for: zone)
        if !anchored.isEmpty { return keys(of: zone, provenBy: anchored, source: "trust anchor") }
        guard zone.parent != nil else {
            return .bogus(.dnskeyMissing("no trust anchor for the root zone"))
        }
        let ds = lookupDS(zone)
        switch (ds.outcome, ds.status) {
        case (.records(let records), .secure):
            return withExtendedLifetime(records) { keys(of: zone, provenBy: records.records, source: "DS") }
        case (_, .insecure):
            return .insecure
        case (_, .bogus(let reason)):
            return .bogus(reason)
        case (_, .indeterminate(let why)):
            return .indeterminate(why)
        case (.noData, .secure):
            // A signed denial of DS: insecure only at a real delegation.
            return dsDenialIsDelegation[zone.text] == true ? .insecure
                : .bogus(.dnssecBogus("\(zone.text) is not a zone cut, yet an RRSIG names it as signer"))
        default:
            return .bogus(.dnskeyMissing("\(zone.text) does not exist"))
        }
    }

    /// DNSKEYs of `zone`, trusted when a key matching a DS (or DNSKEY)
    /// anchor signs the DNSKEY RRset.
    private func keys(of zone: DName, provenBy anchorsOrDS: [UnsafeMutablePointer<ldns_rr>], source: String) -> ZoneTrust {
        let usable = anchorsOrDS.filter { rr in
            let type = UInt16(ldns_rr_get_type(rr).rawValue)
            let algorithmField = type == DNSType.ds ? ldns_rr_rdf(rr, 1) : ldns_rr_dnskey_algorithm(rr)
            guard let algorithmField, let byte = ldns_rdf_data(algorithmField) else { return false }
            if ldns_key_algo_supported(Int32(byte.pointee)) == 0 { return false }
            if type == DNSType.ds, let digest = ldns_rr_rdf(rr, 2), let digestType = ldns_rdf_data(digest) {
                // SHA-1, SHA-256, SHA-384 (RFC 4509, RFC 6605); GOST is not supported.
                return [1, 2, 4].contains(digestType.pointee)
            }
            return true
        }
        // RFC 6840 section 5.2: only unsupported algorithms or digests -> insecure.
        if usable.isEmpty { return .insecure }
        let packet: DNSPacket
        switch transport.query(name: zone.text, type: DNSType.dnskey, mode: .validating) {
        case .failure(let problem): return .indeterminate(problem.description)
        case .success(let response): packet = response
        }
        let dnskeys = RRList.select(from: packet.answer, owner: zone.rdf, type: DNSType.dnskey)
        let signatures = RRList.select(from: packet.answer, owner: zone.rdf, type: DNSType.dnskey, signatures: true)
        guard !dnskeys.isEmpty else { return .bogus(.dnskeyMissing("\(zone.text) has no DNSKEY")) }
        let matching = RRList()
        for key in dnskeys.records where usable.contains(where: { ldns_rr_compare_ds($0, key) != 0 }) {
            matching.appendCopy(of: key)
        }
        guard !matching.isEmpty else {
            return .bogus(.dnskeyMissing("no DNSKEY of \(zone.text) matches its \(source)"))
        }
        guard !signatures.isEmpty else { return .bogus(.rrsigsMissing("the DNSKEY RRset of \(zone.text) is not signed")) }
        var failure = BogusReason.dnssecBogus("no key matching the \(source) signs the DNSKEY RRset of \(zone.text)")
        let verified = withExtendedLifetime((signatures, matching)) {
            signatures.records.contains { signature in
                let status = ldns_verify_rrsig_keylist_time(dnskeys.list, signature, matching.list, time, nil)
                if status != LDNS_STATUS_OK { failure = DNSSECValidator.reason(for: status, what: "DNSKEY RRset of \(zone.text)") }
                return status == LDNS_STATUS_OK
            }
        }
        return verified ? .secure(dnskeys) : .bogus(failure)
    }

    // MARK: - Unsigned data and denial

    /// Names proven to be insecure delegations by a signed denial of DS.
    private var dsDenialIsDelegation: [String: Bool] = [:]

    /// Unsigned data is insecure only below a proven insecure delegation;
    /// inside a signed zone it is bogus. Walk the DS records from the top.
    private func unsignedStatus(of owner: DName, missing: String) -> DNSSECStatus {
        var chain: [DName] = []
        var cursor: DName? = owner
        while let name = cursor, name.parent != nil {
            chain.append(name)
            cursor = name.parent
        }
        if case .insecure = trust(of: DName(".")!) { return .insecure }
        for name in chain.reversed() {
            let ds = lookupDS(name)
            switch (ds.outcome, ds.status) {
            case (_, .insecure):
                return .insecure
            case (_, .bogus(let reason)):
                return .bogus(reason)
            case (_, .indeterminate(let why)):
                return .indeterminate(why)
            case (.records, .secure):
                // A signed DS whose algorithms or digests are all unknown
                // makes the zone below insecure (RFC 6840 section 5.2).
                switch trust(of: name) {
                case .insecure: return .insecure
                case .bogus(let reason): return .bogus(reason)
                case .indeterminate(let why): return .indeterminate(why)
                case .secure: continue
                }
            case (.noData, .secure):
                if dsDenialIsDelegation[name.text] == true { return .insecure }
            case (.nameError, .secure):
                return .bogus(.nsecMissing("\(name.text) is proven not to exist, yet data for \(owner.text) arrived"))
            default:
                continue
            }
        }
        return .bogus(.rrsigsMissing(missing))
    }

    /// Validates the NSEC/NSEC3 proof that `owner`/`type` does not exist.
    private func validateDenial(of owner: DName, type: UInt16, packet: DNSPacket, nameError: Bool) -> DNSSECStatus {
        let nsecs = RRList.select(from: packet.authority, type: DNSType.nsec)
        let nsec3s = RRList.select(from: packet.authority, type: DNSType.nsec3)
        if nsecs.isEmpty && nsec3s.isEmpty {
            return unsignedStatus(of: owner, missing: "no NSEC or NSEC3 proves that \(owner.text) \(nameError ? "does not exist" : "has no such record")")
        }
        let combined = withExtendedLifetime((nsecs, nsec3s)) {
            (nsecs.records + nsec3s.records).reduce(DNSSECStatus.secure) {
                $0.combined(with: validateDenialRecord($1, packet: packet))
            }
        }
        guard combined == .secure else { return combined }
        let signatures = RRList.select(from: packet.authority, type: DNSType.rrsig)
        guard let question = ldns_rr_new() else { return .indeterminate("out of memory") }
        defer { ldns_rr_free(question) }
        ldns_rr_set_owner(question, ldns_rdf_clone(owner.rdf))
        ldns_rr_set_type(question, ldns_rr_type(rawValue: UInt32(type)))
        ldns_rr_set_class(question, LDNS_RR_CLASS_IN)
        if !nsec3s.isEmpty {
            if nsec3s.records.contains(where: { ldns_nsec3_iterations($0) > DNSSECValidator.maxNSEC3Iterations }) {
                return .insecure
            }
            let status = nameError
                ? ldns_dnssec_verify_denial_nsec3(question, nsec3s.list, signatures.list, LDNS_RCODE_NXDOMAIN,
                                                  ldns_rr_type(rawValue: UInt32(type)), 1)
                : (NSEC3NoDataProof.holds(owner: owner, type: type, nsec3s: nsec3s) ? LDNS_STATUS_OK : LDNS_STATUS_DNSSEC_NSEC_RR_NOT_COVERED)
            if status == LDNS_STATUS_OK {
                if type == DNSType.ds && !nameError { noteDelegation(owner, proofs: nsec3s) }
                // RFC 5155 section 9.2: when an opt-out NSEC3 covers the next
                // closer name, an unsigned delegation may hide there.
                if nameError && optOutCoversAncestor(of: owner, nsec3s: nsec3s) { return .insecure }
                return .secure
            }
            if type == DNSType.ds && optOutCovers(owner, nsec3s: nsec3s) {
                dsDenialIsDelegation[owner.text] = true
                return .secure
            }
            return .bogus(.nsecMissing("NSEC3 records do not prove the denial for \(owner.text): \(String(cString: ldns_get_errorstr_by_id(status)))"))
        }
        // RFC 4035 section 5.4: the parent's NSEC at a delegation point says
        // nothing about names below the cut.
        let fromAbove = withExtendedLifetime(nsecs) {
            nsecs.records.contains { proof in
                let proofOwner = DName.copy(ldns_rr_owner(proof))
                guard ldns_dname_is_subdomain(owner.rdf, proofOwner.rdf) != 0, let bitmap = ldns_nsec_get_bitmap(proof) else { return false }
                return ldns_nsec_bitmap_covers_type(bitmap, LDNS_RR_TYPE_NS) != 0
                    && ldns_nsec_bitmap_covers_type(bitmap, LDNS_RR_TYPE_SOA) == 0
            }
        }
        if fromAbove {
            return .bogus(.nsecMissing("the NSEC offered for \(owner.text) belongs to the parent side of a delegation"))
        }
        let status = ldns_dnssec_verify_denial(question, nsecs.list, signatures.list)
        if status == LDNS_STATUS_OK {
            if type == DNSType.ds && !nameError { noteDelegation(owner, proofs: nsecs) }
            return .secure
        }
        return .bogus(.nsecMissing("NSEC records do not prove the denial for \(owner.text): \(String(cString: ldns_get_errorstr_by_id(status)))"))
    }

    /// One NSEC/NSEC3 record is only evidence once its own RRSIG verifies,
    /// and only under the owner it was signed for: a denial record expanded
    /// from a wildcard is not one the zone holds, and proving its expansion
    /// would ask for the same proof again.
    private func validateDenialRecord(_ proof: UnsafeMutablePointer<ldns_rr>, packet: DNSPacket) -> DNSSECStatus {
        let owner = DName.copy(ldns_rr_owner(proof))
        let type = UInt16(ldns_rr_get_type(proof).rawValue)
        let kind = type == DNSType.nsec ? "NSEC" : "NSEC3"
        let single = RRList()
        single.appendCopy(of: proof)
        let signatures = RRList.select(from: packet.authority, owner: owner.rdf, type: type, signatures: true)
        if signatures.isEmpty { return unsignedStatus(of: owner, missing: "no RRSIG covers the \(kind) at \(owner.text)") }
        let unexpanded = RRList()
        withExtendedLifetime(signatures) {
            for signature in signatures.records where (DNSSECValidator.labelsExpanded(by: signature, owner: owner) ?? 0) <= 0 {
                unexpanded.appendCopy(of: signature)
            }
        }
        guard !unexpanded.isEmpty else {
            return .bogus(.dnssecBogus("the \(kind) at \(owner.text) is signed as a wildcard expansion, which proves nothing"))
        }
        return validate(single, signatures: unexpanded, owner: owner, packet: packet)
    }

    /// A DS denial whose matching NSEC/NSEC3 shows NS without SOA proves an
    /// insecure delegation rather than a name inside the parent zone.
    private func noteDelegation(_ owner: DName, proofs: RRList) {
        for proof in proofs.records where matches(proof, name: owner) {
            guard let bitmap = ldns_nsec_get_bitmap(proof) else { continue }
            let hasNS = ldns_nsec_bitmap_covers_type(bitmap, LDNS_RR_TYPE_NS) != 0
            let hasSOA = ldns_nsec_bitmap_covers_type(bitmap, LDNS_RR_TYPE_SOA) != 0
            let hasDS = ldns_nsec_bitmap_covers_type(bitmap, LDNS_RR_TYPE_DS) != 0
            if hasNS && !hasSOA && !hasDS { dsDenialIsDelegation[owner.text] = true }
        }
    }

    /// RFC 5155 section 6: an opt-out NSEC3 covering the next closer name
    /// allows an unsigned delegation.
    private func optOutCovers(_ owner: DName, nsec3s: RRList) -> Bool {
        withExtendedLifetime(nsec3s) { nsec3s.records.contains { ldns_nsec3_optout($0) != 0 && covers($0, name: owner) } }
    }

    /// Whether an opt-out NSEC3 covers `owner` or one of its ancestors (the
    /// next closer name is one of them).
    private func optOutCoversAncestor(of owner: DName, nsec3s: RRList) -> Bool {
        var cursor: DName? = owner
        while let name = cursor, name.labelCount > 0 {
            if optOutCovers(name, nsec3s: nsec3s) { return true }
            cursor = name.parent
        }
        return false
    }

    /// Whether an NSEC or NSEC3 record's owner is `name` (hashed for NSEC3).
    private func matches(_ proof: UnsafeMutablePointer<ldns_rr>, name: DName) -> Bool {
        guard let target = hashedIfNSEC3(proof, name: name) else { return false }
        return ldns_dname_compare(ldns_rr_owner(proof), target.rdf) == 0
    }

    private func covers(_ proof: UnsafeMutablePointer<ldns_rr>, name: DName) -> Bool {
        guard let target = hashedIfNSEC3(proof, name: name) else { return false }
        return ldns_nsec_covers_name(proof, target.rdf) != 0
    }

    private func hashedIfNSEC3(_ proof: UnsafeMutablePointer<ldns_rr>, name: DName) -> DName? {
        guard UInt16(ldns_rr_get_type(proof).rawValue) == DNSType.nsec3 else { return name }
        return NSEC3NoDataProof.hashedOwner(of: name, like: proof)
    }

    // MARK: - Helpers

    /// How many leading labels of `owner` a wildcard expansion supplied
    /// (0 when the RRSIG was made for `owner` itself); nil without a labels
    /// field. RFC 4034 section 3.1.3: the field never counts a leading "*",
    /// so records owned by the wildcard itself were not expanded.
    private static func labelsExpanded(by signature: UnsafeMutablePointer<ldns_rr>, owner: DName) -> Int? {
        guard let labelsRdf = ldns_rr_rrsig_labels(signature), let data = ldns_rdf_data(labelsRdf) else { return nil }
        let ownerLabels = owner.labelCount - (owner.text.hasPrefix("*.") ? 1 : 0)
        return ownerLabels - Int(data.pointee)
    }

    private static func smallestTTL(_ list: RRList) -> UInt32 {
        withExtendedLifetime(list) { list.records.map { ldns_rr_ttl($0) }.min() ?? 0 }
    }

    /// RFC 2308 section 5: a denial lives for the smaller of the SOA's TTL
    /// and its MINIMUM field.
    private static func negativeTTL(_ packet: DNSPacket) -> UInt32 {
        let soa = RRList.select(from: packet.authority, type: DNSType.soa)
        return withExtendedLifetime(soa) {
            guard let record = soa.records.first else { return 0 }
            let minimum = ldns_rr_rdf(record, 6).map { ldns_rdf2native_int32($0) } ?? 0
            return min(ldns_rr_ttl(record), minimum)
        }
    }

    private static func reason(for status: ldns_status, what: String) -> BogusReason {
        let text = String(cString: ldns_get_errorstr_by_id(status))
        switch status {
        case LDNS_STATUS_CRYPTO_SIG_EXPIRED: return .signatureExpired("\(what): \(text)")
        case LDNS_STATUS_CRYPTO_SIG_NOT_INCEPTED: return .signatureNotYetValid("\(what): \(text)")
        default: return .dnssecBogus("\(what): \(text)")
        }
    }

    static func rcodeName(_ rcode: UInt8) -> String {
        switch rcode {
        case 1: return "FORMERR"
        case 2: return "SERVFAIL"
        case 4: return "NOTIMP"
        case 5: return "REFUSED"
        default: return "RCODE \(rcode)"
        }
    }
}
