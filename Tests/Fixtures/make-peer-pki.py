#!/usr/bin/python3
"""The peer suite's chains (issue #24), written for xmppdna from the facts of
rustls/webpki's tests: which chain, which names, which outcome. Nothing of
webpki is copied; its tests are named so a reader can compare.

    make-peer-pki.py OUTDIR

writes, per case, OUTDIR/FILE.chain.pem (leaf first, then the intermediates)
and OUTDIR/FILE.root.pem (the one trust anchor), and OUTDIR/cases.json:
{cases: [{id, file, source, peer, direction, variant, why, checks: [[reference,
expected]]}], not_mirrored: [[webpki tests, why]]}.

peer: "webpki"      expected is the outcome webpki's test records;
      "webpki-rule" the case is varied for XMPP (variant says how) and
                    expected is what webpki's code gives for it;
      "xmpp"        webpki has no notion of it (XmppAddr, SRV-ID); expected
                    is the rule an XMPP verifier must keep.
A reference is "dns:D" (XMPP's reference identifiers for domain D) or "ip:A".
why: the reason xmppdna gives another outcome on purpose, or null.
Validity is 2025-01-01..2035-01-01; the test verifies at 2030-01-01.
"""
import datetime
import ipaddress
import json
import os
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

# --- DER, by hand: the forms cryptography will not write (otherName
# subtrees, sparse masks, minimum fields, empty EKUs) need exact bytes.


def tlv(tag: int, body: bytes) -> bytes:
    n = len(body)
    if n < 0x80:
        return bytes([tag, n]) + body
    size = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(size)]) + size + body


def oid(dotted: str) -> bytes:
    arcs = [int(a) for a in dotted.split(".")]
    out = bytearray([40 * arcs[0] + arcs[1]])
    for arc in arcs[2:]:
        chunk = [arc & 0x7F]
        arc >>= 7
        while arc:
            chunk.insert(0, 0x80 | (arc & 0x7F))
            arc >>= 7
        out += bytes(chunk)
    return tlv(0x06, bytes(out))


def dns(name): return tlv(0x82, name.encode())
def email(addr): return tlv(0x81, addr.encode())
def uri(text): return tlv(0x86, text.encode())
def ip(addr): return tlv(0x87, ipaddress.ip_address(addr).packed)
def ipnet(addr, mask): return tlv(0x87, ipaddress.ip_address(addr).packed + ipaddress.ip_address(mask).packed)
def dirname(name: x509.Name): return tlv(0xA4, name.public_bytes())
def other(type_id, value): return tlv(0xA0, oid(type_id) + tlv(0xA0, value))
def xmppaddr(jid): return other("1.3.6.1.5.5.7.8.5", tlv(0x0C, jid.encode("utf-8")))
def srvname(name): return other("1.3.6.1.5.5.7.8.7", tlv(0x16, name.encode()))


def subtree(general_name, minimum=0):
    # RFC 5280: minimum MUST be 0, which DER leaves out; a non-zero one is the bad encoding.
    return tlv(0x30, general_name + (tlv(0x80, bytes([minimum])) if minimum else b""))


def nc(permitted=(), excluded=()):
    body = b""
    if permitted:
        body += tlv(0xA0, b"".join(s if s[0] == 0x30 else subtree(s) for s in permitted))
    if excluded:
        body += tlv(0xA1, b"".join(s if s[0] == 0x30 else subtree(s) for s in excluded))
    return tlv(0x30, body)


SERVER, CLIENT = ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH
OK, NO = "accept", "reject"

# --- Certificates. One key per role keeps generation fast; each case has
# its own trust store, so shared keys cannot join two cases' paths.

START, END = datetime.datetime(2025, 1, 1), datetime.datetime(2035, 1, 1)
KEYS = {}


def key(role):
    if role not in KEYS:
        KEYS[role] = ec.generate_private_key(ec.SECP256R1())
    return KEYS[role]


def name(org, cn=None, mail=None):
    attrs = [x509.NameAttribute(NameOID.ORGANIZATION_NAME, org)]
    if cn:
        attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, cn))
    if mail:
        attrs.append(x509.NameAttribute(NameOID.EMAIL_ADDRESS, mail))
    return x509.Name(attrs)


def raw(dotted, value, critical=False):
    return (x509.UnrecognizedExtension(ObjectIdentifier(dotted), value), critical)


def build(subject, issuer, public_key, signer, extensions, start=START, end=END):
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer)
               .public_key(public_key).serial_number(x509.random_serial_number())
               .not_valid_before(start).not_valid_after(end))
    for extension, critical in extensions:
        builder = builder.add_extension(extension, critical)
    return builder.sign(signer, hashes.SHA256())


def ca(constraints=None, ca_flag=True, path_length=None, key_cert_sign=True, key_usage=True):
    """One CA of a path, root first. constraints: nameConstraints DER."""
    return dict(constraints=constraints, ca_flag=ca_flag, path_length=path_length,
                key_cert_sign=key_cert_sign, key_usage=key_usage)


def leaf(sans=(), cn=None, mail=None, eku=None, ca_flag=False, extra=(), start=START, end=END):
    """eku: None for no extension, [] for an empty one, else the purposes."""
    return dict(sans=sans, cn=cn, mail=mail, eku=eku, ca_flag=ca_flag, extra=extra, start=start, end=end)


def write_case(out, case_id, cas, ee):
    path, issuer_name, issuer_key = [], None, None
    for depth, spec in enumerate(cas):
        subject, signer_key = name(f"{case_id} CA {depth}"), key(f"ca{depth}")
        extensions = [(x509.BasicConstraints(ca=spec["ca_flag"], path_length=spec["path_length"] if spec["ca_flag"] else None), True)]
        if spec["key_usage"]:
            extensions.append((x509.KeyUsage(False, False, False, False, False, spec["key_cert_sign"], True, False, False), True))
        if spec["constraints"] is not None:
            extensions.append(raw("2.5.29.30", spec["constraints"], critical=True))
        cert = build(subject, issuer_name or subject, signer_key.public_key(), issuer_key or signer_key, extensions)
        path.append(cert)
        issuer_name, issuer_key = subject, signer_key
    extensions = [(x509.BasicConstraints(ca=ee["ca_flag"], path_length=None), ee["ca_flag"])]
    if ee["sans"]:
        extensions.append(raw("2.5.29.17", tlv(0x30, b"".join(ee["sans"]))))
    if ee["eku"] is not None:
        extensions.append(raw("2.5.29.37", tlv(0x30, b"".join(oid(p.dotted_string) for p in ee["eku"]))))
    extensions += list(ee["extra"])
    cert = build(name("test", ee["cn"], ee["mail"]), issuer_name, key("leaf").public_key(), issuer_key, extensions,
                 ee["start"], ee["end"])
    pem = lambda c: c.public_bytes(serialization.Encoding.PEM)
    with open(os.path.join(out, f"{case_id}.chain.pem"), "wb") as f:
        f.write(pem(cert) + b"".join(pem(c) for c in reversed(path[1:])))
    with open(os.path.join(out, f"{case_id}.root.pem"), "wb") as f:
        f.write(pem(path[0]))


CASES = []


def case(case_id, source, cas, ee, checks, peer="webpki", direction="outbound", variant=None, why=None):
    CASES.append(dict(id=case_id, source=source, peer=peer, direction=direction, variant=variant, why=why,
                      checks=checks, chain=(cas, ee)))


def root(constraints=None):
    return [ca(constraints)]


TLS = "tls_server_certs.rs"

# --- webpki tests/tls_server_certs.rs: a constrained anchor issues the leaf
# directly; the leaf has subject O=test, no EKU and no key usage.

case("no_name_constraints", TLS, root(), leaf([dns("dns.example.com")], cn="subject.example.com"),
     [["dns:dns.example.com", OK], ["dns:subject.example.com", NO]])
case("additional_dns_labels", TLS, root(nc([dns(".example.com")])),
     leaf([dns("host1.example.com"), dns("host2.example.com")], cn="subject.example.com"),
     [["dns:host1.example.com", OK], ["dns:host2.example.com", OK], ["dns:subject.example.com", NO]])
case("disallow_dns_san", TLS, root(nc(excluded=[dns("disallowed.example.com")])),
     leaf([dns("disallowed.example.com")]), [["dns:disallowed.example.com", NO]])
case("allow_subject_common_name", TLS, root(nc([dns("allowed.example.com")])),
     leaf(cn="allowed.example.com"), [["dns:allowed.example.com", NO]])
case("allow_dns_san", TLS, root(nc([dns("allowed.example.com")])),
     leaf([dns("allowed.example.com")]), [["dns:allowed.example.com", OK]])
case("allow_dns_san_and_subject_common_name", TLS,
     root(nc([dns("allowed-san.example.com"), dns("allowed-cn.example.com")])),
     leaf([dns("allowed-san.example.com")], cn="allowed-cn.example.com"),
     [["dns:allowed-san.example.com", OK], ["dns:allowed-cn.example.com", NO]])
case("disallow_dns_san_and_allow_subject_common_name", TLS,
     root(nc([dns("allowed-san.example.com"), dns("allowed-cn.example.com")], [dns("disallowed-san.example.com")])),
     leaf([dns("allowed-san.example.com"), dns("disallowed-san.example.com")], cn="allowed-cn.example.com"),
     [["dns:allowed-san.example.com", NO], ["dns:disallowed-san.example.com", NO]])
case("we_incorrectly_ignore_name_constraints_on_name_in_subject", TLS, root(nc(excluded=[email("example.com")])),
     leaf([dns("xmpp.example.net")], mail="test@example.com"), [["dns:xmpp.example.net", OK]],
     peer="webpki-rule", variant="the leaf also has DNS-ID xmpp.example.net",
     why="OpenSSL applies rfc822Name subtrees to the subject's emailAddress, as RFC 5280 section 4.2.1.10 "
         "asks; webpki's test records that it does not (\"we incorrectly ignore\")")
case("reject_constraints_on_unimplemented_names", TLS, root(nc([email("example.com")])),
     leaf([email("joe@example.com"), dns("xmpp.example.net")]), [["dns:xmpp.example.net", NO]],
     peer="webpki-rule", variant="the leaf also has DNS-ID xmpp.example.net",
     why="OpenSSL implements rfc822Name subtrees and joe@example.com is inside the permitted one; the "
         "DNS-ID falls under no DNS subtree. webpki refuses any rfc822Name constraint it meets, unimplemented")
case("we_ignore_constraints_on_names_that_do_not_appear_in_cert", TLS, root(nc([email("example.com")])),
     leaf([dns("notexample.com")]), [["dns:notexample.com", OK], ["dns:example.com", NO]])
case("wildcard_san_accepted_if_in_subtree", TLS, root(nc([dns("example.com")])), leaf([dns("*.example.com")]),
     [["dns:bob.example.com", OK], ["dns:jane.example.com", OK], ["dns:example.com", NO], ["dns:uh.oh.example.com", NO]])
case("wildcard_san_rejected_if_in_excluded_subtree", TLS, root(nc(excluded=[dns("example.com")])),
     leaf([dns("*.example.com")]), [["dns:bob.example.com", NO]])
case("wildcard_san_rejected_if_could_match_excluded_subtree", TLS, root(nc(excluded=[dns("evil.example.com")])),
     leaf([dns("*.example.com")]), [["dns:evil.example.com", NO], ["dns:bob.example.com", NO]])
case("wildcard_san_rejected_if_could_match_name_outside_permitted_subtree", TLS, root(nc([dns("foo.example.com")])),
     leaf([dns("*.example.com")]), [["dns:foo.example.com", NO], ["dns:bar.example.com", NO]])
case("ip4_address_san_rejected_if_in_excluded_subtree", TLS, root(nc(excluded=[ipnet("12.34.56.0", "255.255.255.0")])),
     leaf([ip("12.34.56.78")]), [["ip:12.34.56.78", NO]])
case("ip4_address_san_allowed_if_outside_excluded_subtree", TLS,
     root(nc(excluded=[ipnet("12.34.56.252", "255.255.255.252")])), leaf([ip("12.34.56.78")]), [["ip:12.34.56.78", OK]])
case("ip4_address_san_rejected_if_excluded_is_sparse_cidr_mask", TLS,
     root(nc(excluded=[ipnet("12.34.56.0", "255.0.255.0")])), leaf([ip("12.34.56.79")]), [["ip:12.34.56.79", NO]])
case("ip4_address_san_allowed", TLS, root(nc([ipnet("12.34.56.0", "255.255.255.0")])), leaf([ip("12.34.56.78")]),
     [["ip:12.34.56.78", OK], ["ip:12.34.56.77", NO], ["ip:12.34.56.79", NO],
      ["ip:0000:0000:0000:0000:0000:ffff:0c22:384e", NO]])
case("ip6_address_san_rejected_if_in_excluded_subtree", TLS, root(nc(excluded=[ipnet("2001:db8::", "ffff:ffff:ffff::")])),
     leaf([ip("2001:db8::1")]), [["ip:2001:db8::1", NO]])
case("ip6_address_san_allowed_if_outside_excluded_subtree", TLS,
     root(nc(excluded=[ipnet("2001:db8::", "ffff:ffff:ffff::")])), leaf([ip("2001:db9::1")]),
     [["ip:2001:0db9:0000:0000:0000:0000:0000:0001", OK]])
case("ip6_address_san_allowed", TLS, root(nc([ipnet("2001:db9::", "ffff:ffff:ffff::")])), leaf([ip("2001:db9::1")]),
     [["ip:2001:0db9:0000:0000:0000:0000:0000:0001", OK], ["ip:12.34.56.78", NO]])
case("ip46_mixed_address_san_allowed", TLS,
     root(nc([ipnet("12.34.56.0", "255.255.255.0"), ipnet("2001:db9::", "ffff:ffff:ffff::")])),
     leaf([ip("12.34.56.78"), ip("2001:db9::1")]),
     [["ip:12.34.56.78", OK], ["ip:2001:0db9:0000:0000:0000:0000:0000:0001", OK], ["ip:12.34.56.77", NO],
      ["ip:12.34.56.79", NO], ["ip:0000:0000:0000:0000:0000:ffff:0c22:384e", NO]])
case("uri_san_rejected_against_uri_permitted_subtree", TLS, root(nc([uri("https://allowed.example.com")])),
     leaf([uri("https://evil.example.com"), dns("xmpp.example.net")]), [["dns:xmpp.example.net", NO]],
     peer="webpki-rule", variant="the leaf also has DNS-ID xmpp.example.net")
case("uri_san_rejected_against_uri_excluded_subtree", TLS, root(nc(excluded=[uri("https://evil.example.com")])),
     leaf([uri("https://evil.example.com"), dns("xmpp.example.net")]), [["dns:xmpp.example.net", NO]],
     peer="webpki-rule", variant="the leaf also has DNS-ID xmpp.example.net",
     why="OpenSSL reads a URI subtree as a host (RFC 5280 section 4.2.1.10), so \"https://evil.example.com\" "
         "excludes no URI; webpki refuses every URI constraint it meets. The verdict never matches a URI SAN")
case("permit_directory_name_not_implemented", TLS, root(nc([dirname(x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "CN")]))])),
     leaf([dns("xmpp.example.net")]), [["dns:xmpp.example.net", NO]],
     peer="webpki-rule", variant="the leaf has DNS-ID xmpp.example.net")
case("exclude_directory_name_not_implemented", TLS, root(nc(excluded=[dirname(x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "CN")]))])),
     leaf([dns("xmpp.example.net")]), [["dns:xmpp.example.net", NO]],
     peer="webpki-rule", variant="the leaf has DNS-ID xmpp.example.net",
     why="OpenSSL implements directoryName subtrees and the subject O=test is outside the excluded C=CN; "
         "webpki refuses every directoryName constraint, unimplemented (webpki issue 19)")
case("invalid_dns_name_matching", TLS, root(), leaf([dns("{invalid}.example.com"), dns("dns.example.com")]),
     [["dns:dns.example.com", OK]])

# --- webpki's end-entity and path rules (src/verify_cert.rs, client_auth.rs,
# custom_ekus.rs, integration.rs), under an unconstrained root.
EE = "verify_cert.rs"
XMPP_SERVER = [["dns:example.com", OK]]
case("ca_used_as_end_entity", EE + " (CaUsedAsEndEntity)", root(), leaf([dns("example.com")], ca_flag=True),
     [["dns:example.com", NO]])
case("ca_used_as_end_entity_inbound", EE + " (CaUsedAsEndEntity)", root(), leaf([dns("example.com")], ca_flag=True),
     [["dns:example.com", NO]], direction="inbound")
case("end_entity_used_as_ca", EE + " (EndEntityUsedAsCa)", [ca(), ca(ca_flag=False)], leaf([dns("example.com")]),
     [["dns:example.com", NO]])
case("path_len_constraint_violated", EE + " (PathLenConstraintViolated)", [ca(path_length=0), ca()], leaf([dns("example.com")]),
     [["dns:example.com", NO]])
case("intermediate_without_key_cert_sign_rejected", EE, [ca(), ca(key_cert_sign=False)], leaf([dns("example.com")]),
     [["dns:example.com", NO]])
case("intermediate_without_key_usage_accepted", EE, [ca(), ca(key_usage=False)], leaf([dns("example.com")]), XMPP_SERVER)
case("trust_anchor_without_key_cert_sign_accepted", EE, [ca(key_cert_sign=False), ca()], leaf([dns("example.com")]),
     XMPP_SERVER, why="OpenSSL counts no certificate as a CA whose key usage lacks keyCertSign, the trust anchor "
                      "included (\"invalid CA certificate\", RFC 5280 section 4.2.1.3); webpki takes an anchor as a "
                      "bare name and key")
case("critical_extensions (non-critical unknown)", "integration.rs", root(),
     leaf([dns("example.com")], extra=[raw("1.3.6.1.4.1.11129.99.1", b"\x05\x00")]), XMPP_SERVER)
case("critical_extensions (critical unknown)", "integration.rs", root(),
     leaf([dns("example.com")], extra=[raw("1.3.6.1.4.1.11129.99.1", b"\x05\x00", critical=True)]), [["dns:example.com", NO]])
case("cert_time_validity (expired)", "integration.rs", root(),
     leaf([dns("example.com")], start=datetime.datetime(2020, 1, 1), end=datetime.datetime(2021, 1, 1)), [["dns:example.com", NO]])
case("cert_time_validity (not yet valid)", "integration.rs", root(),
     leaf([dns("example.com")], start=datetime.datetime(2040, 1, 1), end=datetime.datetime(2045, 1, 1)), [["dns:example.com", NO]])
for eku, outcome, source in [(None, OK, TLS + " (its leaves have none)"), ([SERVER], OK, "custom_ekus.rs"), ([SERVER, CLIENT], OK, "custom_ekus.rs"),
                             ([CLIENT], NO, EE + " (RequiredEkuNotFound)"), ([], NO, EE + " (eku_fail_empty_with_optional)")]:
    label = "absent" if eku is None else "empty" if not eku else "+".join(p._name for p in eku)
    case(f"server EKU {label}", source, root(), leaf([dns("example.com")], eku=eku), [["dns:example.com", outcome]],
         peer="webpki-rule" if eku == [CLIENT] else "webpki")
for eku, outcome, test in [(None, OK, "cert_with_no_eku_accepted_for_client_auth"),
                           ([CLIENT], OK, "cert_with_clientauth_eku_accepted_for_client_auth"),
                           ([CLIENT, SERVER], OK, "cert_with_both_ekus_accepted_for_client_auth"),
                           ([SERVER], NO, "cert_with_serverauth_eku_rejected_for_client_auth")]:
    case(test, "client_auth.rs", root(), leaf([dns("example.com")], eku=eku), [["dns:example.com", outcome]],
         direction="inbound",
         why="an inbound s2s peer presents its server certificate as the client certificate, so xmppdna takes "
             "serverAuth for inbound too (End entity, above)" if outcome == NO else None)

# --- XMPP identifiers under constraints: webpki matches no otherName (its
# constraint check skips an otherName leaf name under dNSName subtrees).
X = "XMPP"
SUB = ca(nc([dns("example.org")]))
case("XmppAddr outside a permitted DNS subtree", X, [ca(), SUB], leaf([dns("xmpp.example.org"), xmppaddr("victim.com")]),
     [["dns:victim.com", NO], ["dns:xmpp.example.org", OK]], peer="xmpp")
case("SRV-ID outside a permitted DNS subtree", X, [ca(), SUB], leaf([dns("xmpp.example.org"), srvname("_xmpp-server.victim.com")]),
     [["dns:victim.com", NO]], peer="xmpp")
case("XmppAddr inside a permitted DNS subtree", X, [ca(), SUB],
     leaf([xmppaddr("example.org")]), [["dns:example.org", OK]], peer="xmpp")
case("SRV-ID inside a permitted DNS subtree", X, [ca(), SUB],
     leaf([srvname("_xmpp-server.chat.example.org")]), [["dns:chat.example.org", OK]], peer="xmpp")
case("XmppAddr inside an excluded DNS subtree", X, [ca(), ca(nc(excluded=[dns("victim.com")]))],
     leaf([xmppaddr("chat.victim.com"), xmppaddr("example.net")]),
     [["dns:chat.victim.com", NO], ["dns:example.net", OK]], peer="xmpp")
case("SRV-ID inside an excluded DNS subtree", X, [ca(), ca(nc(excluded=[dns("victim.com")]))],
     leaf([srvname("_xmpp-server.victim.com")]), [["dns:victim.com", NO]], peer="xmpp")
case("XmppAddr against a leading-dot excluded subtree", X, [ca(), ca(nc(excluded=[dns(".victim.com")]))],
     leaf([xmppaddr("victim.com"), xmppaddr("chat.victim.com")]),
     [["dns:victim.com", OK], ["dns:chat.victim.com", NO]], peer="xmpp")
case("XmppAddr in other case and with a trailing dot", X, [ca(), ca(nc(excluded=[dns("victim.com")]))],
     leaf([xmppaddr("VICTIM.Com"), xmppaddr("chat.victim.com.")]),
     [["dns:victim.com", NO], ["dns:chat.victim.com", NO]], peer="xmpp")
case("XmppAddr in U-labels against A-label subtrees", X,
     [ca(), ca(nc([dns("xn--bcher-kva.example")], [dns("xn--mnchen-3ya.example")]))],
     leaf([xmppaddr("bücher.example"), xmppaddr("chat.münchen.example")]),
     [["dns:xn--bcher-kva.example", OK], ["dns:chat.xn--mnchen-3ya.example", NO]], peer="xmpp")
case("constraint on the trust anchor", X, [ca(nc([dns("example.org")])), ca()],
     leaf([dns("xmpp.example.org"), xmppaddr("victim.com")]), [["dns:victim.com", NO]], peer="xmpp")
case("constraint two CAs above the leaf", X, [ca(), ca(nc([dns("example.org")])), ca()],
     leaf([dns("xmpp.example.org"), xmppaddr("victim.com"), srvname("_xmpp-server.victim.com")]),
     [["dns:victim.com", NO], ["dns:xmpp.example.org", OK]], peer="xmpp")
case("constraints of two CAs intersect", X, [ca(), ca(nc([dns("example.org")])), ca(nc([dns("chat.example.org")]))],
     leaf([xmppaddr("chat.example.org"), xmppaddr("example.org")]),
     [["dns:chat.example.org", OK], ["dns:example.org", NO]], peer="xmpp")
case("SRVName subtree", X, [ca(), ca(nc([srvname("_xmpp-server.example.org")]))],
     leaf([srvname("_xmpp-server.victim.com")]), [["dns:victim.com", NO]], peer="xmpp")
case("XmppAddr subtree", X, [ca(), ca(nc([xmppaddr("example.org")]))],
     leaf([xmppaddr("example.org"), dns("xmpp.example.org")]),
     [["dns:example.org", NO]], peer="xmpp")
case("DNS subtree with a non-zero minimum", X, [ca(), ca(nc([subtree(dns("example.org"), minimum=1)]))],
     leaf([xmppaddr("example.org")]), [["dns:example.org", NO]], peer="xmpp")
case("CN-only leaf outside a permitted subtree", X, [ca(), SUB], leaf(cn="victim.com"), [["dns:victim.com", NO]], peer="xmpp")

# webpki tests that have no case above, and why.
NOT_MIRRORED = [
    ["cert_v1_unsupported, cert_without_extensions",
     "a certificate without extensions has no subjectAltName, so the verdict refuses it by name before any path rule"],
    ["verify_cert.rs path-building budgets (name_constraint_budget, test_too_many_signatures, "
     "test_too_many_path_calls, longest_allowed_path, path_too_long, test_reject_candidate_path)",
     "limits and callbacks of webpki's own path builder; OpenSSL builds the path"],
    ["crl_tests.rs, client_auth_revocation.rs", "revocation, which xmppdna does not check"],
    ["integration.rs real-world chains (netflix, sanofi, cloudflare_dns, wpt, ed25519, amazon), signatures.rs",
     "captured certificates and signature-algorithm vectors, not regenerable from facts; they test parsing "
     "and algorithms, not names or constraints"],
]


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    manifest = []
    for index, entry in enumerate(CASES):
        cas, ee = entry.pop("chain")
        entry["file"] = f"case{index:02d}"
        write_case(out, entry["file"], cas, ee)
        manifest.append(entry)
    with open(os.path.join(out, "cases.json"), "w") as f:
        json.dump(dict(cases=manifest, not_mirrored=NOT_MIRRORED), f, indent=1, ensure_ascii=False)


if __name__ == "__main__":
    main()
