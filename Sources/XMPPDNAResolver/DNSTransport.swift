#if canImport(Glibc)
import Glibc
#endif
import CLDNS
import XMPPDNACore
import XMPPDNAIO

/// Sends one question to the configured servers and returns the first
/// response that really answers it. ldns does the socket work; this type
/// adds what ldns leaves out: a response counts only if it is a response,
/// its ID matches, and its question is ours (name, type and class).
/// Truncated UDP answers are asked again over TCP.
struct DNSTransport: Sendable {
    var servers: [DNSServerAddress]
    /// Per attempt, in milliseconds.
    var timeoutMilliseconds: Int
    /// Extra rounds over the server list after the first.
    var retries: Int
    /// EDNS0 UDP payload size (1232: the DNS flag day 2020 value, avoids fragments).
    var udpPayloadSize: UInt16 = 1232
    var wire: any DNSWire = SocketWire()
    var limits: QueryLimits?

    enum Mode: Sendable {
        /// Ask with CD (keep bogus data coming) and validate it ourselves.
        case validating
        /// Ask with RD and trust a validating resolver's AD bit.
        case recursive
    }

    func query(name: String, type: UInt16, mode: Mode) async -> Result<DNSPacket, DNSTransportError> {
        guard !servers.isEmpty else { return .failure(.network("no DNS servers are configured")) }
        guard let owner = ldns_dname_new_frm_str(name) else { return .failure(.badQuestion("\(name) is not a domain name")) }
        var generator = SystemRandom()
        let id = UInt16.random(in: 0...UInt16.max, using: &generator)
        guard let query = DNSTransport.encode(owner: owner, type: type, id: id, mode: mode, payload: udpPayloadSize) else {
            return .failure(.badQuestion("cannot encode a query for \(name)"))
        }
        // One slot for the whole question, retries included.
        let zone = QueryLimits.zone(of: name)
        if let limits {
            guard await limits.acquire(zone: zone) else {
                if Task.isCancelled { return .failure(.cancelled) }
                return .failure(.refused("too many DNS queries are waiting in this context"))
            }
        }
        defer { limits?.release(zone: zone) }
        var lastProblem: DNSTransportError = .timeout(servers: servers)
        for _ in 0...max(0, retries) {
            for server in servers {
                switch await exchange(query, with: server, tcp: false, id: id, name: name, type: type) {
                case .success(let packet) where packet.truncated:
                    switch await exchange(query, with: server, tcp: true, id: id, name: name, type: type) {
                    case .success(let packet): return .success(packet)
                    case .failure(let problem): lastProblem = problem
                    }
                case .success(let packet):
                    return .success(packet)
                case .failure(.cancelled):
                    return .failure(.cancelled)
                case .failure(let problem):
                    lastProblem = problem
                }
            }
        }
        return .failure(lastProblem)
    }

    private static func encode(owner: UnsafeMutablePointer<ldns_rdf>, type: UInt16, id: UInt16, mode: Mode,
                               payload: UInt16) -> [UInt8]? {
        guard let pkt = ldns_pkt_query_new(owner, ldns_rr_type(rawValue: UInt32(type)), LDNS_RR_CLASS_IN, 0) else {
            ldns_rdf_deep_free(owner)
            return nil
        }
        defer { ldns_pkt_free(pkt) }
        ldns_pkt_set_id(pkt, id)
        // RD in both modes: a recursive resolver refuses or answers from cache
        // only without it, and an authoritative server ignores it.
        ldns_pkt_set_rd(pkt, 1)
        ldns_pkt_set_cd(pkt, mode == .validating ? 1 : 0)
        ldns_pkt_set_edns_udp_size(pkt, payload)
        ldns_pkt_set_edns_do(pkt, 1)
        guard let buffer = ldns_buffer_new(512) else { return nil }
        defer { ldns_buffer_free(buffer) }
        guard ldns_pkt2buffer_wire(buffer, pkt) == LDNS_STATUS_OK, let bytes = ldns_buffer_begin(buffer) else { return nil }
        return Array(UnsafeBufferPointer(start: bytes, count: ldns_buffer_position(buffer)))
    }

    private func exchange(_ query: [UInt8], with server: DNSServerAddress, tcp: Bool, id: UInt16,
                          name: String, type: UInt16) async -> Result<DNSPacket, DNSTransportError> {
        let reply: [UInt8]
        switch await wire.exchange(query, with: server, tcp: tcp, timeoutMilliseconds: timeoutMilliseconds) {
        case .success(let bytes): reply = bytes
        case .failure(let problem): return .failure(problem)
        }
        guard let packet = reply.withUnsafeBytes({ DNSPacket.parse($0) }) else {
            return .failure(.unusableResponses("\(server) sent a malformed packet"))
        }
        guard packet.isResponse, packet.id == id else {
            return .failure(.unusableResponses("\(server) answered with the wrong ID"))
        }
        guard DNSTransport.questionMatches(packet, name: name, type: type) else {
            return .failure(.unusableResponses("\(server) answered a different question"))
        }
        return .success(packet)
    }

    private static func questionMatches(_ packet: DNSPacket, name: String, type: UInt16) -> Bool {
        guard let question = packet.question, ldns_rr_list_rr_count(question) == 1,
              let rr = ldns_rr_list_rr(question, 0), let asked = ldns_dname_new_frm_str(name) else { return false }
        defer { ldns_rdf_deep_free(asked) }
        return ldns_dname_compare(ldns_rr_owner(rr), asked) == 0
            && ldns_rr_get_type(rr).rawValue == UInt32(type)
            && ldns_rr_get_class(rr) == LDNS_RR_CLASS_IN
    }
}
