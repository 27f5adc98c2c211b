#!/usr/bin/env python3
"""A real HTTPS server on loopback for the POSH tests.

Serves ROOT/<SNI name>/<path> with the certificate configured for that SNI
name (the multi-tenant case: many domains, one port), answers 404 for
missing files and 302 for a file <path>.redirect holding the Location.
A file <path>.raw is the hostile mode: its bytes are the whole response,
sent as they are (broken framing, status lines, headers).
A request for /slow never gets an answer (timeout tests).

  https_server.py --port P --root DIR --pidfile F --cert NAME=CERT,KEY[,CHAIN] ...
The first --cert is the default for clients without SNI, whose files live
in ROOT/default. With --port 0 the kernel picks the port; the pidfile gets
"PID PORT" once the server listens, so a caller can wait for it.
"""
import argparse
import http.server
import os
import signal
import socketserver
import ssl
import sys
import threading


def context(cert, key, chain):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    if chain:
        bundle = cert + ".bundle"
        with open(bundle, "w") as out:
            out.write(open(cert).read() + open(chain).read())
        cert = bundle
    ctx.load_cert_chain(cert, key)
    return ctx


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path == "/slow":
            threading.Event().wait(60)
            return
        host = getattr(self.connection, "sni_name", None) or "default"
        relative = self.path.split("?", 1)[0].lstrip("/")
        if ".." in relative.split("/"):
            return self.reply(400, b"bad path\n")
        path = os.path.join(self.server.root, host, relative)
        if os.path.isfile(path + ".raw"):
            self.wfile.write(open(path + ".raw", "rb").read())
            self.close_connection = True
            return
        if os.path.isfile(path + ".redirect"):
            location = open(path + ".redirect").read().strip()
            return self.reply(302, b"moved\n", [("Location", location)])
        if not os.path.isfile(path):
            return self.reply(404, b"not found\n")
        body = open(path, "rb").read()
        chunked = os.path.isfile(path + ".chunked")
        self.reply(200, body, [("Content-Type", "application/json")], chunked)

    def reply(self, status, body, headers=(), chunked=False):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        if chunked:
            for start in range(0, len(body), 7):
                piece = body[start:start + 7]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            self.wfile.write(b"0\r\n\r\n")
        else:
            self.wfile.write(body)
        self.close_connection = True


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True

    def __init__(self, address, root, contexts, default):
        family = socketserver.socket.AF_INET6 if ":" in address[0] else socketserver.socket.AF_INET
        self.address_family = family
        super().__init__(address, Handler)
        self.root = root

        def pick(sock, name, _ctx):
            sock.sni_name = name
            if name in contexts:
                sock.context = contexts[name]
        default.sni_callback = pick
        self.socket = default.wrap_socket(self.socket, server_side=True, do_handshake_on_connect=False)

    def get_request(self):
        conn, addr = self.socket.accept()
        return conn, addr

    def finish_request(self, request, client_address):
        try:
            request.settimeout(10)
            request.do_handshake()
            request.sni_name = getattr(request, "sni_name", None)
        except (ssl.SSLError, OSError):
            return
        super().finish_request(request, client_address)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--address", default="127.0.0.1")
    parser.add_argument("--root", required=True)
    parser.add_argument("--pidfile", required=True)
    parser.add_argument("--cert", action="append", required=True)
    args = parser.parse_args()
    # Test threads may start us with signals blocked; stop must work.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    contexts = {}
    default = None
    for spec in args.cert:
        name, files = spec.split("=", 1)
        parts = files.split(",")
        ctx = context(parts[0], parts[1], parts[2] if len(parts) > 2 else None)
        contexts[name] = ctx
        default = default or context(parts[0], parts[1], parts[2] if len(parts) > 2 else None)
    server = Server((args.address, args.port), args.root, contexts, default)
    partial = args.pidfile + ".tmp"
    with open(partial, "w") as out:
        out.write("%d %d\n" % (os.getpid(), server.server_address[1]))
    os.rename(partial, args.pidfile)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
