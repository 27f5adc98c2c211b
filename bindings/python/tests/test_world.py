"""Delegation and the DNA verdict on the signed loopback world."""
import json

import pytest

import xmppdna
from conftest import AT


@pytest.fixture()
def context(pki, world):
    server, anchor = world
    with xmppdna.Context(ca_file=str(pki / "root.pem"), servers=[server], anchor_file=anchor) as ctx:
        yield ctx


def chain(pki, name):
    return (pki / ("%s-chain.pem" % name)).read_bytes()


def test_secure_delegation_lists_the_hosting_provider(context):
    names = context.names("example.com")
    assert names.status == "secure" and names.kind == "srv"
    hosts = {name.value: name for name in names.names}
    assert hosts["host1.example.net"].status == "secure" and "SRV" in hosts["host1.example.net"].source
    assert names.candidates[0].host == "host1.example.net" and names.candidates[0].port == 5269
    assert names.trust_mode == "validate" and names.reason is None and names.extended_error == 0
    assert hosts["example.com"].status is None  # the domain itself: no DNS answer concerned (DNSSEC_NONE)
    assert json.loads(names.json)["status"] == "secure"


def test_insecure_and_bogus_delegations_say_so(context):
    assert context.names("insecure.example").status == "insecure"
    bogus = context.names("bogus.example")
    assert bogus.status == "bogus" and bogus.extended_error == 7 and "Signature Expired" in bogus.reason
    assert [name.value for name in bogus.names] == ["bogus.example"]


def test_hosting_certificate_is_accepted_by_dane_for_the_delegating_domain(context, pki):
    verdict = context.verify(chain(pki, "host1"), "example.com", endpoint=("host1.example.net", 5269))
    assert verdict.accepted and verdict.prooftype == "dane"
    assert verdict.attempts[0].outcome == "accepted" and verdict.attempts[1].outcome == "not_tried"
    matched = verdict.find(xmppdna.FindingCode.DANE_MATCHED)
    assert matched.subject == "_5269._tcp.host1.example.net" and matched.dnssec == "secure"
    assert matched.seen.startswith("3 1 1 ") and matched.prooftype == "dane" and matched.outcome == "accepted"
    assert any(e.what == "_5269._tcp.host1.example.net TLSA" and e.status == "secure" for e in verdict.evidence)
    assert json.loads(verdict.json)["prooftype"] == "dane"


def test_pki_alone_uses_the_delegated_name(context, pki):
    verdict = context.verify(chain(pki, "host1"), "example.com", prooftypes=["pki"])
    assert verdict.accepted and verdict.prooftype == "pki" and verdict.chain.status == "valid"
    assert verdict.chain == xmppdna.ChainCheck("valid", 0, 0, None)
    assert xmppdna.Match(("dns", "host1.example.net"), ("dns", "host1.example.net")) in verdict.matches
    assert [a.prooftype for a in verdict.attempts] == ["pki"]
    assert verdict.codes[0] == xmppdna.FindingCode.PKI_NAME_MATCHED
    assert "host1.example.net" in verdict.findings[0].expected and "host1.example.net" in verdict.findings[0].seen
    assert xmppdna.Presented("dns", "host1.example.net", True, None) in verdict.presented


def test_unsigned_domain_is_rejected_then_accepted_by_posh(pki, world, posh_server):
    server, anchor = world
    common = dict(ca_file=str(pki / "root.pem"), servers=[server], anchor_file=anchor)
    with xmppdna.Context(**common) as ctx:
        rejected = ctx.verify(chain(pki, "host1"), "insecure.example", prooftypes=["dane", "pki"])
    assert not rejected.accepted and rejected.prooftype is None
    pki_findings = {f.code: f for f in rejected.attempts[1].findings}
    assert xmppdna.FindingCode.PKI_NO_NAME_MATCHES in pki_findings
    assert pki_findings[xmppdna.FindingCode.DELEGATION_NOT_SECURE].dnssec == "insecure"
    with xmppdna.Context(posh_url_base=posh_server, **common) as ctx:
        accepted = ctx.verify(chain(pki, "host1"), "insecure.example")
    assert accepted.accepted and accepted.prooftype == "posh"
    matched = accepted.find(xmppdna.FindingCode.POSH_MATCHED)
    assert matched.prooftype == "posh" and matched.dnssec is None
    assert any(e.what and e.status is None for e in accepted.evidence)  # the POSH document: no DNS status


def test_tlsa_records_can_be_tried_without_dns(pki):
    from conftest import spki_sha256_hex
    with xmppdna.Context(ca_file=str(pki / "root.pem"), time=AT) as ctx:
        record = "3 1 1 " + spki_sha256_hex(pki / "host1.pem")
        assert ctx.verify(chain(pki, "host1"), "example.com", tlsa=[(record, "secure")]).prooftype == "dane"
        rejected = ctx.verify(chain(pki, "full"), "example.com", tlsa=[(record, "secure")])
        assert not rejected.accepted
        mismatch = rejected.find(xmppdna.FindingCode.TLSA_MISMATCH)
        assert mismatch.dnssec == "secure" and record in mismatch.expected
        # A DANE rejection vetoes the rest: later prooftypes are reported, not run.
        assert all(a.outcome == "not_tried" for a in rejected.attempts[1:])
        assert {f.code for a in rejected.attempts[1:] for f in a.findings} == {
            xmppdna.FindingCode.AFTER_DANE_REJECTION}


def test_records_supplied_by_the_caller_build_the_same_list():
    names = xmppdna.Context.names_from_records("example.com", [
        ("_xmpp-server._tcp.example.com", "SRV", "secure", "5 0 5269 host1.example.net."),
        ("host1.example.net", "A", "secure", "192.0.2.1"),
    ])
    assert [n.value for n in names.names] == ["example.com", "host1.example.net", "192.0.2.1"]
    assert names.status == "secure" and names.trust_mode == "caller"
