import XMPPDNA
import XMPPDNACore
import XMPPDNAOpenSSL
import XMPPDNAResolver
import XMPPDNANet
import XMPPDNAIO

/// Raw DNS replies through the resolver: the transport's parse and checks,
/// the validator (or trust-ad), CNAME chasing and the name-list builder,
/// then a TLSA lookup for the first candidate. Input: one flags byte (bit 0
/// trust-ad instead of validating, bit 1 client service, bit 2 keep each
/// reply's own ID instead of the query's, bit 3 repeat through a shared
/// cache), a length-prefixed domain, then the replies in the order the
/// resolver asks (see DNSReplayWire). Validation uses fuzz/dns/anchor.txt
/// at the time in fuzz/dns/time.txt, as when the seeds were recorded.
enum DNSResponseFuzzTarget {
    private static let anchor = FuzzFixtures.text("dns/anchor.txt")
    private static let time = Int64(FuzzFixtures.text("dns/time.txt").split(whereSeparator: \.isWhitespace).first ?? "") ?? 0
    private static let server = try! DNSServerAddress("127.0.0.1@53")

    static func run(_ input: inout FuzzInput) {
        let flags = input.byte()
        guard let domainBytes = input.chunk(), let domain = try? DNSName(String(decoding: domainBytes, as: UTF8.self)) else { return }
        var replies: [[UInt8]] = []
        while replies.count < 64, let reply = input.chunk() { replies.append(reply) }
        let wire = DNSReplayWire(replies: replies, keepIDs: flags & 4 == 4)
        var configuration = fuzzConfiguration(server: server, anchorText: anchor, time: time, trustAD: flags & 1 == 1, wire: wire)
        if flags & 8 == 8 { configuration.cache = DNSCache() }
        guard let resolver = try? DelegationResolver(configuration) else { fatalError("the fuzz anchor does not parse") }
        let service: XMPPService = flags & 2 == 2 ? .xmppClient : .xmppServer
        let rounds = flags & 8 == 8 ? 2 : 1
        // The resolver waits on its wire as a task; this thread waits for it.
        blockingWait {
            for _ in 0..<rounds {
                let list = await resolver.nameList(for: domain, service: service)
                check(list)
                if let first = list.candidates.first {
                    let tlsa = await resolver.tlsa(host: first.host, port: first.port)
                    if !tlsa.status.isSecure { _ = tlsa.records }
                }
                wire.rewind()
            }
        }
    }

    /// The promise under fuzz: nothing that is not secure widens the list.
    private static func check(_ list: NameList) {
        for name in list.acceptableNames.dropFirst() {
            VerdictReading.check(name.status == .secure, "\(name) was added without a secure path")
        }
        if !list.status.isSecure {
            VerdictReading.check(list.acceptableNames.count == 1, "a \(list.status.tag) list holds \(list.acceptableNames.count) names")
        }
        VerdictReading.check(list.json.hasPrefix("{"), "the list's JSON is not an object")
    }
}
