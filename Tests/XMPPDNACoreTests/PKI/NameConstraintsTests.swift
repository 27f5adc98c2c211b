import Testing
@testable import XMPPDNACore

// The name constraints OpenSSL does not apply (RFC 5280 section 4.2.1.10):
// the domains inside SRV-IDs (RFC 4985) and XmppAddrs (RFC 6120), and
// wildcards against excluded subtrees. The same rules on real certificates
// run in Tests/XMPPDNATests/PKINameConstraintsTests.swift.

private func id(_ type: IdentifierType, _ text: String) -> PresentedIdentifier {
    PresentedIdentifier(type: type, raw: Array(text.utf8))
}

private func permitting(_ subtrees: NameConstraints.Subtree...) -> NameConstraints {
    NameConstraints(permitted: subtrees, excluded: [])
}

private func excluding(_ subtrees: NameConstraints.Subtree...) -> NameConstraints {
    NameConstraints(permitted: [], excluded: subtrees)
}

@Suite struct NameConstraintsTests {
    /// OpenSSL judges dNSName and iPAddress itself; a plain DNS-ID or IP is
    /// never judged twice, whatever the subtrees.
    @Test func dnsIDsAndAddressesAreLeftToOpenSSL() {
        let strict = NameConstraints(permitted: [.dns("example.org"), .unreadable("bad DER")], excluded: [.dns("example.com")])
        #expect(strict.problem(for: id(.dns, "example.com")) == nil)
        #expect(strict.problem(for: PresentedIdentifier(type: .ip, raw: [192, 0, 2, 1])) == nil)
        #expect(strict.problem(for: id(.uri, "xmpp:example.com")) == nil)
    }

    @Test func xmppAddrDomainMustBeInsideAPermittedDNSSubtree() {
        #expect(permitting(.dns("example.com")).problem(for: id(.xmpp, "example.com")) == nil)
        #expect(permitting(.dns("example.com")).problem(for: id(.xmpp, "user@chat.example.com")) == nil)
        #expect(permitting(.dns("example.com")).problem(for: id(.xmpp, "example.org"))
                == "names example.org, outside the issuing CA's permitted name constraints (DNS example.com)")
        // Any one permitted subtree is enough.
        #expect(permitting(.dns("example.org"), .dns("example.com")).problem(for: id(.xmpp, "example.com")) == nil)
    }

    /// A subtree is a whole-label suffix: "badexample.com" is not under "example.com".
    @Test func subtreesMatchWholeLabels() {
        #expect(permitting(.dns("example.com")).problem(for: id(.xmpp, "badexample.com")) != nil)
        #expect(NameConstraints.dns("badexample.com", isWithin: "example.com") == false)
        #expect(NameConstraints.dns("a.example.com", isWithin: "example.com"))
        #expect(NameConstraints.dns("example.com", isWithin: "example.com"))
    }

    /// As OpenSSL reads it: a leading dot holds only the names below, and an
    /// empty subtree holds every name.
    @Test func aLeadingDotHoldsOnlyNamesBelowAndEmptyHoldsAll() {
        #expect(NameConstraints.dns("example.com", isWithin: ".example.com") == false)
        #expect(NameConstraints.dns("chat.example.com", isWithin: ".example.com"))
        #expect(NameConstraints.dns("anything.example", isWithin: ""))
        #expect(permitting(.dns(".example.com")).problem(for: id(.xmpp, "example.com")) != nil)
        #expect(permitting(.dns(".example.com")).problem(for: id(.xmpp, "chat.example.com")) == nil)
    }

    @Test func anExcludedDNSSubtreeExcludesXmppAddrsAndSRVIDs() {
        let noEvil = excluding(.dns("evil.example"))
        #expect(noEvil.problem(for: id(.xmpp, "a@sub.evil.example"))
                == "names sub.evil.example, inside a subtree the issuing CA's name constraints exclude (DNS evil.example)")
        #expect(noEvil.problem(for: id(.srv, "_xmpp-server.evil.example")) != nil)
        #expect(noEvil.problem(for: id(.xmpp, "example.com")) == nil)
    }

    /// RFC 4985 section 4: an SRVName subtree names a service, a name, or both.
    @Test func srvIDsAreJudgedByTheirSRVNameSubtrees() {
        let servers = permitting(.srv(service: "xmpp-server", name: nil))
        #expect(servers.problem(for: id(.srv, "_xmpp-server.example.com")) == nil)
        #expect(servers.problem(for: id(.srv, "_xmpp-client.example.com")) == "is outside the issuing CA's permitted SRVName name constraints")
        let serversOfExample = permitting(.srv(service: "xmpp-server", name: "example.com"))
        #expect(serversOfExample.problem(for: id(.srv, "_xmpp-server.chat.example.com")) == nil)
        #expect(serversOfExample.problem(for: id(.srv, "_xmpp-server.example.org")) != nil)
        let noClients = excluding(.srv(service: "xmpp-client", name: nil))
        #expect(noClients.problem(for: id(.srv, "_xmpp-client.example.com"))
                == "is inside an SRVName subtree the issuing CA's name constraints exclude")
        #expect(noClients.problem(for: id(.srv, "_xmpp-server.example.com")) == nil)
        // The service label compares case-insensitively.
        #expect(servers.problem(for: id(.srv, "_XMPP-Server.example.com")) == nil)
    }

    /// SRVName subtrees say nothing about XmppAddrs, and DNS subtrees bind
    /// the domain of an SRV-ID too.
    @Test func eachFormFallsUnderTheSubtreesThatApplyToIt() {
        #expect(permitting(.srv(service: "xmpp-server", name: nil)).problem(for: id(.xmpp, "example.com")) == nil)
        #expect(permitting(.dns("example.org")).problem(for: id(.srv, "_xmpp-server.example.com"))
                == "names example.com, outside the issuing CA's permitted name constraints (DNS example.org)")
        #expect(NameConstraints(permitted: [.other], excluded: [.other]).problem(for: id(.xmpp, "example.com")) == nil)
    }

    /// No standard says how an XmppAddr subtree matches, so an XmppAddr under
    /// one is not used; an SRV-ID is not an XmppAddr and is not affected.
    @Test func anXmppAddrSubtreeSetsXmppAddrsAside() {
        let constraints = permitting(.xmppAddr)
        #expect(constraints.problem(for: id(.xmpp, "example.com"))
                == "falls under an XmppAddr name constraint, a form no standard says how to match")
        #expect(excluding(.xmppAddr).problem(for: id(.xmpp, "example.com")) != nil)
        #expect(constraints.problem(for: id(.srv, "_xmpp-server.example.com")) == nil)
    }

    @Test func anUnreadableSubtreeSetsEveryJudgedFormAside() {
        let unreadable = excluding(.unreadable("truncated GeneralSubtree"))
        let why = "falls under a name constraint that cannot be evaluated (truncated GeneralSubtree)"
        #expect(unreadable.problem(for: id(.xmpp, "example.com")) == why)
        #expect(unreadable.problem(for: id(.srv, "_xmpp-server.example.com")) == why)
    }

    /// OpenSSL compares the wildcard with the subtree as text and misses
    /// this (CVE-2025-61727 in Go); a subtree deeper than one label, or below
    /// evil.example.com only, is out of the wildcard's reach.
    @Test func aWildcardThatCouldStandForAnExcludedNameIsNotUsed() {
        let wildcard = id(.dns, "*.example.com")
        let excluded = excluding(.dns("evil.example.com"))
        #expect(excluded.problem(for: wildcard) == "could stand for evil.example.com, a name the issuing CA's name constraints exclude")
        let outOfReach = excluding(.dns("a.evil.example.com"), .dns(".evil.example.com"))
        #expect(outOfReach.problem(for: wildcard) == nil)
        // Permitted subtrees are OpenSSL's: a narrower one already fails its text check.
        #expect(permitting(.dns("good.example.com")).problem(for: wildcard) == nil)
    }

    @Test func srvSubtreeTextIsServiceNameOrBoth() {
        #expect(NameConstraints.srvSubtree("_xmpp-server.example.com") == .srv(service: "xmpp-server", name: "example.com"))
        #expect(NameConstraints.srvSubtree("_XMPP") == .srv(service: "xmpp", name: nil))
        #expect(NameConstraints.srvSubtree("Example.COM") == .srv(service: nil, name: "example.com"))
    }

    @Test func constrainingSetsAnIdentifierAsideWithTheReason() {
        let constraints = [permitting(.dns("example.com")), excluding(.dns("chat.example.com"))]
        let inside = id(.xmpp, "example.com")
        #expect(inside.constrained(by: constraints) == inside)
        let below = id(.xmpp, "chat.example.com").constrained(by: constraints)
        #expect(!below.isUsable && below.type == .xmpp && below.raw == Array("chat.example.com".utf8))
        #expect(below.problem == .nameConstraints(
            "names chat.example.com, inside a subtree the issuing CA's name constraints exclude (DNS chat.example.com)"))
        // An identifier already set aside keeps its own reason.
        let broken = id(.xmpp, "a/b")
        #expect(broken.constrained(by: [excluding(.unreadable("x"))]) == broken)
    }
}
