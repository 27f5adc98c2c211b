import CLDNS
import Testing
@testable import XMPPDNAResolver

/// `RRList.select(from:owner:type:signatures:)` with the owner kept alive
/// across the call: it takes the name's raw pointer.
private func select(from list: RRList?, owner: String, type: UInt16, signatures: Bool = false) -> RRList {
    let name = n(owner)
    return withExtendedLifetime(name) {
        RRList.select(from: list?.list, owner: name.rdf, type: type, signatures: signatures)
    }
}

/// The owned record list and the owned name, the two ownership boundaries
/// over ldns, and the selection of records the validator reasons about.
@Suite struct RRListTests {
    private static let section = [
        "www.example.com. 300 IN A 192.0.2.1",
        "www.example.com. 300 IN A 192.0.2.2",
        "www.example.com. 300 IN AAAA 2001:db8::1",
        "WWW.Example.COM. 300 IN RRSIG A 13 3 300 20300101000000 20200101000000 12345 example.com. "
            + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "www.example.com. 300 IN RRSIG AAAA 13 3 300 20300101000000 20200101000000 12345 example.com. "
            + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "mail.example.com. 300 IN A 192.0.2.3",
    ]

    @Test func selectsByOwnerAndTypeWhateverTheCase() throws {
        let list = try records(Self.section)
        let selected = select(from: list, owner: "www.EXAMPLE.com", type: DNSType.a)
        #expect(selected.count == 2)
        #expect(selected.records.allSatisfy { ldns_rr_get_type($0) == LDNS_RR_TYPE_A })
        #expect(select(from: list, owner: "mail.example.com", type: DNSType.a).count == 1)
        #expect(select(from: list, owner: "example.com", type: DNSType.a).isEmpty)
        #expect(select(from: list, owner: "www.example.com", type: DNSType.srv).isEmpty)
    }

    @Test func selectsTheSignaturesCoveringAType() throws {
        let list = try records(Self.section)
        let owner = "www.example.com"
        let overA = select(from: list, owner: owner, type: DNSType.a, signatures: true)
        #expect(overA.count == 1)
        #expect(overA.records.allSatisfy { ldns_rr_get_type($0) == LDNS_RR_TYPE_RRSIG })
        #expect(select(from: list, owner: owner, type: DNSType.aaaa, signatures: true).count == 1)
        #expect(select(from: list, owner: owner, type: DNSType.srv, signatures: true).isEmpty)
        // Without `signatures`, RRSIG is selected as the type it is.
        #expect(select(from: list, owner: owner, type: DNSType.rrsig).count == 2)
    }

    @Test func selectsATypeWhateverTheOwner() throws {
        let list = try records(Self.section)
        #expect(RRList.select(from: list.list, type: DNSType.a).count == 3)
        #expect(RRList.select(from: list.list, type: DNSType.nsec).isEmpty)
        #expect(RRList.select(from: nil, type: DNSType.a).isEmpty)
        #expect(select(from: nil, owner: "example.com", type: DNSType.a).isEmpty)
    }

    @Test func selectionsAreCopiesThatOutliveTheirSource() throws {
        var source: RRList? = try records(Self.section)
        let copy = RRList.select(from: source!.list, type: DNSType.aaaa)
        let original = source![2]
        #expect(copy[0] != original, "a deep copy, not the same record")
        source = nil
        #expect(copy.count == 1)
        #expect(DName.text(of: ldns_rr_owner(copy[0])) == "www.example.com")
    }

    @Test func appendCopyKeepsItsOwnRecord() throws {
        let list = RRList()
        #expect(list.isEmpty)
        let source = try records(["example.com. 300 IN NS ns1.example.com."])
        list.appendCopy(of: source[0])
        #expect(list.count == 1 && !list.isEmpty)
        #expect(list[0] != source[0])
        #expect(ldns_rr_compare(list[0], source[0]) == 0)
    }

    // MARK: - DName

    @Test func nameTextIsLowercaseWithoutTheTrailingDot() {
        #expect(n("WWW.Example.COM.").text == "www.example.com")
        #expect(n("www.example.com").text == "www.example.com")
        #expect(n(".").text == ".")
    }

    @Test func labelsAndParents() {
        let name = n("a.b.example")
        #expect(name.labelCount == 3)
        #expect(name.parent?.text == "b.example")
        #expect(name.parent?.parent?.parent?.text == ".")
        #expect(n(".").labelCount == 0)
        #expect(n(".").parent == nil)
    }

    @Test func copiesOwnTheirName() throws {
        let list = try records(["Host.Example.org. 300 IN A 192.0.2.9"])
        let owner = DName.copy(ldns_rr_owner(list[0]))
        #expect(owner.rdf != ldns_rr_owner(list[0]))
        #expect(owner.text == "host.example.org")
    }

    @Test func aNameTooLongIsNoName() {
        let label = String(repeating: "a", count: 64)
        #expect(DName("\(label).example") == nil, "a label of 64 octets")
        let long = [String](repeating: String(repeating: "a", count: 63), count: 5).joined(separator: ".")
        #expect(DName(long) == nil, "longer than 255 octets")
    }
}
