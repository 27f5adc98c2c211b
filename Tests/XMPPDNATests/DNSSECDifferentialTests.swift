import Testing
import Foundation
@testable import XMPPDNA
@testable import XMPPDNACore
@testable import XMPPDNANet
@testable import XMPPDNAOpenSSL
@testable import XMPPDNAResolver

private let world = DNSWorld.shared

/// Every name and type of the loopback world, validated twice: by the
/// in-library validator (asking NSD directly, so Unbound plays no part in it)
/// and by Unbound, whose AD bit and SERVFAIL are the oracle. Any difference
/// fails the suite.
@Suite(.serialized) struct DNSSECDifferentialTests {
    private static let queries: [(String, UInt16)] = {
        var list: [(String, UInt16)] = []
        let srvOwners = ["example.com", "alias.example.com", "nosrv.example.com", "nosrv2.example.com",
                         "toinsecure.example.com", "tobogus.example.com", "tampered.example.com", "missing.example.com",
                         "insecure.example", "bogus.example", "notyet.example", "wrongds.example", "nothere.example.net",
                         "wildsrv.example.com", "unsigned.example.net", "unknownds.example"]
        for owner in srvOwners { list.append(("_xmpp-server._tcp.\(owner)", DNSType.srv)) }
        for service in ["_xmpp-client", "_xmpps-server", "_xmpps-client"] { list.append(("\(service)._tcp.example.com", DNSType.srv)) }
        let hosts = ["host1.example.net", "host2.example.net", "ns.example.net", "xmpp.alias.example.com",
                     "xmpp.toinsecure.example.com", "xmpp.tobogus.example.com", "host.insecure.example", "host.bogus.example",
                     "host.notyet.example", "host.wrongds.example", "nosrv2.example.com", "nothere.example.net",
                     "nonexistent.com", "nope.example", "anything.wild.example.com", "xmpp.wild.example.com",
                     "host.unsigned.example.net", "host.unknownds.example"]
        for host in hosts {
            list.append((host, DNSType.a))
            list.append((host, DNSType.aaaa))
        }
        for tlsa in ["_5269._tcp.host1.example.net", "_5270._tcp.host1.example.net", "_5269._tcp.host2.example.net",
                     "_443._tcp.host1.example.net"] { list.append((tlsa, DNSType.tlsa)) }
        for zone in ["com", "net", "example", "example.com", "example.net", "insecure.example", "bogus.example",
                     "notyet.example", "wrongds.example"] {
            list.append((zone, DNSType.ds))
            list.append((zone, DNSType.dnskey))
        }
        return list
    }()

    private func ours(_ name: String, _ type: UInt16) async -> String {
        let transport = DNSTransport(servers: [world.nsd], timeoutMilliseconds: 1500, retries: 1)
        let anchors = try! TrustAnchors.parse(world.anchor).get()
        let validator = DNSSECValidator(transport: transport, anchors: anchors, time: Int64(Date().timeIntervalSince1970))
        let answer = await validator.lookup(name, type)
        return answer.cnames.reduce(answer.status) { $0.combined(with: $1.status) }.tag
    }

    private func unbounds(_ name: String, _ type: UInt16) async -> String {
        let transport = DNSTransport(servers: [world.unbound], timeoutMilliseconds: 3000, retries: 1)
        switch await transport.query(name: name, type: type, mode: .recursive) {
        case .failure(let problem): return "indeterminate (\(problem))"
        case .success(let packet):
            if packet.rcode == 2 { return DNSSECStatus.bogus(.dnssecBogus("")).tag }
            if packet.rcode != 0 && packet.rcode != 3 { return "rcode \(packet.rcode)" }
            return packet.authenticData ? "secure" : "insecure"
        }
    }

    @Test func validatorAgreesWithUnboundOnEveryNameOfTheWorld() async {
        #expect(world.started, "DNS world did not start: \(world.failure ?? "")")
        var disagreements: [String] = []
        var tally: [String: Int] = [:]
        for (name, type) in Self.queries {
            let mine = await ours(name, type)
            let oracle = await unbounds(name, type)
            tally[oracle, default: 0] += 1
            if mine != oracle { disagreements.append("\(name) type \(type): xmppdna \(mine), Unbound \(oracle)") }
        }
        print("differential: \(Self.queries.count) queries, Unbound says \(tally.sorted { $0.key < $1.key }), \(disagreements.count) disagreements")
        #expect(disagreements.isEmpty, "\(disagreements.joined(separator: "\n"))")
        // The world must exercise all three outcomes, or the comparison proves little.
        #expect(tally["secure", default: 0] > 10 && tally["insecure", default: 0] > 3 && tally["bogus", default: 0] > 5)
    }
}
