#!/usr/bin/env python3
"""A misbehaving DNS server for fault tests, on loopback only.

    hostile_dns.py MODE PORT UPSTREAM_PORT PIDFILE

It answers on 127.0.0.1:PORT over UDP and TCP. Where a mode needs real data it
forwards to the world's NSD on 127.0.0.1:UPSTREAM_PORT. Modes:
  silent         never answers
  truncate       UDP answers carry TC and nothing else; TCP answers are real
  servfail       RCODE SERVFAIL
  refused        RCODE REFUSED
  wrongid        a real answer under another message ID
  wrongquestion  a real answer to a different question, under the right ID
  strip          real answers without any RRSIG (asked upstream without DO)
  garbage        the right ID followed by junk that is no DNS message
  formerr        RCODE FORMERR
  tcptruncate    UDP answers carry TC; the TCP answer stops halfway
  wrongtype      a real answer for another type of the same name, under our question
  pointerloop    an answer whose owner name is a compression pointer to itself
  oversized      SRV/A/AAAA/TLSA answers of about 64 KB of unsigned records
                 (DS and DNSKEY pass through, so the chain of trust is real)
  wrongnsec      a real, signed NXDOMAIN for a sibling name, under our question:
                 its NSEC covers a range that does not hold our name
  expandednsec   real answers whose wildcard owner "*" is renamed "z": the zone's
                 own signed NSEC at *.wild.example.com arrives as z.wild.example.com,
                 a wildcard expansion of a denial record, offered as its own proof
  ede            SERVFAIL with RFC 8914 Extended DNS Error options, picked by a label
                 of the question (the first that names a variant; none: "network"):
                   network   EDE 22 "no reachable authority (hostile)" and EDE 23
                   refused   RCODE REFUSED (not SERVFAIL) with EDE 6 "not a SERVFAIL"
                   several   EDE 22, EDE 6 (no text), EDE 9 "dnskey gone", EDE 3
                   badtext   EDE 6 whose text is invalid UTF-8, NUL, ESC, CR LF, U+202E
                   longtext  EDE 7 with 4,000 octets of text
                   short     an EDE option of one octet: no room for its INFO-CODE
                   empty     an EDE option of no octets
                   overrun   EDE 6, then an option whose length runs past the OPT record
                   badopt    an OPT record whose RDLENGTH runs past the message
  tlsasilent     TLSA questions get no answer; every other question is forwarded
  tlsaservfail   TLSA questions get SERVFAIL; every other question is forwarded
It exits by itself after 120 seconds, so a crashed test never leaves it behind.
"""
import os
import struct
import sys

import loopback_dns
from loopback_dns import serve, take_back_signals

mode, port, upstream_port, pidfile = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
take_back_signals()


def question_end(query):
    """Offset just past the question section (queries carry no compression)."""
    offset = 12
    while query[offset] != 0:
        offset += 1 + query[offset]
    return offset + 5


def without_do(query):
    """The same question, with EDNS but the DO bit cleared."""
    end = question_end(query)
    header = bytearray(query[:12])
    header[10:12] = struct.pack(">H", 1)  # ARCOUNT: our own OPT only
    opt = b"\x00" + struct.pack(">HHIH", 41, 1232, 0, 0)
    return bytes(header) + query[12:end] + opt


def other_question(query):
    """A query for host2.example.net A under the same ID."""
    name = b"".join(bytes([len(label)]) + label for label in b"host2.example.net".split(b".")) + b"\x00"
    header = bytearray(query[:12])
    header[4:12] = struct.pack(">HHHH", 1, 0, 0, 0)
    return bytes(header) + name + struct.pack(">HH", 1, 1)


def question_of(query):
    """(labels, qtype) of an uncompressed question."""
    offset, labels = 12, []
    while query[offset] != 0:
        labels.append(query[offset + 1:offset + 1 + query[offset]])
        offset += 1 + query[offset]
    return labels, struct.unpack(">H", query[offset + 1:offset + 3])[0]


def encode_name(labels):
    return b"".join(bytes([len(label)]) + label for label in labels) + b"\x00"


def ask_for(query, labels, qtype):
    """Asks upstream another question (same ID and flags) and puts our question back."""
    end = question_end(query)
    other = query[:12] + encode_name(labels) + struct.pack(">HH", qtype, 1) + query[end:]
    reply = ask_upstream(other)
    return reply[:12] + query[12:end] + reply[question_end(reply):]


PASS_THROUGH = (43, 48)  # DS, DNSKEY: the chain of trust stays real


def oversized(query):
    _, qtype = question_of(query)
    rdata = {1: b"\x7f\x00\x00\x01", 28: b"\x00" * 15 + b"\x01",
             33: b"\x00\x00\x00\x00\x14\x95\x00", 52: b"\x03\x01\x01" + b"\xab" * 32}.get(qtype, b"\x00" * 4)
    record = b"\xc0\x0c" + struct.pack(">HHIH", qtype, 1, 300, len(rdata)) + rdata
    count = min(65000 // len(record), 0xFFFF)
    header = bytearray(query[:12])
    header[2] = 0x84 | (query[2] & 0x01)  # QR AA, keep RD
    header[3] = 0x80
    header[4:12] = struct.pack(">HHHH", 1, count, 0, 0)
    return bytes(header) + query[12:question_end(query)] + record * count


def pointer_loop(query):
    end = question_end(query)
    header = bytearray(query[:12])
    header[2] = 0x84 | (query[2] & 0x01)
    header[3] = 0x80
    header[4:12] = struct.pack(">HHHH", 1, 1, 0, 0)
    loop = struct.pack(">H", 0xC000 | end)  # the owner name points at itself
    return bytes(header) + query[12:end] + loop + struct.pack(">HHIH", 1, 1, 300, 4) + b"\x7f\x00\x00\x01"


def ask_upstream(query):
    return loopback_dns.ask_upstream(upstream_port, query)


def with_rcode(query, rcode):
    header = bytearray(query[:12])
    header[2] = 0x80 | (query[2] & 0x01)  # QR, keep RD
    header[3] = 0x80 | rcode              # RA
    header[6:12] = b"\x00" * 6
    return bytes(header) + query[12:question_end(query)]


def ede_option(code, text=b""):
    return struct.pack(">HHH", 15, 2 + len(text), code) + text


EDE_VARIANTS = {
    "network": (2, ede_option(22, b"no reachable authority (hostile)") + ede_option(23)),
    "refused": (5, ede_option(6, b"not a SERVFAIL")),
    "several": (2, ede_option(22, b"upstream down") + ede_option(6) + ede_option(9, b"dnskey gone") + ede_option(3)),
    "badtext": (2, ede_option(6, b"bad \xff\xfe utf-8 \x00 nul \x1b[31m esc \r\n crlf \xe2\x80\xae rlo\x00")),
    "longtext": (2, ede_option(7, b"x" * 4000)),
    "short": (2, struct.pack(">HH", 15, 1) + b"\x00"),
    "empty": (2, struct.pack(">HH", 15, 0)),
    "overrun": (2, ede_option(6, b"fine") + struct.pack(">HHH", 15, 200, 6) + b"cut"),
}


def with_ede(query, labels):
    """SERVFAIL (or REFUSED) with an OPT record carrying the variant's options."""
    variant = next((label.decode() for label in labels if label.decode() in EDE_VARIANTS or label == b"badopt"), "network")
    if variant == "badopt":
        rcode, options, rdlength = 2, ede_option(6, b"cut short"), 400
    else:
        (rcode, options), rdlength = EDE_VARIANTS[variant], None
    header = bytearray(with_rcode(query, rcode))
    header[10:12] = struct.pack(">H", 1)  # ARCOUNT: the OPT record
    opt = b"\x00" + struct.pack(">HHIH", 41, 1232, 0x8000, len(options) if rdlength is None else rdlength)
    return bytes(header) + opt + options


def answer(query, over_tcp):
    if mode == "silent":
        return None
    if mode == "servfail":
        return with_rcode(query, 2)
    if mode == "refused":
        return with_rcode(query, 5)
    if mode == "garbage":
        return query[:2] + os.urandom(40)
    if mode == "formerr":
        return with_rcode(query, 1)
    if mode in ("truncate", "tcptruncate") and not over_tcp:
        reply = bytearray(with_rcode(query, 0))
        reply[2] |= 0x02  # TC
        return bytes(reply)
    if mode == "tcptruncate":
        reply = ask_upstream(query)
        return reply[:len(reply) // 2]  # announced as a whole, then the line goes dead
    labels, qtype = question_of(query)
    if mode in ("tlsasilent", "tlsaservfail") and qtype == 52:
        return None if mode == "tlsasilent" else with_rcode(query, 2)
    if mode == "ede":
        return with_ede(query, labels)
    if mode == "pointerloop":
        return pointer_loop(query)
    if mode == "oversized" and qtype not in PASS_THROUGH:
        return oversized(query)
    if mode == "wrongtype" and qtype not in PASS_THROUGH:
        return ask_for(query, labels, 16 if qtype != 16 else 1)  # TXT, or A when TXT was asked
    if mode == "wrongnsec" and qtype not in PASS_THROUGH and labels:
        # Same length, so the reply's compression pointers still fit our question.
        return ask_for(query, [b"z" * len(labels[0])] + labels[1:], qtype)
    if mode == "strip":
        return ask_upstream(without_do(query))
    if mode == "wrongquestion":
        return ask_upstream(other_question(query))
    reply = ask_upstream(query)
    if mode == "expandednsec" and qtype not in PASS_THROUGH:
        # "*" followed by a label or a compression pointer: an owner name,
        # never (in practice) signature bytes, which would only make it bogus.
        reply = reply.replace(b"\x01*\x04wild", b"\x01z\x04wild").replace(b"\x01*\xc0", b"\x01z\xc0")
    if mode == "wrongid":
        reply = struct.pack(">H", (struct.unpack(">H", reply[:2])[0] + 1) & 0xFFFF) + reply[2:]
    return reply


serve(port, pidfile, answer, announced_length=lambda reply: len(reply) * 2 if mode == "tcptruncate" else len(reply))
