import Foundation
import Testing
@testable import XMPPDNA
@testable import XMPPDNACore
@testable import XMPPDNANet
@testable import XMPPDNAOpenSSL
@testable import XMPPDNAResolver

private let world = DNSWorld.shared

/// Many threads looking up delegations through one shared cache, as the
/// threads of a server sharing one context do. `make test` also runs this
/// under TSan (its name matches --filter Concurrency).
@Suite struct DelegationConcurrencyTests {
    @Test func sharedCacheServesManyThreadsConsistently() async throws {
        #expect(world.started)
        var configuration = world.configuration(world.nsd)
        configuration.cache = DNSCache()
        let resolver = try DelegationResolver(configuration)
        let domains = ["example.com", "insecure.example", "bogus.example", "alias.example.com", "nosrv2.example.com"]
        var lists: [NameList] = []
        for domain in domains { lists.append(await resolver.nameList(for: try DNSName(domain), service: .xmppServer)) }
        let expected = lists
        configuration.cache?.flush()

        let problems = await withTaskGroup(of: [String].self) { group in
            for worker in 0..<8 {
                group.addTask {
                    var found: [String] = []
                    for round in 0..<40 {
                        let index = (worker + round) % domains.count
                        let list = await resolver.nameList(for: try! DNSName(domains[index]), service: .xmppServer)
                        if list.status != expected[index].status || list.acceptableNames != expected[index].acceptableNames {
                            found.append("\(domains[index]): \(list.status) \(list.acceptableNames.map(\.text))")
                        }
                    }
                    return found
                }
            }
            var all: [String] = []
            for await found in group { all += found }
            return all
        }
        #expect(problems.isEmpty, "\(problems.prefix(5))")
        #expect(configuration.cache!.statistics.hits > 100)
    }
}
