#!/usr/bin/python3
"""Replaces one RRset's RRSIG in a signed zone file with a genuine signature
whose labels field says LABELS, as a broken signer would make it.

    resign_labels.py ZONE_FILE ORIGIN KEY_BASENAME OWNER TYPE LABELS

KEY_BASENAME is the zone's ECDSA P-256 key as ldns-keygen wrote it
(KEY_BASENAME.key and .private). The signature is real: only the labels field
is wrong, so a validator has to read that field to refuse it (RFC 4035
section 5.3.1). Needs dnspython and cryptography (Debian's python3-dnspython,
python3-cryptography).
"""
import base64
import sys

import dns.dnssec
import dns.rdata
import dns.name
import dns.rdataclass
import dns.rdatatype
import dns.rrset
import dns.zone
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

zone_file, origin, key_base, owner, rdtype_text, labels = sys.argv[1:7]
origin = dns.name.from_text(origin)
owner = dns.name.from_text(owner)
rdtype = dns.rdatatype.from_text(rdtype_text)

private = {}
with open(key_base + ".private") as handle:
    for line in handle:
        name, _, value = line.partition(":")
        private[name.strip()] = value.strip()
secret = int.from_bytes(base64.b64decode(private["PrivateKey"]), "big")
key = ec.derive_private_key(secret, ec.SECP256R1())

zone = dns.zone.from_file(zone_file, origin=origin, relativize=False, check_origin=False)
node = zone.get_node(owner)
data = node.get_rdataset(dns.rdataclass.IN, rdtype)
signatures = node.get_rdataset(dns.rdataclass.IN, dns.rdatatype.RRSIG, rdtype)
with open(key_base + ".key") as handle:
    dnskey_text = [line for line in handle if not line.startswith(";")][0].split(";")[0].split(None, 3)[3]
dnskey = dns.rdata.from_text(dns.rdataclass.IN, dns.rdatatype.DNSKEY, dnskey_text.strip())
tag = dns.dnssec.key_id(dnskey)
template = next(sig for sig in signatures if sig.key_tag == tag).replace(signature=b"")
rrset = dns.rrset.RRset(owner, dns.rdataclass.IN, rdtype)
rrset.update(data)
# The signed data starts with the RRSIG rdata: type (2), algorithm (1), labels (1).
# dnspython refuses to build it with a labels field this wrong, so patch that octet.
signed = bytearray(dns.dnssec._make_rrsig_signature_data(rrset, template))
signed[3] = int(labels)
template = template.replace(labels=int(labels))
der = key.sign(bytes(signed), ec.ECDSA(hashes.SHA256()))
r, s = decode_dss_signature(der)
crafted = template.replace(signature=r.to_bytes(32, "big") + s.to_bytes(32, "big"))
node.delete_rdataset(dns.rdataclass.IN, dns.rdatatype.RRSIG, rdtype)
fresh = node.get_rdataset(dns.rdataclass.IN, dns.rdatatype.RRSIG, rdtype, create=True)
fresh.update_ttl(data.ttl)
fresh.add(crafted)
zone.to_file(zone_file, relativize=False)
