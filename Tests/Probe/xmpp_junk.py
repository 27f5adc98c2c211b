#!/usr/bin/env python3
"""Loopback TCP servers that misbehave (or behave) for the probe tests.

  xmpp_junk.py MODE PIDFILE [CERT KEY]
Modes: silent (accepts, never speaks), garbage (answers HTTP), closes
(offers STARTTLS, says <proceed/>, then closes mid-handshake), nostarttls
(features without STARTTLS), hostunknown (the stream error host-unknown
with a text), starttls (real STARTTLS, then TLS with CERT),
direct (XEP-0368 direct TLS with ALPN xmpp-server). Binds 127.0.0.1 on a
kernel-chosen port and writes "PID PORT" to PIDFILE; serves until killed.
"""
import os
import signal
import socket
import ssl
import sys
import threading

HEADER = ("<?xml version='1.0'?><stream:stream xmlns='jabber:server' xmlns:stream='http://etherx.jabber.org/streams' "
          "from='example.com' id='probe' version='1.0'>")
FEATURES_TLS = ("<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls>"
                "</stream:features>")
FEATURES_PLAIN = "<stream:features><dialback xmlns='urn:xmpp:features:dialback'/></stream:features>"


def read_until(conn, marker):
    data = b""
    while marker not in data:
        chunk = conn.recv(4096)
        if not chunk:
            return data
        data += chunk
    return data


def serve(conn, mode, context):
    try:
        if mode == "silent":
            threading.Event().wait(120)
        elif mode == "garbage":
            conn.recv(4096)
            conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
            threading.Event().wait(120)
        elif mode == "direct":
            tls = context.wrap_socket(conn, server_side=True)
            tls.recv(4096)
            threading.Event().wait(5)
        elif mode == "hostunknown":
            read_until(conn, b"version='1.0'>")
            conn.sendall((HEADER + "<stream:error><host-unknown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"
                          "<text xmlns='urn:ietf:params:xml:ns:xmpp-streams'>no such host &lt;here&gt;</text>"
                          "</stream:error></stream:stream>").encode())
        else:
            read_until(conn, b"version='1.0'>")
            conn.sendall((HEADER + (FEATURES_PLAIN if mode == "nostarttls" else FEATURES_TLS)).encode())
            if mode == "nostarttls":
                threading.Event().wait(120)
                return
            read_until(conn, b"<starttls")
            conn.sendall(b"<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>")
            if mode == "closes":
                conn.recv(100)  # the start of the ClientHello
                conn.close()
                return
            tls = context.wrap_socket(conn, server_side=True)
            tls.recv(4096)
            threading.Event().wait(5)
    except OSError:
        pass
    finally:
        conn.close()


def main():
    mode, pidfile = sys.argv[1], sys.argv[2]
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    context = None
    if len(sys.argv) > 4:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(sys.argv[3], sys.argv[4])
        context.set_alpn_protocols(["xmpp-server", "xmpp-client"])
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    with open(pidfile + ".tmp", "w") as out:
        out.write("%d %d\n" % (os.getpid(), listener.getsockname()[1]))
    os.rename(pidfile + ".tmp", pidfile)
    while True:
        conn, _ = listener.accept()
        threading.Thread(target=serve, args=(conn, mode, context), daemon=True).start()


if __name__ == "__main__":
    main()
