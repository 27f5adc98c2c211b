#!/usr/bin/env python3
"""A DNS server whose TCP side never completes a connection, for issue #23:

    tcp_blackhole_dns.py PIDFILE [LIFETIME]

Every UDP question gets an empty answer with TC set, so the client asks
again over TCP. The TCP socket on the same port listens with a backlog of
zero and never accepts; one connection of its own fills the accept queue,
so every further SYN is dropped and a client's connect waits until it
gives up, as with a server behind a firewall that drops packets. Port 0:
the kernel picks it, and the pidfile gets "PID PORT" once both sockets
listen. Stopped by PID; exits by itself after LIFETIME seconds (120).
"""
import os
import signal
import socket
import sys
import threading
import time

pidfile = sys.argv[1]
lifetime = float(sys.argv[2]) if len(sys.argv) > 2 else 120.0
signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
signal.signal(signal.SIGTERM, lambda *_: os._exit(0))

udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
udp.bind(("127.0.0.1", 0))
port = udp.getsockname()[1]
tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
tcp.bind(("127.0.0.1", port))
tcp.listen(0)
filler = socket.create_connection(("127.0.0.1", port))  # the one place in the queue


def serve_udp():
    while True:
        query, client = udp.recvfrom(4096)
        if len(query) >= 12:
            reply = bytearray(query[:12])
            reply[2] = 0x80 | (query[2] & 0x01) | 0x02  # QR, RD copied, TC
            reply[3] = 0x00
            reply[6:12] = bytes(6)  # no answer, authority or additional records
            question_end = 12
            while question_end < len(query) and query[question_end] != 0:
                question_end += query[question_end] + 1
            # The question echoed (QDCOUNT as asked), nothing else.
            udp.sendto(bytes(reply) + query[12:question_end + 5], client)


threading.Thread(target=serve_udp, daemon=True).start()
with open(pidfile + ".tmp", "w") as handle:
    handle.write("%d %d" % (os.getpid(), port))
os.rename(pidfile + ".tmp", pidfile)
time.sleep(lifetime)
