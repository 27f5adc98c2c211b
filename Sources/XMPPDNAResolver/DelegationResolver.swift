import CLDNS
#if canImport(Glibc)
import Glibc
import XMPPDNACore
import XMPPDNAIO
#endif

/// The I/O edge of delegation: looks up the SRV, A and AAAA records with
/// DNSSEC and hands them to the pure `NameListBuilder`. Immutable; a class
/// so the context hands out its one assembled resolver for a retain.
public final class DelegationResolver: Sendable {
    public let configuration: ResolverConfiguration
    private let anchors: TrustAnchors

    public init(_ configuration: ResolverConfiguration) throws(DNSConfigurationError) {
        try configuration.checkTrustAD()
        if let parsed = configuration.parsedAnchors {
            anchors = parsed
        } else if let text = configuration.anchorText {
            anchors = try TrustAnchors.parse(text).get()
        } else {
            anchors = TrustAnchors.ianaRoot
        }
        self.configuration = configuration
    }

    public func nameList(for domain: DNSName, service: XMPPService) async -> NameList {
        let deadline = lookupDeadline()
        if let list = await withDeadline(deadline, { await self.lookUpNameList(for: domain, service: service) }) { return list }
        // As a failed SRV lookup ends: the domain alone, no candidates.
        var list = NameList(domain: domain, service: service, kind: .noSRV, status: .indeterminate(pastDeadline()),
                            acceptableNames: [AcceptableName(value: .dns(domain), status: nil, source: "the domain itself")],
                            candidates: [])
        list.trustMode = configuration.trustMode == .validate ? "validate" : "trust-ad"
        return list
    }

    private func lookupDeadline() -> Deadline { Deadline(millisecondsFromNow: configuration.lookupDeadlineMilliseconds) }

    private func pastDeadline() -> String {
        "the lookup did not finish within its deadline of \(configuration.lookupDeadlineMilliseconds) ms"
    }

    /// The list from the cache, without a task or a thread hop; nil when it
    /// must be looked up. A warm lookup is this one dictionary hit.
    public func cachedNameList(for domain: DNSName, service: XMPPService) -> NameList? {
        configuration.cache?.nameList(for: nameListKey(domain, service))?.reshuffled()
    }

    private func nameListKey(_ domain: DNSName, _ service: XMPPService) -> DNSCache.NameListKey {
        DNSCache.NameListKey(domain: domain.text, service: service, time: configuration.time, trustMode: configuration.trustMode)
    }

    private func lookUpNameList(for domain: DNSName, service: XMPPService) async -> NameList {
        let mode = configuration.trustMode == .validate ? "validate" : "trust-ad"
        let key = nameListKey(domain, service)
        if let cached = configuration.cache?.nameList(for: key) { return cached.reshuffled() }
        let lookup = makeLookup()
        var shortestTTL = UInt32.max
        var anyFailed = false
        func fetch<Record>(_ name: String, _ type: UInt16,
                           _ parse: (UnsafeMutablePointer<ldns_rr>) -> Record?) async -> DNSAnswer<Record> {
            let answer = await lookup.lookup(name, type)
            shortestTTL = min(shortestTTL, answer.ttl)
            if case .failure = answer.outcome { anyFailed = true }
            if case .indeterminate = answer.status { anyFailed = true }
            return DelegationResolver.convert(answer, parse)
        }
        var srv: [XMPPService: DNSAnswer<SRVRecord>] = [:]
        for member in service.role {
            srv[member] = await fetch(member.srvOwner(for: domain), DNSType.srv, DelegationResolver.srvRecord)
        }
        var addresses: [DNSName: AddressAnswers] = [:]
        // Without SRV the domain itself is the server (RFC 6120 section 3.2.2).
        let noSRV = srv.values.allSatisfy { answer in
            if case .failure = answer.outcome { return false }
            return answer.records.isEmpty
        }
        if noSRV {
            addresses[domain] = AddressAnswers(a: await fetch(domain.text, DNSType.a, DelegationResolver.address),
                                               aaaa: await fetch(domain.text, DNSType.aaaa, DelegationResolver.address))
        }
        for target in NameListBuilder.targets(of: srv, role: service.role, limit: configuration.maxTargets) {
            addresses[target] = AddressAnswers(a: await fetch(target.text, DNSType.a, DelegationResolver.address),
                                               aaaa: await fetch(target.text, DNSType.aaaa, DelegationResolver.address))
        }
        var generator = SystemRandom()
        var list = NameListBuilder.build(domain: domain, service: service, srv: srv, addresses: addresses,
                                        maxTargets: configuration.maxTargets, using: &generator)
        list.trustMode = mode
        // A list with a failed or cancelled lookup in it is asked again next
        // time, never served to other lookups.
        if !anyFailed && !Task.isCancelled { configuration.cache?.store(list, ttl: shortestTTL, for: key) }
        return list
    }

    /// The TLSA records of an endpoint (RFC 6698 section 3, RFC 7673
    /// section 3): `_PORT._tcp.HOST`, following CNAMEs securely. The caller
    /// asks only for targets whose SRV, A and AAAA path was secure.
    public func tlsa(host: DNSName, port: UInt16) async -> DNSAnswer<TLSARecord> {
        await withDeadline(lookupDeadline()) { await self.lookUpTLSA(host: host, port: port) }
            ?? DNSAnswer(.failure, status: .indeterminate(pastDeadline()))
    }

    private func lookUpTLSA(host: DNSName, port: UInt16) async -> DNSAnswer<TLSARecord> {
        DelegationResolver.convert(await makeLookup().lookup(TLSARecord.owner(host: host, port: port), DNSType.tlsa),
                                   DelegationResolver.tlsaRecord)
    }

    /// The chain of trust from the root to the zones of `names`, one link
    /// per zone, top down; empty in trust-ad mode, where the resolver
    /// validated and no keys are seen here.
    public func chainOfTrust(above names: [String]) async -> [ZoneTrustLink] {
        await withDeadline(lookupDeadline()) {
            guard let validator = self.makeLookup() as? DNSSECValidator else { return [] }
            return await ChainOfTrustSurvey(validator: validator).links(above: names)
        } ?? []
    }

    private static func tlsaRecord(_ rr: UnsafeMutablePointer<ldns_rr>) -> TLSARecord? {
        guard ldns_rr_rd_count(rr) == 4, let usage = ldns_rr_rdf(rr, 0), let selector = ldns_rr_rdf(rr, 1),
              let matching = ldns_rr_rdf(rr, 2), let data = ldns_rr_rdf(rr, 3),
              let u = ldns_rdf_data(usage), let s = ldns_rdf_data(selector), let m = ldns_rdf_data(matching),
              let bytes = ldns_rdf_data(data) else { return nil }
        return TLSARecord(usage: u.pointee, selector: s.pointee, matchingType: m.pointee,
                          data: Array(UnsafeBufferPointer(start: bytes, count: ldns_rdf_size(data))))
    }

    private func makeTransport() -> DNSTransport {
        var transport = DNSTransport(servers: configuration.servers, timeoutMilliseconds: configuration.timeoutMilliseconds,
                                     retries: configuration.retries)
        if let wire = configuration.wire { transport.wire = wire }
        transport.limits = configuration.limits
        return transport
    }

    private func makeLookup() -> SecureLookup {
        let transport = makeTransport()
        switch configuration.trustMode {
        case .validate:
            let now = configuration.time ?? Int64(Glibc.time(nil))
            return DNSSECValidator(transport: transport, anchors: anchors, time: now, pinnedTime: configuration.time,
                                   cache: configuration.cache)
        case .trustAD:
            return ADTrustingLookup(transport: transport)
        }
    }

    private static func convert<Record>(_ answer: DNSSECValidator.Answer,
                                        _ parse: (UnsafeMutablePointer<ldns_rr>) -> Record?) -> DNSAnswer<Record> {
        switch answer.outcome {
        case .records(let list):
            return DNSAnswer(.records(list.records.compactMap(parse)), status: answer.status, cnames: answer.cnames)
        case .noData: return DNSAnswer(.noData, status: answer.status, cnames: answer.cnames)
        case .nameError: return DNSAnswer(.nameError, status: answer.status, cnames: answer.cnames)
        case .failure: return DNSAnswer(.failure, status: answer.status, cnames: answer.cnames)
        }
    }

    /// The SRV records at `owner` that failed validation: what the servers
    /// said (asked with CD=1, nothing trusted) beside the validator's
    /// status, so `check` can show the operator which records are bogus.
    /// Empty unless the validated answer is bogus; never connect to them.
    public func refusedSRV(at owner: String) async -> DNSAnswer<SRVRecord> {
        await withDeadline(lookupDeadline()) {
            let validated = await self.makeLookup().lookup(owner, DNSType.srv)
            guard case .bogus = validated.status, let name = DName(owner) else { return DNSAnswer(.noData, status: validated.status) }
            guard case .success(let packet) = await self.makeTransport().query(name: owner, type: DNSType.srv, mode: .validating) else {
                return DNSAnswer(.failure, status: validated.status)
            }
            let served = RRList.select(from: packet.answer, owner: name.rdf, type: DNSType.srv)
            let records = withExtendedLifetime(served) { served.records.compactMap(DelegationResolver.srvRecord) }
            return DNSAnswer(.records(records), status: validated.status)
        } ?? DNSAnswer(.failure, status: .indeterminate(pastDeadline()))
    }

    private static func srvRecord(_ rr: UnsafeMutablePointer<ldns_rr>) -> SRVRecord? {
        guard ldns_rr_rd_count(rr) == 4, let priority = ldns_rr_rdf(rr, 0), let weight = ldns_rr_rdf(rr, 1),
              let port = ldns_rr_rdf(rr, 2), let target = ldns_rr_rdf(rr, 3) else { return nil }
        let targetText = DName.text(of: target)
        let host: DNSName?
        if targetText == "." {
            host = nil
        } else {
            // A target that is not a host name can be neither connected to nor named in a certificate.
            guard let parsed = try? DNSName(targetText) else { return nil }
            host = parsed
        }
        return SRVRecord(priority: ldns_rdf2native_int16(priority), weight: ldns_rdf2native_int16(weight),
                         port: ldns_rdf2native_int16(port), target: host)
    }

    private static func address(_ rr: UnsafeMutablePointer<ldns_rr>) -> IPAddress? {
        guard let rdf = ldns_rr_rdf(rr, 0), let data = ldns_rdf_data(rdf) else { return nil }
        return IPAddress(octets: Array(UnsafeBufferPointer(start: data, count: ldns_rdf_size(rdf))))
    }
}

extension DelegationResolver {
    /// Addresses to connect to for an HTTPS fetch (POSH). PKIX authenticates
    /// that server, so insecure addresses are usable; bogus ones never are.
    public func addresses(of host: DNSName) async -> [IPAddress] {
        await withDeadline(lookupDeadline()) { await self.lookUpAddresses(of: host) } ?? []
    }

    private func lookUpAddresses(of host: DNSName) async -> [IPAddress] {
        let lookup = makeLookup()
        var found: [IPAddress] = []
        for type in [DNSType.aaaa, DNSType.a] {
            let answer = DelegationResolver.convert(await lookup.lookup(host.text, type), DelegationResolver.address)
            if case .bogus = answer.status { continue }
            found += answer.records
        }
        return found
    }
}
