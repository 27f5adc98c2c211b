import CLDNS
import XMPPDNACore

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

    let transport: DNSTransport
    let anchors: TrustAnchors
    let time: time_t
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
    func lookup(_ name: String, _ type: UInt16) async -> Answer {
        let key = DNSCache.Key(name: DNSName.asciiLowercased(name), type: type, time: cacheTime)
        guard let cache else { return await resolve(name, type) }
        if let hit = cache.answer(for: key) { return hit }
        return await cache.inFlight.value(for: key) {
            // Another asker may have finished while this one waited its turn.
            if let hit = cache.answer(for: key) { return hit }
            let answer = await resolve(name, type)
            cache.store(answer, for: key)
            return answer
        }
    }

    private func resolve(_ name: String, _ type: UInt16) async -> Answer {
        var minimumTTL = UInt32.max
        var current = name
        var cnames: [CNAMELink] = []
        var seen: Set<String> = []
        var aliasPacket: DNSPacket?
        for _ in 0...DNSSECValidator.maxCNAMEHops {
            guard let owner = DName(current) else {
                return Answer(outcome: .failure, status: .indeterminate("\(current) is not a domain name"), cnames: cnames)
            }
            seen.insert(owner.text)
            let packet: DNSPacket
            switch await transport.query(name: current, type: type, mode: .validating) {
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
                // A forwarder that hands back a referral for a CNAME's target:
                // the reply that carried the CNAME may already prove the
                // target insecure (Unbound's CNAME-no-answer case). Never more.
                if let aliasPacket,
                   case .insecure = await validateDenial(of: owner, type: type, packet: aliasPacket, nameError: false).status {
                    return Answer(outcome: .noData, status: .insecure, cnames: cnames, ttl: capped(minimumTTL))
                }
                return Answer(outcome: .failure,
                              status: .indeterminate("the server referred the question for \(owner.text) elsewhere; it must be a recursive resolver or authoritative for it"),
                              cnames: cnames)
            }
            let rrset = RRList.select(from: packet.answer, owner: owner.rdf, type: type)
            if let malformed = DNSSECValidator.malformedRecord(in: rrset) {
                return Answer(outcome: .failure, status: .bogus(.dnssecBogus(malformed)), cnames: cnames)
            }
            if !rrset.isEmpty {
                // The records and an NXDOMAIN for them: the reply contradicts
                // itself (a CNAME's NXDOMAIN speaks of its target).
                if packet.rcode == 3 && type != DNSType.cname {
                    return Answer(outcome: .failure, status: .bogus(.dnssecBogus("NXDOMAIN for \(owner.text) beside its own records")),
                                  cnames: cnames)
                }
                let signatures = DNSSECValidator.signatures(in: packet, owner: owner.rdf, type: type)
                let (verified, signer) = await validateSigned(rrset, signatures: signatures, owner: owner, packet: packet)
                var status = verified
                if let signer, let problem = await messageProblem(in: packet, zone: signer, rule: .answer) { status = .bogus(problem) }
                minimumTTL = min(minimumTTL, DNSSECValidator.smallestTTL(rrset))
                return Answer(outcome: .records(rrset), status: status, cnames: cnames, ttl: capped(minimumTTL))
            }
            let alias = RRList.select(from: packet.answer, owner: owner.rdf, type: DNSType.cname)
            if type != DNSType.cname, !alias.isEmpty {
                guard alias.count == 1, let targetRdf = ldns_rr_rdf(alias[0], 0) else {
                    return Answer(outcome: .failure, status: .bogus(.dnssecBogus("\(owner.text) has several CNAMEs")), cnames: cnames)
                }
                let signatures = DNSSECValidator.signatures(in: packet, owner: owner.rdf, type: DNSType.cname)
                let (verified, signer) = await validateSigned(alias, signatures: signatures, owner: owner, packet: packet)
                var status = verified
                if let signer, let problem = await messageProblem(in: packet, zone: signer, rule: .besideCNAME) { status = .bogus(problem) }
                // A CNAME where a DS was asked: no zone cut there, and never
                // the target's DS (RFC 4035 section 2.4; Unbound reads it so).
                if type == DNSType.ds {
                    if case .bogus = status { return Answer(outcome: .failure, status: status, cnames: cnames) }
                    return Answer(outcome: .noData, status: status, cnames: cnames, ttl: capped(DNSSECValidator.smallestTTL(alias)))
                }
                let target = DName.text(of: targetRdf)
                minimumTTL = min(minimumTTL, DNSSECValidator.smallestTTL(alias))
                cnames.append(CNAMELink(owner: owner.text, target: target, status: status))
                if case .bogus = status { return Answer(outcome: .failure, status: status, cnames: cnames) }
                guard !seen.contains(target) else {
                    return Answer(outcome: .failure, status: .indeterminate("CNAME loop at \(target)"), cnames: cnames)
                }
                current = target
                aliasPacket = packet
                continue
            }
            let nameError = packet.rcode == 3
            let denial = await validateDenial(of: owner, type: type, packet: packet, nameError: nameError)
            var answer = Answer(outcome: nameError && !denial.emptyNonTerminal ? .nameError : .noData, status: denial.status, cnames: cnames,
                                ttl: capped(min(minimumTTL, DNSSECValidator.negativeTTL(packet))))
            answer.provesInsecureDelegation = denial.insecureDelegation
            return answer
        }
        return Answer(outcome: .failure, status: .indeterminate("CNAME chain longer than \(DNSSECValidator.maxCNAMEHops)"),
                      cnames: cnames)
    }

    private func lookupDS(_ zone: DName) async -> Answer {
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
        let answer = await lookup(zone.text, DNSType.ds)
        dsAnswers[zone.text] = answer
        return answer
    }

    // MARK: - RRsets

    /// The status of one RRset given the RRSIGs that came with it.
    private func validate(_ rrset: RRList, signatures: RRList, owner: DName, packet: DNSPacket) async -> DNSSECStatus {
        await validateSigned(rrset, signatures: signatures, owner: owner, packet: packet).status
    }

    /// The status of one RRset, and the signed zone whose key verified it
    /// (nil when none did): the rest of the reply answers to that zone.
    private func validateSigned(_ rrset: RRList, signatures: RRList, owner: DName,
                                packet: DNSPacket) async -> (status: DNSSECStatus, signer: DName?) {
        if signatures.isEmpty { return await (unsignedStatus(of: owner, missing: "no RRSIG covers \(owner.text)"), nil) }
        var failure: BogusReason?
        var insecureSigner = false
        let isDS = rrset.count > 0 && UInt16(ldns_rr_get_type(rrset[0]).rawValue) == DNSType.ds
        for signature in signatures.records {
            guard let signerRdf = ldns_rr_rrsig_signame(signature) else { continue }
            let signer = DName.copy(signerRdf)
            guard owner.isSubdomain(ofOrEqual: signer) else {
                failure = .dnssecBogus("RRSIG over \(owner.text) claims signer \(signer.text), which is not above it")
                continue
            }
            // A DS RRset is the parent's; the child cannot vouch for its own key.
            if isDS && signer.equals(owner) && owner.labelCount > 0 {
                failure = .dnssecBogus("the DS of \(owner.text) is signed by \(owner.text) itself, not its parent")
                continue
            }
            // RFC 4035 section 5.3.1: more labels than the owner has is no signature over it.
            guard let expanded = DNSSECValidator.labelsExpanded(by: signature, owner: owner), expanded >= 0 else {
                failure = .dnssecBogus("RRSIG over \(owner.text) counts more labels than the name has")
                continue
            }
            switch await trust(of: signer) {
            case .secure(let keys):
                let status = ldns_verify_rrsig_keylist_time(rrset.list, signature, keys.list, time, nil)
                if status == LDNS_STATUS_OK {
                    noteLifetime(of: signature)
                    guard expanded > 0 else { return (.secure, signer) }
                    return await (wildcardProof(for: owner, encloser: owner.suffix(keepingLabels: owner.labelCount - expanded),
                                          signer: signer, packet: packet), signer)
                }
                failure = DNSSECValidator.reason(for: status, what: "RRSIG over \(owner.text)")
            case .insecure:
                insecureSigner = true
            case .bogus(let reason):
                failure = reason
            case .indeterminate(let why):
                return (.indeterminate(why), nil)
            }
        }
        if let failure { return (.bogus(failure), nil) }
        return (insecureSigner ? .insecure : .bogus(.rrsigsMissing("no usable RRSIG over \(owner.text)")), nil)
    }

    /// An answer synthesised from the wildcard at `encloser` is secure only
    /// with proof, from the zone that signed it, that the name itself does
    /// not exist (RFC 4035 section 5.3.4, RFC 5155 section 8.8); an NSEC or
    /// NSEC3 *at* the name proves the opposite.
    private func wildcardProof(for owner: DName, encloser: DName, signer: DName, packet: DNSPacket) async -> DNSSECStatus {
        // Each proof checked here is validated in turn; a hostile reply must
        // not be able to nest that without end.
        depth += 1
        defer { depth -= 1 }
        guard depth <= DNSSECValidator.maxDepth else {
            return .bogus(.dnssecBogus("wildcard proofs for \(owner.text) nest too deep"))
        }
        let nsecs = await verifiedDenialRecords(of: DNSType.nsec, zone: signer, packet: packet)
        let nsec3s = await verifiedDenialRecords(of: DNSType.nsec3, zone: signer, packet: packet)
        return withExtendedLifetime((nsecs, nsec3s)) {
            let nsecRecords = nsecs.records.compactMap(NSECProof.Record.init)
            if nsecRecords.contains(where: { NSECProof.provesWildcardExpansion($0, owner, encloser: encloser) }) { return .secure }
            if !nsec3s.isEmpty, case .success(let proof) = NSEC3Proof.make(zone: signer, from: nsec3s.records) {
                if proof.iterations > DNSSECValidator.maxNSEC3Iterations { return .insecure }
                switch proof.provesWildcardExpansion(owner, encloser: encloser) {
                case .secure: return .secure
                case .insecure: return .insecure
                case .bogus: break
                }
            }
            return .bogus(.nsecMissing("wildcard answer for \(owner.text) without proof that the name does not exist"))
        }
    }

    // MARK: - Zone keys

    /// The judgement of a zone's keys that validation uses, for the
    /// chain-of-trust picture (ChainOfTrustSurvey).
    func keyStatus(of zone: DName) async -> DNSSECStatus {
        switch await trust(of: zone) {
        case .secure: return .secure
        case .insecure: return .insecure
        case .bogus(let reason): return .bogus(reason)
        case .indeterminate(let why): return .indeterminate(why)
        }
    }

    private func trust(of zone: DName) async -> ZoneTrust {
        if let cached = zoneTrust[zone.text] { return cached }
        depth += 1
        defer { depth -= 1 }
        guard depth <= DNSSECValidator.maxDepth else { return .bogus(.dnssecBogus("chain of trust too deep at \(zone.text)")) }
        let result = await computeTrust(of: zone)
        zoneTrust[zone.text] = result
        return result
    }

    private func computeTrust(of zone: DName) async -> ZoneTrust {
        let anchored = anchors.anchors(for: zone)
        if !anchored.isEmpty { return await keys(of: zone, provenBy: anchored, source: "trust anchor") }
        // Above every configured anchor nothing can be proven either way (an
        // island of trust below, as Unbound has it): insecure, never secure.
        guard closestAnchor(of: zone) != nil else { return .insecure }
        switch await DSEvidence(lookupDS(zone)) {
        case .signedDS(let records):
            let trust = await keys(of: zone, provenBy: records.records, source: "DS")
            withExtendedLifetime(records) {}
            return trust
        case .insecureCut:
            return .insecure
        case .bogus(let reason):
            return .bogus(reason)
        case .indeterminate(let why):
            return .indeterminate(why)
        case .notACut:
            return .bogus(.dnssecBogus("\(zone.text) is not a zone cut, yet an RRSIG names it as signer"))
        case .noSuchName:
            return .bogus(.dnskeyMissing("\(zone.text) does not exist"))
        }
    }

    /// What the answer to a DS question says about the cut at that name;
    /// the walk for unsigned data and the key chain read it alike.
    private enum DSEvidence {
        case signedDS(RRList)
        /// Insecure, or a secure denial proving a delegation without DS.
        case insecureCut
        /// A secure denial with no delegation there: no zone starts at the name.
        case notACut
        case noSuchName
        case bogus(BogusReason)
        case indeterminate(String)

        init(_ answer: Answer) {
            switch (answer.outcome, answer.status) {
            case (.records(let records), .secure): self = .signedDS(records)
            case (_, .insecure): self = .insecureCut
            case (_, .bogus(let reason)): self = .bogus(reason)
            case (_, .indeterminate(let why)): self = .indeterminate(why)
            case (.noData, .secure): self = answer.provesInsecureDelegation ? .insecureCut : .notACut
            case (.nameError, .secure), (.failure, .secure): self = .noSuchName
            }
        }
    }

    /// The deepest name at or above `name` with a configured trust anchor.
    private func closestAnchor(of name: DName) -> DName? {
        var cursor: DName? = name
        while let current = cursor {
            if !anchors.anchors(for: current).isEmpty { return current }
            cursor = current.parent
        }
        return nil
    }

    /// DNSKEYs of `zone`, trusted when a key matching a DS (or DNSKEY)
    /// anchor signs the DNSKEY RRset.
    private func keys(of zone: DName, provenBy anchorsOrDS: [UnsafeMutablePointer<ldns_rr>], source: String) async -> ZoneTrust {
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
        // RFC 4509 section 3: SHA-1 DS records are ignored beside stronger ones.
        let strongest = usable.filter { DNSSECValidator.dsDigestType($0).map { $0 != 1 } ?? true }
        let vouching = strongest.isEmpty ? usable : strongest
        let packet: DNSPacket
        switch await transport.query(name: zone.text, type: DNSType.dnskey, mode: .validating) {
        case .failure(let problem): return .indeterminate(problem.description)
        case .success(let response): packet = response
        }
        let dnskeys = RRList.select(from: packet.answer, owner: zone.rdf, type: DNSType.dnskey)
        let signatures = DNSSECValidator.signatures(in: packet, owner: zone.rdf, type: DNSType.dnskey)
        guard !dnskeys.isEmpty else { return .bogus(.dnskeyMissing("\(zone.text) has no DNSKEY")) }
        // RFC 4034 section 2.1.1 and RFC 5011 section 3: only zone keys that
        // are not revoked sign anything.
        let zoneKeys = RRList()
        for key in dnskeys.records where DNSSECValidator.isUsableZoneKey(key) { zoneKeys.appendCopy(of: key) }
        guard !zoneKeys.isEmpty else {
            return .bogus(.noZoneKeyBitSet("no DNSKEY of \(zone.text) is a zone key that is not revoked"))
        }
        let matching = RRList()
        for key in zoneKeys.records where vouching.contains(where: { ldns_rr_compare_ds($0, key) != 0 }) {
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
                if status == LDNS_STATUS_OK { noteLifetime(of: signature) }
                return status == LDNS_STATUS_OK
            }
        }
        return verified ? .secure(zoneKeys) : .bogus(failure)
    }

    // MARK: - Unsigned data and denial

    /// Unsigned data is insecure only below a proven insecure delegation;
    /// inside a signed zone it is bogus. Walk the DS records from the top.
    private func unsignedStatus(of owner: DName, missing: String) async -> DNSSECStatus {
        var chain: [DName] = []
        var cursor: DName? = owner
        while let name = cursor, name.parent != nil {
            chain.append(name)
            cursor = name.parent
        }
        guard let anchor = closestAnchor(of: owner) else { return .insecure }
        if case .insecure = await trust(of: anchor) { return .insecure }
        for name in chain.reversed() where name.isStrictSubdomain(of: anchor) {
            switch DSEvidence(await lookupDS(name)) {
            case .insecureCut:
                return .insecure
            case .bogus(let reason):
                return .bogus(reason)
            case .indeterminate(let why):
                return .indeterminate(why)
            case .signedDS:
                // A signed DS whose algorithms or digests are all unknown
                // makes the zone below insecure (RFC 6840 section 5.2).
                switch await trust(of: name) {
                case .insecure: return .insecure
                case .bogus(let reason): return .bogus(reason)
                case .indeterminate(let why): return .indeterminate(why)
                case .secure: continue
                }
            case .notACut:
                continue
            case .noSuchName:
                return .bogus(.nsecMissing("\(name.text) is proven not to exist, yet data for \(owner.text) arrived"))
            }
        }
        return .bogus(.rrsigsMissing(missing))
    }

    struct Denial {
        let status: DNSSECStatus
        /// A secure DS denial at a delegation (NS without DS): the zone below is insecure.
        var insecureDelegation = false
        /// An NXDOMAIN whose proof shows the name exists, empty: no data, not no name.
        var emptyNonTerminal = false
    }

    /// Validates the NSEC/NSEC3 proof that `owner`/`type` does not exist.
    /// The proof is bound to one zone: the deepest signer of the denial
    /// records that may speak for `owner` (for DS, a zone strictly above it).
    /// Every NSEC and NSEC3 in the reply must be that zone's and verify.
    private func validateDenial(of owner: DName, type: UInt16, packet: DNSPacket, nameError: Bool) async -> Denial {
        let nsecCount = RRList.select(from: packet.authority, type: DNSType.nsec).count
        let nsec3Count = RRList.select(from: packet.authority, type: DNSType.nsec3).count
        let what = nameError ? "does not exist" : "has no such record"
        if nsecCount == 0 && nsec3Count == 0 {
            return await Denial(status: unsignedStatus(of: owner, missing: "no NSEC or NSEC3 proves that \(owner.text) \(what)"))
        }
        guard let zone = denialZone(for: owner, type: type, packet: packet) else {
            return Denial(status: .bogus(.nsecMissing("no NSEC or NSEC3 offered for \(owner.text) is signed by a zone above it")))
        }
        switch await trust(of: zone) {
        case .secure: break
        case .insecure: return Denial(status: .insecure)
        case .bogus(let reason): return Denial(status: .bogus(reason))
        case .indeterminate(let why): return Denial(status: .indeterminate(why))
        }
        if let problem = await messageProblem(in: packet, zone: zone, rule: .denial) { return Denial(status: .bogus(problem)) }
        let nsecs = await verifiedDenialRecords(of: DNSType.nsec, zone: zone, packet: packet)
        let nsec3s = await verifiedDenialRecords(of: DNSType.nsec3, zone: zone, packet: packet)
        guard nsecs.count == nsecCount, nsec3s.count == nsec3Count else {
            return Denial(status: .bogus(.nsecMissing("an NSEC or NSEC3 offered for \(owner.text) is not validly signed by \(zone.text)")))
        }
        return withExtendedLifetime((nsecs, nsec3s)) {
            if !nsecs.isEmpty {
                let records = nsecs.records.compactMap(NSECProof.Record.init)
                let denial = nsecDenial(of: owner, type: type, nameError: nameError, records: records)
                if case .bogus = denial.status, !nsec3s.isEmpty {} else { return denial }
            }
            switch NSEC3Proof.make(zone: zone, from: nsec3s.records) {
            case .failure(let unusable): return Denial(status: .bogus(.nsecMissing(unusable.reason)))
            case .success(let proof): return nsec3Denial(of: owner, type: type, nameError: nameError, proof: proof)
            }
        }
    }

    /// What the rest of a reply is held to, by what the reply is.
    enum MessageRule {
        /// The asked records: every authority RRset answers to their zone.
        case answer
        /// A denial: likewise (its NSEC/NSEC3 are checked by the proof).
        case denial
        /// A CNAME: only what its zone signed must verify; the rest is the
        /// next zone's, asked of it in the next step.
        case besideCNAME
    }

    /// Unbound refuses a whole reply when one RRset in it fails to verify
    /// with the keys of the zone that signed the answer or denial
    /// (validate_msg_signatures). An NSEC or RRSIG from elsewhere beside a
    /// genuine answer makes it bogus here too. What Unbound's scrubber drops
    /// first is skipped: address, CNAME and DNAME records in the authority
    /// section, NS beside a denial, an unsigned NS beside an answer,
    /// RRsets outside the zone (out of bailiwick), and the answer's other
    /// RRsets, which nothing here reads.
    private func messageProblem(in packet: DNSPacket, zone: DName, rule: MessageRule) async -> BogusReason? {
        guard case .secure(let keys) = await trust(of: zone) else { return nil }
        let groups = DNSSECValidator.rrsetGroups(in: rule == .besideCNAME ? [packet.answer, packet.authority] : [packet.authority])
        var failed: [(owner: DName, type: UInt16, orphan: Bool, reason: BogusReason)] = []
        for (owner, type) in groups {
            if [DNSType.a, DNSType.aaaa, DNSType.cname, DNSType.dname].contains(type) && rule != .besideCNAME { continue }
            if rule == .denial && type == DNSType.ns { continue }
            // Out of the zone's bailiwick: a recursor would never have kept it.
            if !owner.isSubdomain(ofOrEqual: zone) { continue }
            let rrset = RRList.select(from: packet.answer, owner: owner.rdf, type: type)
            let inAuthority = RRList.select(from: packet.authority, owner: owner.rdf, type: type)
            withExtendedLifetime(inAuthority) { for record in inAuthority.records { rrset.appendCopy(of: record) } }
            if rule == .denial && [DNSType.nsec, DNSType.nsec3].contains(type) && !rrset.isEmpty { continue }
            let signatures = DNSSECValidator.signatures(in: packet, owner: owner.rdf, type: type)
            let byZone = RRList()
            withExtendedLifetime(signatures) {
                for signature in signatures.records where ldns_rr_rrsig_signame(signature).map({ DName.copy($0).equals(zone) }) ?? false {
                    byZone.appendCopy(of: signature)
                }
            }
            if rule == .besideCNAME && byZone.isEmpty { continue }
            if rule == .answer && type == DNSType.ns && signatures.isEmpty { continue }
            if rrset.isEmpty {
                // An RRSIG whose RRset is in the additional section is that section's business.
                if !RRList.select(from: packet.additional, owner: owner.rdf, type: type).isEmpty { continue }
                failed.append((owner, type, true, .dnssecBogus("an RRSIG over type \(type) at \(owner.text) came without its RRset")))
                continue
            }
            if let reason = verificationProblem(rrset, signatures: byZone, owner: owner, zone: zone, keys: keys) {
                failed.append((owner, type, false, reason))
            }
        }
        // A lone bad NS beside a good answer: a forwarder that cut the
        // reply short (Unbound's detect_wrongly_truncated) answers anyway.
        if rule == .answer, groups.count == 1, failed.count == 1, failed[0].type == DNSType.ns, !failed[0].orphan { return nil }
        return failed.first?.reason
    }

    /// Whether some RRSIG by `zone` over `rrset` verifies with its keys.
    private func verificationProblem(_ rrset: RRList, signatures: RRList, owner: DName, zone: DName, keys: RRList) -> BogusReason? {
        guard !signatures.isEmpty else {
            return .rrsigsMissing("the type \(ldns_rr_get_type(rrset[0]).rawValue) RRset at \(owner.text) is not signed by \(zone.text), which signed the reply")
        }
        var failure = BogusReason.dnssecBogus("no RRSIG by \(zone.text) over \(owner.text) verifies")
        for signature in signatures.records {
            guard let expanded = DNSSECValidator.labelsExpanded(by: signature, owner: owner), expanded >= 0 else { continue }
            let status = ldns_verify_rrsig_keylist_time(rrset.list, signature, keys.list, time, nil)
            if status == LDNS_STATUS_OK {
                noteLifetime(of: signature)
                return nil
            }
            failure = DNSSECValidator.reason(for: status, what: "RRSIG over \(owner.text)")
        }
        return failure
    }

    /// The (owner, type) RRsets of these sections in order, an RRSIG standing for the type it covers.
    private static func rrsetGroups(in sections: [UnsafeMutablePointer<ldns_rr_list>?]) -> [(owner: DName, type: UInt16)] {
        var seen: Set<String> = []
        var groups: [(owner: DName, type: UInt16)] = []
        for case let section? in sections {
            for index in 0..<ldns_rr_list_rr_count(section) {
                guard let rr = ldns_rr_list_rr(section, index) else { continue }
                var type = UInt16(ldns_rr_get_type(rr).rawValue)
                if type == DNSType.rrsig, let covered = ldns_rr_rrsig_typecovered(rr) { type = ldns_rdf2native_int16(covered) }
                let owner = DName.copy(ldns_rr_owner(rr))
                if seen.insert("\(owner.text)/\(type)").inserted { groups.append((owner, type)) }
            }
        }
        return groups
    }

    /// The zone a denial for `owner` must come from, among the signers of
    /// the NSEC/NSEC3 records in the reply.
    private func denialZone(for owner: DName, type: UInt16, packet: DNSPacket) -> DName? {
        let signatures = RRList.select(from: packet.authority, type: DNSType.rrsig)
        return withExtendedLifetime(signatures) {
            var best: DName?
            for signature in signatures.records {
                guard let covered = ldns_rr_rrsig_typecovered(signature), let signerRdf = ldns_rr_rrsig_signame(signature) else { continue }
                let coveredType = ldns_rdf2native_int16(covered)
                guard coveredType == DNSType.nsec || coveredType == DNSType.nsec3 else { continue }
                let signer = DName.copy(signerRdf)
                guard owner.isSubdomain(ofOrEqual: signer) else { continue }
                // The DS of a zone is denied by its parent, never by itself.
                if type == DNSType.ds && signer.equals(owner) && owner.labelCount > 0 { continue }
                if best.map({ signer.labelCount > $0.labelCount }) ?? true { best = signer }
            }
            return best
        }
    }

    /// The records of `type` in the authority section that `zone` signed,
    /// each verified under its own owner (an expanded one proves nothing).
    private func verifiedDenialRecords(of type: UInt16, zone: DName, packet: DNSPacket) async -> RRList {
        let result = RRList()
        let candidates = RRList.select(from: packet.authority, type: type)
        do {
            defer { withExtendedLifetime(candidates) {} }
            for record in candidates.records where await validateDenialRecord(record, zone: zone, packet: packet) == .secure {
                // An NSEC whose next name leaves its zone would deny names the zone does not hold.
                if type == DNSType.nsec, let next = ldns_rr_rdf(record, 0), !DName.copy(next).isSubdomain(ofOrEqual: zone) { continue }
                result.appendCopy(of: record)
            }
        }
        return result
    }

    /// One NSEC/NSEC3 record is evidence only once an RRSIG by `zone`, made
    /// for its own owner and not a wildcard expansion, verifies.
    private func validateDenialRecord(_ proof: UnsafeMutablePointer<ldns_rr>, zone: DName, packet: DNSPacket) async -> DNSSECStatus {
        let owner = DName.copy(ldns_rr_owner(proof))
        let type = UInt16(ldns_rr_get_type(proof).rawValue)
        let single = RRList()
        single.appendCopy(of: proof)
        let signatures = DNSSECValidator.signatures(in: packet, owner: owner.rdf, type: type)
        let usable = RRList()
        withExtendedLifetime(signatures) {
            for signature in signatures.records where DNSSECValidator.labelsExpanded(by: signature, owner: owner) == 0 {
                guard let signer = ldns_rr_rrsig_signame(signature), DName.copy(signer).equals(zone) else { continue }
                usable.appendCopy(of: signature)
            }
        }
        guard !usable.isEmpty else {
            return .bogus(.nsecMissing("the \(type == DNSType.nsec ? "NSEC" : "NSEC3") at \(owner.text) has no RRSIG by \(zone.text) over its own name"))
        }
        return await validate(single, signatures: usable, owner: owner, packet: packet)
    }

    private func nsecDenial(of owner: DName, type: UInt16, nameError: Bool, records: [NSECProof.Record]) -> Denial {
        if records.contains(where: { NSECProof.provesInsecureDelegation($0, owner, type: type) }) { return Denial(status: .insecure) }
        if nameError {
            // An NXDOMAIN for an empty non-terminal is a NODATA that its NSEC proves (as Unbound reads it).
            if !records.contains(where: { NSECProof.provesNoWildcard($0, owner) }),
               case .secure = nsecDenial(of: owner, type: type, nameError: false, records: records).status {
                return Denial(status: .secure, emptyNonTerminal: true)
            }
            guard records.contains(where: { NSECProof.provesNameError($0, owner) }) else {
                return Denial(status: .bogus(.nsecMissing("no NSEC proves that \(owner.text) does not exist")))
            }
            guard records.contains(where: { NSECProof.provesNoWildcard($0, owner) }) else {
                return Denial(status: .bogus(.nsecMissing("no NSEC proves that no wildcard answers for \(owner.text)")))
            }
            return Denial(status: .secure)
        }
        if type == DNSType.ds, let at = records.first(where: { $0.owner.equals(owner) }) {
            switch NSECProof.provesNoDS(at, owner) {
            case .insecureDelegation: return Denial(status: .secure, insecureDelegation: true)
            case .notACut: return Denial(status: .secure)
            case .bogus(let why): return Denial(status: .bogus(.nsecMissing(why)))
            }
        }
        var wildcardEncloser: DName?
        for record in records {
            switch NSECProof.provesNoData(record, owner, type: type) {
            case .proven: return Denial(status: .secure)
            case .provenByWildcard(let encloser): wildcardEncloser = encloser
            case .notProven: continue
            }
        }
        // A wildcard's NODATA holds only when the name itself does not exist
        // and that wildcard is the one for its closest encloser.
        if let wildcardEncloser,
           records.contains(where: { NSECProof.provesWildcardExpansion($0, owner, encloser: wildcardEncloser) }),
           type != DNSType.ds {
            return Denial(status: .secure)
        }
        return Denial(status: .bogus(.nsecMissing("no NSEC proves that \(owner.text) has no such record")))
    }

    private func nsec3Denial(of owner: DName, type: UInt16, nameError: Bool, proof: NSEC3Proof) -> Denial {
        // RFC 9276 section 3.2.
        if proof.iterations > DNSSECValidator.maxNSEC3Iterations { return Denial(status: .insecure) }
        let status: NSEC3Proof.Status
        if nameError {
            status = proof.provesNameError(owner)
        } else if type == DNSType.ds {
            switch proof.provesNoDS(owner) {
            case .insecureDelegation: return Denial(status: .secure, insecureDelegation: true)
            case .notACut: return Denial(status: .secure)
            case .optOut: return Denial(status: .insecure, insecureDelegation: true)
            case .bogus(let why): return Denial(status: .bogus(.nsecMissing(why)))
            }
        } else {
            status = proof.provesNoData(owner, type: type)
        }
        switch status {
        case .secure: return Denial(status: .secure)
        case .insecure: return Denial(status: .insecure)
        case .bogus(let why): return Denial(status: .bogus(.nsecMissing("NSEC3 records of \(proof.zone.text) do not prove the denial for \(owner.text): \(why)")))
        }
    }

    // MARK: - Signature lifetimes

    /// Seconds until the first signature this validator relied on expires:
    /// no answer it gives may be cached longer.
    private var signaturesValidFor = Int64.max

    private func noteLifetime(of signature: UnsafeMutablePointer<ldns_rr>) {
        guard let field = ldns_rr_rrsig_expiration(signature) else { return }
        // RFC 4034 section 3.1.5: serial number arithmetic on 32-bit times.
        let remaining = Int64(Int32(bitPattern: ldns_rdf2native_int32(field) &- UInt32(truncatingIfNeeded: time)))
        signaturesValidFor = min(signaturesValidFor, max(0, remaining))
    }

    private func capped(_ ttl: UInt32) -> UInt32 { UInt32(clamping: min(Int64(ttl), signaturesValidFor)) }

    private static func isUsableZoneKey(_ key: UnsafeMutablePointer<ldns_rr>) -> Bool {
        let flags = ldns_rr_dnskey_flags(key).map { ldns_rdf2native_int16($0) } ?? 0
        return flags & 0x0100 != 0 && flags & 0x0080 == 0
    }

    private static func dsDigestType(_ ds: UnsafeMutablePointer<ldns_rr>) -> UInt8? {
        guard UInt16(ldns_rr_get_type(ds).rawValue) == DNSType.ds, let digest = ldns_rr_rdf(ds, 2),
              let data = ldns_rdf_data(digest) else { return nil }
        return data.pointee
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

    /// The RRSIGs over one RRset, from whichever section they came in: a
    /// signature proves the same wherever it travels (Unbound's parser
    /// joins them to their RRset too).
    private static func signatures(in packet: DNSPacket, owner: UnsafePointer<ldns_rdf>, type: UInt16) -> RRList {
        let result = RRList()
        for section in [packet.answer, packet.authority, packet.additional] {
            let found = RRList.select(from: section, owner: owner, type: type, signatures: true)
            withExtendedLifetime(found) { for signature in found.records { result.appendCopy(of: signature) } }
        }
        return result
    }

    /// An address record of the wrong length: a signer's mistake or a
    /// forgery, never data (Unbound scrubs it, which leaves the RRset bogus).
    private static func malformedRecord(in rrset: RRList) -> String? {
        withExtendedLifetime(rrset) {
            for record in rrset.records {
                let type = UInt16(ldns_rr_get_type(record).rawValue)
                let expected = type == DNSType.a ? 4 : type == DNSType.aaaa ? 16 : nil
                guard let expected else { continue }
                let size = ldns_rr_rd_count(record) == 1 ? ldns_rr_rdf(record, 0).map { ldns_rdf_size($0) } : nil
                if size != expected { return "\(DName.text(of: ldns_rr_owner(record))) has an address record of the wrong length" }
            }
            return nil
        }
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
