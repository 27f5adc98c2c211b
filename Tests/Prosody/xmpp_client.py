#!/usr/bin/env python3
"""A stdlib-only XMPP client for the federation test: log in with SASL
PLAIN on a loopback server, bind, go online, then send one message or wait
for one.

  xmpp_client.py receive HOST JID PASSWORD SECONDS   -> prints the first body, exit 0; 1 on timeout
  xmpp_client.py send HOST JID PASSWORD TO BODY SECONDS -> prints any error stanza, exit 0 when sent
"""
import base64
import re
import socket
import sys
import time
from xml.sax.saxutils import escape


class Client:
    def __init__(self, host, jid, password, deadline):
        self.user, self.domain = jid.split("@")
        self.deadline = deadline
        self.sock = socket.create_connection((host, 5222), timeout=5)
        self.buffer = ""
        self.open_stream()
        self.read_until(r"<mechanisms")
        self.read_until(r"</stream:features>")
        token = base64.b64encode(("\0%s\0%s" % (self.user, password)).encode()).decode()
        self.send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>%s</auth>" % token)
        self.read_until(r"<success")
        self.buffer = ""
        self.open_stream()
        self.read_until(r"</stream:features>")
        self.send("<iq type='set' id='bind'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>"
                  "<resource>test</resource></bind></iq>")
        self.read_until(r"</iq>")
        self.send("<presence/>")

    def open_stream(self):
        self.send("<?xml version='1.0'?><stream:stream to='%s' xmlns='jabber:client' "
                  "xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>" % self.domain)

    def send(self, data):
        self.sock.sendall(data.encode())

    def read_until(self, pattern):
        while True:
            match = re.search(pattern, self.buffer)
            if match:
                found, self.buffer = self.buffer[:match.end()], self.buffer[match.end():]
                return found
            if re.search(r"<failure|<stream:error", self.buffer):
                raise SystemExit("server refused: " + self.buffer[:300])
            remaining = self.deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(pattern)
            self.sock.settimeout(remaining)
            data = self.sock.recv(65536)
            if not data:
                raise SystemExit("connection closed while waiting for " + pattern)
            self.buffer += data.decode("utf-8", "replace")


def main():
    mode, host, jid, password = sys.argv[1:5]
    if mode == "receive":
        deadline = time.monotonic() + float(sys.argv[5])
        client = Client(host, jid, password, deadline)
        print("ready", flush=True)
        try:
            while True:
                stanza = client.read_until(r"<message\b.*?</message>")
                body = re.search(r"<body>(.*?)</body>", stanza, re.S)
                if body:
                    # Wall-clock nanoseconds, for the shell's delivery time.
                    print(body.group(1), "at", time.time_ns(), flush=True)
                    return 0
        except TimeoutError:
            print("no message", flush=True)
            return 1
    to, body, seconds = sys.argv[5], sys.argv[6], float(sys.argv[7])
    deadline = time.monotonic() + seconds
    client = Client(host, jid, password, deadline)
    client.send("<message to='%s' type='chat' id='m1'><body>%s</body></message>" % (escape(to), escape(body)))
    # Wait a little for a bounce: an error means the federation refused the message.
    try:
        stanza = client.read_until(r"<message[^>]*type=['\"]error['\"].*?</message>")
        print("bounced: " + stanza, flush=True)
    except TimeoutError:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
