import Testing
@testable import XMPPDNACore

@Suite struct XMPPServiceTests {
    @Test func serverReferencesAreDNSIDSRVIDAndXmppAddr() throws {
        let refs = XMPPService.xmppServer.referenceIdentifiers(for: try DNSName("example.com"))
        #expect(refs.map(\.description) == ["DNS-ID example.com", "SRV-ID _xmpp-server.example.com", "XmppAddr example.com"])
    }

    @Test func directTLSAlsoAcceptsTheStartTLSSRVIDOfTheSameRole() throws {
        let refs = XMPPService.xmppsClient.referenceIdentifiers(for: try DNSName("example.com"))
        #expect(refs.map(\.value).contains("_xmpps-client.example.com"))
        #expect(refs.map(\.value).contains("_xmpp-client.example.com"))
        #expect(!refs.map(\.value).contains("_xmpp-server.example.com"))
    }

    @Test func labelsRoundTrip() {
        for service in XMPPService.allCases { #expect(XMPPService(label: service.label) == service) }
        #expect(XMPPService(label: "xmpp") == nil)
    }
}
