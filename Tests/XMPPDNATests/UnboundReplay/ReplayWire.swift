import CLDNS
import Foundation
@testable import XMPPDNA
@testable import XMPPDNACore
@testable import XMPPDNANet
@testable import XMPPDNAOpenSSL
@testable import XMPPDNAResolver

/// The scenario's simulated servers behind one stub address. Our validator
/// asks a single server everything with CD=1; Unbound asks the root and
/// follows referrals. So each question is resolved here the way Unbound's
/// iterator would reach it: from the stub (or forward) zone's addresses down
/// through NS referrals and glue, DS questions at the parent side of the
/// cut, until a server answers; that answer goes back to the validator.
/// Nothing is cached between questions, and nothing is validated here.
final class ReplayWire: DNSWire, @unchecked Sendable {
    private let scenario: ReplayScenario
    private let step: Int
    private let lock = NSLock()
    private var unanswered: [String] = []
    /// Zone cuts learned from referrals during this step, with their servers.
    private var delegations: [(zone: ReplayName, servers: [String])] = []
    /// DS records (with their RRSIGs) that came with a referral: Unbound
    /// keeps them and never asks the parent for that DS again.
    private var referralDS: [(zone: ReplayName, records: [String])] = []
    /// NSEC/NSEC3 records (with RRSIGs) that denied the DS inside a referral,
    /// or that another reply carried at an unsigned delegation.
    private var referralDSDenial: [(zone: ReplayName, records: [String])] = []

    init(scenario: ReplayScenario, step: Int) {
        self.scenario = scenario
        self.step = step
    }

    /// Questions no simulated server answered (the validator saw a timeout).
    var questionsWithoutAnswer: [String] { lock.withLock { unanswered } }

    func exchange(_ query: [UInt8], with server: DNSServerAddress, tcp: Bool,
                  timeoutMilliseconds: Int) -> Result<[UInt8], DNSTransportError> {
        var parsed: UnsafeMutablePointer<ldns_pkt>?
        guard ldns_wire2pkt(&parsed, query, query.count) == LDNS_STATUS_OK, let request = parsed else {
            return .failure(.network("replay: unparsable query"))
        }
        defer { ldns_pkt_free(request) }
        guard let question = ldns_rr_list_rr(ldns_pkt_question(request), 0) else { return .failure(.network("replay: no question")) }
        let name = ReplayName(rdf: ldns_rr_owner(question))
        let type = ReplayWire.typeName(UInt16(ldns_rr_get_type(question).rawValue))
        if ProcessInfo.processInfo.environment["XMPPDNA_REPLAY_TRACE"] == "1" { print("  asks \(name) \(type)") }
        guard let reply = resolve(name, type, depth: 0) ?? (type == "DS" ? earlierNSEC3Denial(for: name) : nil) else {
            lock.withLock { unanswered.append("\(name) \(type)") }
            return .failure(.timeout(servers: [server]))
        }
        guard let bytes = ReplayWire.packet(for: reply, answering: request) else {
            return .failure(.network("replay: cannot encode the answer to \(name) \(type)"))
        }
        return .success(bytes)
    }

    // MARK: - Iteration

    /// The answer Unbound's iterator would end with for name/type, or nil
    /// when no simulated server answers.
    func resolve(_ name: ReplayName, _ type: String, depth: Int) -> ReplayScenario.Entry? {
        guard depth < 6 else { return nil }
        if type == "DS", let known = lock.withLock({ referralDS.first { $0.zone == name } }) {
            var entry = ReplayScenario.Entry()
            entry.flags = ["QR", "AA"]
            entry.sections["ANSWER"] = known.records
            return entry
        }
        if type == "DS", let denial = lock.withLock({ referralDSDenial.first { $0.zone == name } }) {
            var entry = ReplayScenario.Entry()
            entry.flags = ["QR", "AA"]
            entry.sections["AUTHORITY"] = denial.records
            return entry
        }
        // The deepest zone holding the name whose servers are known: a stub or
        // forward zone, or a cut learned from an earlier referral (Unbound's
        // delegation cache). DS is asked above a zone's own apex, because
        // the parent holds it.
        let known = scenario.zones.map { (zone: ReplayName($0.name), servers: $0.addresses, forward: $0.forward) }
            + lock.withLock { delegations }.map { (zone: $0.zone, servers: $0.servers, forward: false) }
        let candidates = known.filter { name.isSubdomain(of: $0.zone) && !(type == "DS" && name == $0.zone && !$0.zone.isRoot) }
        guard let start = candidates.max(by: { $0.zone.labels.count < $1.zone.labels.count }) else { return nil }
        var zone = start.zone
        var servers = start.servers
        for _ in 0..<16 {
            var reply: ReplayScenario.Entry?
            for server in servers {
                guard let answer = ask(server, name, type) else { continue }
                reply = answer
                // A server that refuses or fails: Unbound tries the next one.
                if answer.rcode == "NOERROR" || answer.rcode == "NXDOMAIN" { break }
            }
            guard let reply else { return nil }
            // A forwarder is a recursive resolver: its answer is final.
            if start.forward { return reply }
            guard reply.rcode == "NOERROR", reply.records("ANSWER").isEmpty else { return reply }
            let authority = reply.records("AUTHORITY").compactMap(ReplayRR.init)
            if authority.contains(where: { $0.type == "SOA" }) { return reply }
            // RFC 1034 section 4.3.2: NS records below the zone we asked, over
            // the name, are a referral (Unbound's iter_resptype does the same).
            let cut = authority.first { $0.type == "NS" && $0.owner.isSubdomain(of: zone) && $0.owner != zone
                && name.isSubdomain(of: $0.owner) }
            guard let cut else { return reply }
            // The parent's referral for its child's own DS: the child cannot
            // answer it. Returned as it is, so the validator sees a referral.
            if type == "DS" && cut.owner == name { return reply }
            let targets = authority.filter { $0.type == "NS" && $0.owner == cut.owner }.map { ReplayName($0.rdata.first ?? ".") }
            let glue = reply.records("ADDITIONAL").compactMap(ReplayRR.init)
                .filter { ($0.type == "A" || $0.type == "AAAA") && targets.contains($0.owner) }
                .compactMap(\.rdata.first)
            var next = glue
            if next.isEmpty {
                // No glue: resolve the server names from the top, as Unbound does.
                for target in targets {
                    guard let answer = resolve(target, "A", depth: depth + 1) else { continue }
                    next += answer.records("ANSWER").compactMap(ReplayRR.init)
                        .filter { $0.type == "A" && $0.owner == target }.compactMap(\.rdata.first)
                }
            }
            guard !next.isEmpty else { return nil }
            let ds = reply.records("AUTHORITY").filter { line in
                guard let rr = ReplayRR(line), rr.owner == cut.owner else { return false }
                return rr.type == "DS" || (rr.type == "RRSIG" && rr.rdata.first?.uppercased() == "DS")
            }
            // The NSEC/NSEC3 proof of no DS that came with an unsigned
            // referral: Unbound validates the cut with it and never asks.
            let denial = ds.isEmpty ? reply.records("AUTHORITY").filter { line in
                guard let rr = ReplayRR(line) else { return false }
                let covered = rr.rdata.first?.uppercased()
                return rr.type == "NSEC" || rr.type == "NSEC3" || (rr.type == "RRSIG" && (covered == "NSEC" || covered == "NSEC3"))
            } : []
            lock.withLock {
                delegations.append((cut.owner, next))
                if !ds.isEmpty { referralDS.append((cut.owner, ds)) }
                if !denial.isEmpty { referralDSDenial.append((cut.owner, denial)) }
            }
            zone = cut.owner
            servers = next
        }
        return nil
    }

    /// One simulated server's answer: the first entry that matches, in the
    /// ranges active at this step for this address (testbound's find_match).
    /// A truncated UDP answer is asked again over TCP.
    private func ask(_ server: String, _ name: ReplayName, _ type: String) -> ReplayScenario.Entry? {
        guard let udp = match(server, name, type, tcp: false) else { return nil }
        let reply = udp.flags.contains("TC") ? match(server, name, type, tcp: true) : udp
        if let reply {
            noteDelegationNSEC(in: reply)
            noteNSEC3(in: reply)
        }
        return reply
    }

    /// NSEC3 records (with RRSIGs) any reply carried, by zone: Unbound keeps
    /// them and proves an opt-out cut with them without asking its DS.
    private var seenNSEC3: [(zone: ReplayName, records: [String])] = []

    private func noteNSEC3(in reply: ReplayScenario.Entry) {
        let lines = reply.records("AUTHORITY").filter { line in
            guard let rr = ReplayRR(line) else { return false }
            return rr.type == "NSEC3" || (rr.type == "RRSIG" && rr.rdata.first?.uppercased() == "NSEC3")
        }
        guard let first = lines.compactMap(ReplayRR.init).first(where: { $0.type == "NSEC3" }) else { return }
        let zone = ReplayName(first.owner.labels.dropFirst().joined(separator: "."))
        lock.withLock { seenNSEC3.append((zone, lines)) }
    }

    /// A DS question no simulated server answers, answered with the NSEC3
    /// records an earlier reply carried from a zone above the name; the
    /// validator still has to find the proof in them.
    private func earlierNSEC3Denial(for name: ReplayName) -> ReplayScenario.Entry? {
        guard let seen = lock.withLock({ seenNSEC3.last { name.isSubdomain(of: $0.zone) && name != $0.zone } }) else { return nil }
        var entry = ReplayScenario.Entry()
        entry.flags = ["QR", "AA"]
        entry.sections["AUTHORITY"] = seen.records
        return entry
    }

    /// An NSEC at an unsigned delegation (NS, no DS, no SOA) in any reply:
    /// Unbound keeps it and proves that cut insecure without asking its DS,
    /// so a later DS question for that name is answered with it.
    private func noteDelegationNSEC(in reply: ReplayScenario.Entry) {
        let lines = reply.records("AUTHORITY")
        for line in lines {
            guard let rr = ReplayRR(line), rr.type == "NSEC" else { continue }
            let types = Set(rr.rdata.dropFirst().map { $0.uppercased() })
            guard types.contains("NS"), !types.contains("DS"), !types.contains("SOA") else { continue }
            let proof = lines.filter { other in
                guard let candidate = ReplayRR(other), candidate.owner == rr.owner else { return false }
                return candidate.type == "NSEC" || (candidate.type == "RRSIG" && candidate.rdata.first?.uppercased() == "NSEC")
            }
            lock.withLock {
                if !referralDSDenial.contains(where: { $0.zone == rr.owner }) { referralDSDenial.append((rr.owner, proof)) }
            }
        }
    }

    private func match(_ server: String, _ name: ReplayName, _ type: String, tcp: Bool) -> ReplayScenario.Entry? {
        for range in scenario.ranges where range.start <= step && step <= range.end
            && (range.addresses.isEmpty || range.addresses.contains(server)) {
            for entry in range.entries where ReplayWire.matches(entry, name, type, tcp: tcp) { return entry }
        }
        return nil
    }

    static func matches(_ entry: ReplayScenario.Entry, _ name: ReplayName, _ type: String, tcp: Bool) -> Bool {
        if entry.match.contains("tcp") && !tcp { return false }
        if entry.match.contains("udp") && tcp { return false }
        guard let question = entry.question else { return !entry.match.contains("qname") && !entry.match.contains("qtype") }
        if entry.match.contains("qtype") && question.type != type { return false }
        let asked = ReplayName(question.name)
        if entry.match.contains("qname") && asked != name { return false }
        if entry.match.contains("subdomain") && !name.isSubdomain(of: asked) { return false }
        return true
    }

    // MARK: - Packets

    /// The entry as a response to `request`: its ID and question (our
    /// transport checks both, as testbound's copy_id/copy_query make them
    /// match), QR, the entry's AA/TC/RA/AD flags and rcode, and its records.
    static func packet(for entry: ReplayScenario.Entry, answering request: UnsafeMutablePointer<ldns_pkt>) -> [UInt8]? {
        guard let pkt = ldns_pkt_new() else { return nil }
        defer { ldns_pkt_free(pkt) }
        ldns_pkt_set_id(pkt, ldns_pkt_id(request))
        ldns_pkt_set_qr(pkt, 1)
        ldns_pkt_set_rd(pkt, ldns_pkt_rd(request))
        ldns_pkt_set_cd(pkt, ldns_pkt_cd(request))
        ldns_pkt_set_aa(pkt, entry.flags.contains("AA") ? 1 : 0)
        ldns_pkt_set_ra(pkt, entry.flags.contains("RA") ? 1 : 0)
        ldns_pkt_set_ad(pkt, entry.flags.contains("AD") ? 1 : 0)
        let rcodes = ["NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMPL", "REFUSED", "YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH"]
        ldns_pkt_set_rcode(pkt, UInt8(rcodes.firstIndex(of: entry.rcode) ?? 2))
        if let question = ldns_rr_list_rr(ldns_pkt_question(request), 0) {
            ldns_pkt_push_rr(pkt, LDNS_SECTION_QUESTION, ldns_rr_clone(question))
        }
        let sections: [(String, ldns_pkt_section)] = [("ANSWER", LDNS_SECTION_ANSWER), ("AUTHORITY", LDNS_SECTION_AUTHORITY),
                                                      ("ADDITIONAL", LDNS_SECTION_ADDITIONAL)]
        for (name, section) in sections {
            for line in entry.records(name) {
                guard let rr = parseRR(line) else { continue }
                rfc2536Signature(rr)
                ldns_pkt_push_rr(pkt, section, rr)
            }
        }
        guard let buffer = ldns_buffer_new(4096) else { return nil }
        defer { ldns_buffer_free(buffer) }
        guard ldns_pkt2buffer_wire(buffer, pkt) == LDNS_STATUS_OK, let bytes = ldns_buffer_begin(buffer) else { return nil }
        return Array(UnsafeBufferPointer(start: bytes, count: ldns_buffer_position(buffer)))
    }

    /// One zone-file line as an ldns record (TTL 3600 when it has none, as
    /// testbound assumes), or nil when ldns cannot read it.
    static func parseRR(_ line: String) -> UnsafeMutablePointer<ldns_rr>? {
        var rr: UnsafeMutablePointer<ldns_rr>?
        guard ldns_rr_new_frm_str(&rr, line, 3600, nil, nil) == LDNS_STATUS_OK else { return nil }
        return rr
    }

    /// Unbound's test data carries DSA signatures as DER (SEQUENCE of r and
    /// s), which Unbound's verifier accepts beside the RFC 2536 wire format
    /// (T, R, S: 41 octets) that ldns reads. The signed data is the same, so
    /// rewriting the encoding keeps the scenario's meaning; a signature that
    /// is not well-formed DER is left alone and fails in both.
    static func rfc2536Signature(_ rr: UnsafeMutablePointer<ldns_rr>) {
        guard ldns_rr_get_type(rr) == LDNS_RR_TYPE_RRSIG, let algorithm = ldns_rr_rrsig_algorithm(rr),
              [3, 6].contains(ldns_rdf2native_int8(algorithm)), let signature = ldns_rr_rrsig_sig(rr),
              let data = ldns_rdf_data(signature) else { return }
        let der = Array(UnsafeBufferPointer(start: data, count: ldns_rdf_size(signature)))
        guard der.count != 41, der.count >= 8, der[0] == 0x30, Int(der[1]) == der.count - 2 else { return }
        var index = 2
        func integer() -> [UInt8]? {
            guard index + 2 <= der.count, der[index] == 0x02 else { return nil }
            let length = Int(der[index + 1])
            guard index + 2 + length <= der.count else { return nil }
            var value = Array(der[(index + 2)..<(index + 2 + length)])
            index += 2 + length
            while value.count > 20, value.first == 0 { value.removeFirst() }
            guard value.count <= 20 else { return nil }
            return [UInt8](repeating: 0, count: 20 - value.count) + value
        }
        guard let r = integer(), let s = integer(), index == der.count else { return }
        // T is not used by verification (the key carries it); 8 is the 1024-bit value.
        let wire: [UInt8] = [8] + r + s
        guard let rdf = ldns_rdf_new_frm_data(LDNS_RDF_TYPE_B64, wire.count, wire) else { return }
        if let old = ldns_rr_set_rdf(rr, rdf, 8) { ldns_rdf_deep_free(old) }
    }

    static func typeName(_ type: UInt16) -> String {
        guard let text = ldns_rr_type2str(ldns_rr_type(rawValue: UInt32(type))) else { return "TYPE\(type)" }
        defer { free(text) }
        return String(cString: text).uppercased()
    }
}

/// A domain name as lowercase labels, enough for matching and cuts.
struct ReplayName: Equatable, CustomStringConvertible {
    let labels: [String]

    init(_ text: String) {
        labels = text.lowercased().split(separator: ".").map(String.init)
    }

    init(rdf: UnsafePointer<ldns_rdf>) {
        self.init(DName.text(of: rdf))
    }

    var isRoot: Bool { labels.isEmpty }
    var description: String { labels.isEmpty ? "." : labels.joined(separator: ".") + "." }

    func isSubdomain(of other: ReplayName) -> Bool {
        labels.count >= other.labels.count && Array(labels.suffix(other.labels.count)) == other.labels
    }
}

/// The fields of a zone-file record line that iteration needs.
struct ReplayRR {
    let owner: ReplayName
    let type: String
    let rdata: [String]

    /// "owner [ttl] [class] type rdata...": TTL and class may come in either order.
    init?(_ line: String) {
        let fields = line.split(whereSeparator: \.isWhitespace).map(String.init)
        guard fields.count >= 2 else { return nil }
        var index = 1
        while index < fields.count, fields[index].allSatisfy(\.isNumber) || ["IN", "CH", "HS", "CS"].contains(fields[index].uppercased()) {
            index += 1
        }
        guard index < fields.count else { return nil }
        owner = ReplayName(fields[0])
        type = fields[index].uppercased()
        rdata = Array(fields[(index + 1)...])
    }
}
