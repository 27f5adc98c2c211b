#!/usr/bin/python3
"""An on-path resolver that forges nothing: it answers one chosen question with
genuine signed records of the world, taken from the wrong place.

    replay_dns.py ATTACK PORT UPSTREAM_PORT ZONES_DIR PIDFILE

It listens on 127.0.0.1:PORT (UDP and TCP). Every record it serves comes, with
its RRSIGs, from the signed zone files in ZONES_DIR (as an attacker who has
collected a zone's public records would have them); every other question is
passed to the world's NSD on 127.0.0.1:UPSTREAM_PORT unchanged. Attacks:

  foreign-optout-ds   example.com DS: NODATA "proven" by every NSEC3 of
                      example.net (opt-out, another zone)
  child-nsec3-ds      s1.optout DS: NODATA "proven" by the parent's own NSEC3 at
                      H(s1.optout) (its bitmap lists DS, its opt-out flag is
                      set) and the apex NSEC3
  last-nsec-tlsa      _5269._tcp.host1.example.net TLSA: NXDOMAIN "proven" by
                      the last NSEC of the zone "example" (next name wraps to
                      its apex)
  last-nsec-srv       _xmpp-server._tcp.example.com SRV: the same NXDOMAIN
  wildcard-nsec       _xmpp-server._tcp.wc.example.com SRV: the expansion of
                      *._tcp.wc.example.com (to host2), "proven" by the NSEC at
                      the name itself, which exists
  wildcard-nsec3      the same in example.net (NSEC3): the NSEC3 matching the
                      name offered as the next closer name's cover
  parent-nsec3        _xmpp-server._tcp.s1.optout SRV: NXDOMAIN "proven" by the
                      parent zone's NSEC3 chain, whose record at the signed
                      delegation s1.optout (NS, DS, no SOA) poses as the
                      closest encloser of the child's own data

It needs dnspython (Debian's python3-dnspython) and exits by itself after
120 seconds, so a crashed test never leaves it behind.
"""
import os
import sys

import dns.dnssec
import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.rrset
import dns.zone

from loopback_dns import ask_upstream, serve, take_back_signals

attack, port, upstream_port, zones_dir, pidfile = (
    sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5])
take_back_signals()
N = dns.name.from_text
RRSIG, NSEC, NSEC3, SOA = (dns.rdatatype.RRSIG, dns.rdatatype.NSEC,
                           dns.rdatatype.NSEC3, dns.rdatatype.SOA)

_zones = {}


def zone(origin):
    """A signed zone of the world, loaded once."""
    if origin not in _zones:
        path = os.path.join(zones_dir, origin.rstrip(".") + ".zone.signed")
        _zones[origin] = dns.zone.from_file(path, origin=origin, relativize=False, check_origin=False)
    return _zones[origin]


def signed(origin, owner, rdtype, rename=None):
    """The RRset and its RRSIGs at owner, optionally under another owner name
    (the signatures still cover the original: a wildcard expansion)."""
    node = zone(origin).get_node(N(owner) if isinstance(owner, str) else owner)
    data = node.get_rdataset(dns.rdataclass.IN, rdtype)
    sigs = node.get_rdataset(dns.rdataclass.IN, RRSIG, rdtype)
    name = N(rename) if rename else (N(owner) if isinstance(owner, str) else owner)
    result = []
    for rdataset in (data, sigs):
        rrset = dns.rrset.RRset(name, dns.rdataclass.IN, rdataset.rdtype, rdataset.covers)
        rrset.update(rdataset)
        result.append(rrset)
    return result


def all_of_type(origin, rdtype):
    """Every RRset of a type in a zone, each with its RRSIGs."""
    result = []
    for owner, node in zone(origin).nodes.items():
        if node.get_rdataset(dns.rdataclass.IN, rdtype):
            result += signed(origin, owner, rdtype)
    return result


def last_nsec(origin):
    """The NSEC whose next name wraps to the apex."""
    for owner, node in zone(origin).nodes.items():
        rdataset = node.get_rdataset(dns.rdataclass.IN, NSEC)
        if rdataset and rdataset[0].next == N(origin):
            return signed(origin, owner, NSEC)
    raise LookupError("no last NSEC in " + origin)


def nsec3_owner(origin, name):
    zone_name = N(origin)
    params = zone(origin).get_rdataset(zone_name, dns.rdatatype.NSEC3PARAM)[0]
    digest = dns.dnssec.nsec3_hash(N(name), params.salt or None, params.iterations, params.algorithm)
    return N(digest.lower(), zone_name)


def soa(origin):
    return signed(origin, origin, SOA)


def forged(query, rcode, answer=(), authority=()):
    response = dns.message.make_response(query)
    response.flags |= dns.flags.AA
    response.set_rcode(rcode)
    response.answer = list(answer)
    response.authority = list(authority)
    return response


def replay(query):
    """The attack's answer, or None to pass the question upstream."""
    question = query.question[0]
    asked = (question.name.to_text().lower(), question.rdtype)
    if attack == "foreign-optout-ds" and asked == ("example.com.", dns.rdatatype.DS):
        return forged(query, dns.rcode.NOERROR,
                      authority=soa("example.net.") + all_of_type("example.net.", NSEC3))
    if attack == "child-nsec3-ds" and asked == ("s1.optout.", dns.rdatatype.DS):
        return forged(query, dns.rcode.NOERROR,
                      authority=soa("optout.") + signed("optout.", nsec3_owner("optout.", "s1.optout."), NSEC3)
                      + signed("optout.", nsec3_owner("optout.", "optout."), NSEC3))
    if attack == "last-nsec-tlsa" and asked == ("_5269._tcp.host1.example.net.", dns.rdatatype.TLSA):
        return forged(query, dns.rcode.NXDOMAIN, authority=soa("example.") + last_nsec("example."))
    if attack == "last-nsec-srv" and asked == ("_xmpp-server._tcp.example.com.", dns.rdatatype.SRV):
        return forged(query, dns.rcode.NXDOMAIN, authority=soa("example.") + last_nsec("example."))
    if attack == "wildcard-nsec" and asked == ("_xmpp-server._tcp.wc.example.com.", dns.rdatatype.SRV):
        return forged(query, dns.rcode.NOERROR,
                      answer=signed("example.com.", "*._tcp.wc.example.com.", dns.rdatatype.SRV, rename=asked[0]),
                      authority=signed("example.com.", asked[0], NSEC))
    if attack == "wildcard-nsec3" and asked == ("_xmpp-server._tcp.wc.example.net.", dns.rdatatype.SRV):
        return forged(query, dns.rcode.NOERROR,
                      answer=signed("example.net.", "*._tcp.wc.example.net.", dns.rdatatype.SRV, rename=asked[0]),
                      authority=signed("example.net.", nsec3_owner("example.net.", asked[0]), NSEC3))
    if attack == "parent-nsec3" and asked == ("_xmpp-server._tcp.s1.optout.", dns.rdatatype.SRV):
        return forged(query, dns.rcode.NXDOMAIN, authority=soa("optout.") + all_of_type("optout.", NSEC3))
    return None


def answer(wire, over_tcp):
    query = dns.message.from_wire(wire)
    response = replay(query)
    if response is None:
        return ask_upstream(upstream_port, wire)
    try:
        return response.to_wire(max_size=65535 if over_tcp else query.payload)
    except dns.exception.TooBig:
        truncated = dns.message.make_response(query)
        truncated.flags |= dns.flags.TC
        return truncated.to_wire()


serve(port, pidfile, answer)
