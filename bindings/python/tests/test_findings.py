"""The typed findings of C API 0.3 through Python: every decision here reads
a code (and the fields the header names for it), never the English text."""
import json

import pytest

import xmppdna
from conftest import AT, spki_sha256_hex

F = xmppdna.FindingCode


@pytest.fixture()
def context(pki, world):
    server, anchor = world
    with xmppdna.Context(ca_file=str(pki / "root.pem"), servers=[server], anchor_file=anchor) as ctx:
        yield ctx


@pytest.fixture()
def offline(pki):
    """No DNS server: only what a request carries counts."""
    with xmppdna.Context(ca_file=str(pki / "root.pem"), time=AT) as ctx:
        yield ctx


def chain(pki, name):
    return (pki / ("%s-chain.pem" % name)).read_bytes()


def test_a_stale_tlsa_record_in_dns_is_a_tlsa_mismatch(context, pki):
    """example.com delegates to host1.example.net, whose secure TLSA names
    host1's key: the full certificate matches none of them."""
    verdict = context.verify(chain(pki, "full"), "example.com", endpoint=("host1.example.net", 5269))
    assert not verdict.accepted and verdict.prooftype is None
    assert verdict.attempts[0].prooftype == "dane" and verdict.attempts[0].outcome == "rejected"
    mismatch = verdict.find(F.TLSA_MISMATCH)
    assert mismatch is not None and mismatch.tag == "tlsa_mismatch" and int(mismatch.code) == 206
    assert mismatch.prooftype == "dane" and mismatch.outcome == "rejected" and mismatch.dnssec == "secure"
    assert mismatch.subject == "_5269._tcp.host1.example.net"
    assert spki_sha256_hex(pki / "host1.pem") in mismatch.expected
    assert mismatch in verdict.attempts[0].findings


def test_a_pki_name_mismatch_names_what_was_expected_and_seen(offline, pki):
    verdict = offline.verify(chain(pki, "host1"), "example.org", prooftypes=["pki"], no_lookups=True)
    assert not verdict.accepted and verdict.chain.status == "valid" and verdict.matches == []
    finding = verdict.find(F.PKI_NO_NAME_MATCHES)
    assert finding.prooftype == "pki" and finding.outcome == "rejected" and finding.dnssec is None
    assert "example.org" in finding.expected and "_xmpp-server.example.org" in finding.expected
    assert "host1.example.net" in finding.seen and "example.org" not in finding.seen


def test_an_insecure_delegation_is_its_own_finding(context, pki):
    verdict = context.verify(chain(pki, "host1"), "insecure.example", prooftypes=["pki"])
    assert not verdict.accepted
    assert verdict.find(F.PKI_NO_NAME_MATCHES) is not None
    assert verdict.find(F.DELEGATION_NOT_SECURE).dnssec == "insecure"


def test_an_invalid_chain_carries_the_openssl_code_and_depth(offline, pki):
    verdict = offline.verify(chain(pki, "expired"), "example.com", prooftypes=["pki"], no_lookups=True)
    assert not verdict.accepted
    assert verdict.chain.status == "invalid" and verdict.chain.openssl_code == 10  # X509_V_ERR_CERT_HAS_EXPIRED
    assert verdict.chain.depth == 0 and verdict.chain.text
    finding = verdict.find(F.PKI_CHAIN_INVALID)
    assert (finding.openssl_code, finding.depth) == (10, 0)
    wrong = offline.verify(chain(pki, "wrong-ca"), "example.com", prooftypes=["pki"], no_lookups=True)
    assert wrong.find(F.PKI_CHAIN_INVALID).openssl_code == wrong.chain.openssl_code != 0


def test_a_name_only_in_the_cn_is_said_so(offline, pki):
    verdict = offline.verify(chain(pki, "cn-only"), "example.com", prooftypes=["pki"], no_lookups=True)
    assert not verdict.accepted
    assert F.PKI_NO_NAME_MATCHES in verdict.codes and F.PKI_NAME_ONLY_IN_CN in verdict.codes
    assert xmppdna.Presented("cn", "example.com", True, None) in verdict.presented
    with xmppdna.Context(ca_file=str(pki / "root.pem"), time=AT, cn_fallback=True) as legacy:
        assert legacy.verify(chain(pki, "cn-only"), "example.com", prooftypes=["pki"], no_lookups=True).accepted


def test_bogus_tlsa_in_dns_rejects_with_its_extended_error(context, pki):
    """bogus.example's signatures expired: its TLSA at _5269._tcp.host is
    bogus, and a bogus TLSA rejects the peer whatever else would accept."""
    verdict = context.verify(chain(pki, "host1"), "host.bogus.example", direction="inbound",
                             prooftypes=["dane", "dialback"], dialback="verified")
    assert not verdict.accepted
    bogus = verdict.find(F.TLSA_BOGUS)
    assert bogus.dnssec == "bogus" and bogus.extended_error == 7  # Signature Expired
    assert bogus.subject == "_5269._tcp.host.bogus.example"
    assert verdict.attempts[1].outcome == "not_tried" and verdict.attempts[1].findings[0].code == F.AFTER_DANE_REJECTION


def test_supplied_tlsa_statuses_map_to_their_findings(offline, pki):
    record = "3 1 1 " + spki_sha256_hex(pki / "host1.pem")
    host1 = chain(pki, "host1")
    for status, code, outcome in (("bogus", F.TLSA_BOGUS, "rejected"), ("insecure", F.TLSA_INSECURE, "not_applicable"),
                                  ("indeterminate", F.TLSA_INDETERMINATE, "rejected")):
        verdict = offline.verify(host1, "example.com", prooftypes=["dane"], tlsa=[(record, status)])
        assert verdict.attempts[0].outcome == outcome and verdict.find(code).dnssec == status, status
    accepted = offline.verify(host1, "example.com", prooftypes=["dane"], tlsa=[(record, "secure")])
    assert accepted.accepted and accepted.find(F.DANE_MATCHED).seen == record


def test_dialback_strength_follows_the_dnssec_of_the_delegation(context):
    strong = context.verify(None, "example.com", prooftypes=["dialback"], dialback="verified")
    assert strong.accepted and strong.prooftype == "dialback" and strong.codes == [F.DIALBACK_STRONG]
    assert strong.dialback_strength == "strong"
    weak = context.verify(None, "insecure.example", prooftypes=["dialback"], dialback="verified")
    assert weak.accepted and weak.codes == [F.DIALBACK_WEAK] and weak.dialback_strength == "weak"
    refused = context.verify(None, "insecure.example", prooftypes=["dialback"], dialback="verified",
                             refuse_weak_dialback=True)
    assert not refused.accepted and refused.codes == [F.DIALBACK_WEAK_REFUSED]
    failed = context.verify(None, "example.com", prooftypes=["dialback"], dialback="failed")
    assert not failed.accepted and failed.codes == [F.DIALBACK_FAILED] and failed.dialback_strength is None
    missing = context.verify(None, "example.com", prooftypes=["dialback"])
    assert not missing.accepted and missing.codes == [F.DIALBACK_NOT_SUPPLIED]


def test_posh_documents_supplied_by_the_caller(offline, pki):
    host1 = chain(pki, "host1")
    other = '{"fingerprints":[{"sha-256":"%s"}],"expires":60}' % ("A" * 43 + "=")
    mismatch = offline.verify(host1, "insecure.example", prooftypes=["posh"], posh=other)
    assert not mismatch.accepted and mismatch.find(F.POSH_MISMATCH).expected
    malformed = offline.verify(host1, "insecure.example", prooftypes=["posh"], posh=b"{not json")
    assert not malformed.accepted and malformed.find(F.POSH_MALFORMED).detail
    unavailable = offline.verify(host1, "insecure.example", prooftypes=["posh"], no_lookups=True)
    assert unavailable.find(F.POSH_UNAVAILABLE).outcome == "not_applicable"


def test_a_match_only_check_reads_presented_identifiers(offline):
    """A server that parsed the certificate itself: no chain, the leaf's
    identifiers, NAMES_ONLY and NO_LOOKUPS."""
    verdict = offline.verify(None, "example.com", presented=[("dns", "example.com"), ("ip", "192.0.2.1")],
                             prooftypes=["pki"], names_only=True, no_lookups=True)
    assert verdict.accepted and verdict.prooftype == "pki" and verdict.chain.status == "not_checked"
    assert verdict.codes[0] == F.PKI_CHAIN_NOT_CHECKED
    assert xmppdna.Match(("dns", "example.com"), ("dns", "example.com")) in verdict.matches
    assert xmppdna.Presented("ip", "192.0.2.1", True, None) in verdict.presented
    # Hostile content is recorded as unusable and never matches.
    hostile = offline.verify(None, "example.com", presented=[("dns", b"example.com\0.evil.test")],
                             prooftypes=["pki"], names_only=True, no_lookups=True)
    assert not hostile.accepted and not hostile.presented[0].usable and hostile.presented[0].problem
    ignored = hostile.find(F.PKI_IDENTIFIER_IGNORED)
    assert ignored.seen and ignored.detail
    # Without NAMES_ONLY there is no chain to verify, so PKI does not accept.
    assert not offline.verify(None, "example.com", presented=[("dns", "example.com")], prooftypes=["pki"],
                              no_lookups=True).accepted
    with pytest.raises(xmppdna.InvalidArgumentError):
        offline.verify(None, "example.com", presented=[("dns", "example.com")], names_only=True)
    assert xmppdna.match(("dns", "example.com"), [("dns", "example.com")])
    assert not xmppdna.match(("dns", "example.com"), [("dns", "example.net")])


def test_typed_extra_names_and_records_from_your_own_resolver(offline, pki):
    host1 = chain(pki, "host1")
    assert not offline.verify(host1, "example.com", prooftypes=["pki"], no_lookups=True).accepted
    typed = offline.verify(host1, "example.com", prooftypes=["pki"], no_lookups=True,
                           names=[("dns", "host1.example.net")])
    assert typed.accepted and typed.matches[0].reference == ("dns", "host1.example.net")
    records = [("_xmpp-server._tcp.example.com", "SRV", "secure", "5 0 5269 host1.example.net."),
               ("host1.example.net", "A", "secure", "192.0.2.1"),
               ("host1.example.net", "AAAA", "secure", None)]
    delegated = offline.verify(host1, "example.com", prooftypes=["pki"], records=records)
    assert delegated.accepted and delegated.find(F.PKI_NAME_MATCHED)
    # An insecure SRV sends the list to the direct-TLS twin (XEP-0368), so its denial is supplied too;
    # a lookup missing from the records would make the list indeterminate.
    insecure = [(owner, kind, "insecure", data) for owner, kind, _, data in records] + [
        ("_xmpps-server._tcp.example.com", "SRV", "insecure", None)]
    refused = offline.verify(host1, "example.com", prooftypes=["pki"], records=insecure)
    assert not refused.accepted and refused.find(F.DELEGATION_NOT_SECURE).dnssec == "insecure"


def test_the_json_carries_the_same_codes(context, pki):
    """The binding reads findings through the accessors; the JSON document
    must say the same (read here only to compare)."""
    for verdict in (context.verify(chain(pki, "full"), "example.com", endpoint=("host1.example.net", 5269)),
                    context.verify(chain(pki, "host1"), "insecure.example", prooftypes=["dane", "pki"])):
        document = json.loads(verdict.json)
        assert document["schema_version"] == 1
        tagged = [(f["code"], f["number"]) for attempt in document["attempts"] for f in attempt["findings"]]
        assert tagged == [(f.tag, int(f.code)) for f in verdict.findings]
        assert [a["outcome"] for a in document["attempts"]] == [a.outcome for a in verdict.attempts]


def test_context_settings_are_checked(pki, world):
    server, anchor = world
    with pytest.raises(xmppdna.InvalidArgumentError):
        xmppdna.Context(limits=xmppdna.Limits(dns_in_flight=8, dns_per_zone=16))
    with pytest.raises(xmppdna.InvalidArgumentError):
        xmppdna.Context(dns_lookup_deadline_ms=50)
    with pytest.raises(xmppdna.InvalidArgumentError):
        xmppdna.Context(dns_timeout_ms=0)
    with pytest.raises(xmppdna.InvalidArgumentError):
        xmppdna.Context(cache_ttl=(10, 5))
    with pytest.raises(xmppdna.InvalidArgumentError):
        xmppdna.Context(cache_limits=xmppdna.CacheLimits(verified_chains=0))
    with pytest.raises(xmppdna.InvalidArgumentError):
        xmppdna.set_certificate_cache_limit(0)
    xmppdna.set_certificate_cache_limit(2048)
    with pytest.raises(xmppdna.TrustStoreError):
        xmppdna.Context(ca_dir=str(pki / "no-such-directory"))
    settings = dict(servers=[xmppdna.Server(server)], anchor_file=anchor, dns_timeout_ms=1000, dns_retries=2,
                    dns_lookup_deadline_ms=20000, cache_ttl=(1, 60), posh_timeout_ms=2000,
                    limits=xmppdna.Limits(dns_in_flight=32, dns_per_zone=4, posh_in_flight=8, posh_per_zone=2),
                    cache_limits=xmppdna.CacheLimits(dns_entries=100, posh_documents=10, verified_chains=1))
    with xmppdna.Context(ca_dir=str(pki / "cadir"), **settings) as ctx:
        assert ctx.names("example.com").status == "secure"
        assert ctx.verify(chain(pki, "host1"), "example.com", prooftypes=["pki"]).accepted
        ctx.flush_cache()
    # The world's Unbound validates and is on loopback, so its AD bit counts.
    with xmppdna.Context(servers=[xmppdna.Server(server, trust_ad=True)], trust_mode="trust-ad") as ctx:
        names = ctx.names("example.com")
        assert names.status == "secure" and names.trust_mode == "trust-ad"
