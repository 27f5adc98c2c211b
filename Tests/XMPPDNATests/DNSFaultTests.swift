import Foundation
import Testing
@testable import XMPPDNA
@testable import XMPPDNACore
@testable import XMPPDNANet
@testable import XMPPDNAOpenSSL
@testable import XMPPDNAResolver

private let world = DNSWorld.shared

private func lookup(_ domain: String, mode: String) async throws -> NameList {
    let server = try #require(HostileServer(mode: mode), "hostile server \(mode) did not start")
    var configuration = world.configuration(server.address)
    configuration.timeoutMilliseconds = 400
    configuration.retries = 0
    return await withLifetime(server) {
        try! await DelegationResolver(configuration).nameList(for: try! DNSName(domain), service: .xmppServer)
    }
}

@Suite(.serialized) struct DNSFaultTests {
    // The other scripted faults are rows of HostileDNSMatrixTests.
    @Test func garbageIsIndeterminateNeverSecure() async throws {
        #expect(world.started)
        let list = try await lookup("example.com", mode: "garbage")
        guard case .indeterminate(let why) = list.status else {
            Issue.record("garbage: \(list.status)")
            return
        }
        #expect(!why.isEmpty)
        #expect(list.acceptableNames.map(\.text) == ["example.com"])
    }

    @Test func truncatedUDPIsAskedAgainOverTCP() async throws {
        let list = try await lookup("example.com", mode: "truncate")
        #expect(list.status == .secure)
        #expect(list.acceptableNames.map(\.text).contains("host1.example.net"))
    }

    @Test func strippedSignaturesOnAnInsecureZoneStayInsecure() async throws {
        let list = try await lookup("insecure.example", mode: "strip")
        // The DS denial above the zone is stripped too, so the proof of
        // insecurity is gone: bogus, not insecure and never secure.
        #expect(list.status != .secure)
        #expect(list.acceptableNames.map(\.text) == ["insecure.example"])
    }
}
