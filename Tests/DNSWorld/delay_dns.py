#!/usr/bin/python3
"""A slow DNS path for issue #23: a forwarder that delays one zone's answers.

    delay_dns.py ZONE[,ZONE...] PORT UPSTREAM_PORT PIDFILE [DELAY [LIFETIME]]

It listens on 127.0.0.1:PORT (UDP and TCP) and passes every question to the
resolver on 127.0.0.1:UPSTREAM_PORT the way it came (UDP over UDP, a
truncated reply passed back as it is, TCP over TCP). The tests point it at
the world's Unbound, which is what xmppdna's server setting names there.

A question whose name is at or under one of the ZONEs (say slow.example,
which need not exist in the world) is answered SERVFAIL, DELAY seconds
(default 3) after it arrived: only the delay matters. It is not asked
upstream, because a thousand new names at once overflow Unbound (1,024
queries per thread, a receive buffer of about 200 KiB) and would slow every
other question for reasons of the test's own making. Every other question
is answered at once by a pool of threads while the delayed replies wait for
one timer thread (loopback_dns.start's hold), so a delayed answer never
holds up another question, over UDP or TCP, however many are waiting:
healthy questions are answered in a few milliseconds beside thousands held.

It runs under /usr/bin/python3, writes its PID to PIDFILE once it listens,
and exits by itself after LIFETIME seconds (default 120), so a crashed test
never leaves it behind; the test stops it by that PID.
"""
import struct
import sys
import time

from loopback_dns import announce, ask_upstream, ask_upstream_udp, start, take_back_signals

zones = [tuple(label.encode().lower() for label in zone.strip(".").split(".")) for zone in sys.argv[1].split(",")]
port, upstream_port, pidfile = int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
delay = float(sys.argv[5]) if len(sys.argv) > 5 else 3.0
lifetime = float(sys.argv[6]) if len(sys.argv) > 6 else 120.0
take_back_signals()


def question(query):
    """(lowercased labels, offset past the question) of a query; a name
    that is compressed or runs past the end gives no labels."""
    offset, labels = 12, []
    while offset < len(query) and query[offset] != 0:
        length = query[offset]
        if length & 0xC0 or offset + 1 + length > len(query):
            return (), None
        labels.append(query[offset + 1:offset + 1 + length].lower())
        offset += 1 + length
    return tuple(labels), offset + 5


def hold(query):
    """(DELAY, SERVFAIL) for a question at or under a zone; None otherwise."""
    labels, end = question(query)
    if end is None or end > len(query) or not any(labels[len(labels) - len(zone):] == zone
                                                  for zone in zones if len(zone) <= len(labels)):
        return None
    header = bytearray(query[:12])
    header[2] = 0x80 | (query[2] & 0x79)  # QR; the opcode and RD as asked
    header[3] = 0x80 | 2                  # RA, SERVFAIL
    edns = struct.unpack(">H", query[10:12])[0] > 0
    header[4:12] = struct.pack(">HHHH", 1, 0, 0, 1 if edns else 0)
    opt = b"\x00" + struct.pack(">HHIH", 41, 1232, 0, 0) if edns else b""
    return delay, bytes(header) + query[12:end] + opt


def answer(query, over_tcp):
    return (ask_upstream if over_tcp else ask_upstream_udp)(upstream_port, query)


def complain(problem):
    print("delay_dns: %r" % (problem,), file=sys.stderr, flush=True)


port = start(port, answer, many_per_connection=True, report=complain, hold=hold)
time.sleep(0.2)
announce(pidfile, port)
time.sleep(lifetime)
