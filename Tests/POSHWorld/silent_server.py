#!/usr/bin/env python3
"""A web server that never says a word, for issue #23: it accepts every TCP
connection on loopback and then holds it open in silence (no TLS handshake,
no HTTP), reading and dropping whatever the client sends, until the client
goes away. A POSH fetch pointed at it (xmppdna_ctx_set_posh's url_base)
waits for its whole timeout.

  silent_server.py --port P --pidfile F [--address A] [--lifetime S]

With --port 0 the kernel picks the port; the pidfile gets "PID PORT" once
the server listens, as https_server.py's does, and the caller stops it with
kill PID. It exits by itself after --lifetime seconds (default 120), so a
crashed test never leaves it behind. One thread holds every connection
(selectors), and the open-files limit is raised to its hard limit, so a
thousand silent connections at once are no trouble.
"""
import argparse
import os
import resource
import selectors
import signal
import socket
import sys
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--address", default="127.0.0.1")
    parser.add_argument("--pidfile", required=True)
    parser.add_argument("--lifetime", type=float, default=120.0)
    args = parser.parse_args()
    # Test threads may start us with signals blocked; stop must work.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))

    family = socket.AF_INET6 if ":" in args.address else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((args.address, args.port))
    listener.listen(4096)
    listener.setblocking(False)
    chosen = selectors.DefaultSelector()
    chosen.register(listener, selectors.EVENT_READ)

    partial = args.pidfile + ".tmp"
    with open(partial, "w") as out:
        out.write("%d %d\n" % (os.getpid(), listener.getsockname()[1]))
    os.rename(partial, args.pidfile)

    end = time.monotonic() + args.lifetime
    while (left := end - time.monotonic()) > 0:
        for key, _ in chosen.select(timeout=min(left, 1.0)):
            if key.fileobj is listener:
                try:
                    conn, _ = listener.accept()
                except (BlockingIOError, OSError):
                    continue  # gone before we took it, or out of descriptors for now
                conn.setblocking(False)
                chosen.register(conn, selectors.EVENT_READ)
                continue
            try:
                data = key.fileobj.recv(65536)
            except (BlockingIOError, InterruptedError):
                continue
            except OSError:
                data = b""
            if not data:  # the client gave up: let the connection go
                chosen.unregister(key.fileobj)
                key.fileobj.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
