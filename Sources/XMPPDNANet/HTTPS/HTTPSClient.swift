import XMPPDNACore
import XMPPDNAOpenSSL

/// One HTTPS GET, for POSH. The server must prove the expected name with
/// PKIX under the caller's trust store and time, by the same chain and
/// RFC 9525 name rules the library applies to XMPP peers (RFC 7711 section
/// 3 uses RFC 2818 for this step). Nothing is sent before that check.
struct HTTPSClient: Sendable {
    let trust: TrustStore
    let time: Int64?
    let resolve: @Sendable (DNSName) async -> [IPAddress]

    static let maxResponseBytes = 65_536 + HTTPResponse.maxHeaderBytes

    /// `connectTo` replaces the host and port the request goes to (a test
    /// world, a staging server); the path, Host header, SNI and the
    /// certificate check still come from `url`.
    func get(_ url: POSHURL, connectTo: POSHURL? = nil, deadline: UInt64) async throws(POSHError) -> HTTPResponse {
        let endpoint = connectTo ?? url
        let addresses: [IPAddress]
        if let literal = try? IPAddress(endpoint.host) {
            addresses = [literal]
        } else {
            if let host = try? DNSName(endpoint.host) { addresses = await resolve(host) } else { addresses = [] }
            guard !addresses.isEmpty else { throw .fetch("\(endpoint.host) has no usable address") }
        }
        let serverName = (try? IPAddress(url.host)) == nil ? url.host : nil
        var failures: [String] = []
        for address in addresses {
            let connection: TLSConnection
            do {
                connection = try await TLSConnection(address: address, port: endpoint.port, serverName: serverName, deadline: deadline)
            } catch {
                failures.append(error.message)
                continue
            }
            try authenticate(connection.peerChain, as: url.host)
            let request = "GET \(url.target) HTTP/1.1\r\n"
                + "Host: \(url.authority)\r\n"
                + "Accept: application/json\r\nUser-Agent: xmppdna\r\nConnection: close\r\n\r\n"
            let response: [UInt8]
            do {
                try await connection.write(Array(request.utf8))
                response = try await connection.readToEnd(limit: HTTPSClient.maxResponseBytes)
            } catch {
                throw .fetch(error.message)
            }
            return try HTTPResponse.parse(response, maxBody: POSHFetcher.maxDocumentBytes)
        }
        throw .fetch(failures.joined(separator: "; "))
    }

    private func authenticate(_ chain: [Certificate], as host: String) throws(POSHError) {
        guard let leaf = chain.first else { throw .fetch("the HTTPS server for \(host) presented no certificate") }
        if case .invalid(_, _, let text) = ChainVerifier.verify(chain, store: trust, time: time, direction: .outbound) {
            throw .fetch("the HTTPS server for \(host) presented a certificate that fails PKIX validation: \(text)")
        }
        guard let reference = try? ReferenceIdentifier(name: host),
              !IdentityMatcher().matches(references: [reference], presented: leaf.presentedIdentifiers).isEmpty else {
            let names = leaf.presentedIdentifiers.map(\.description).joined(separator: ", ")
            throw .fetch("the HTTPS server's certificate does not name \(host) (it names \(names.isEmpty ? "nothing" : names))")
        }
    }
}
