"""What the world's misbehaving DNS servers share: asking the world's NSD, and
serving UDP and TCP on 127.0.0.1 until the test stops them by PID. serve()
also stops after 120 seconds, so a crashed test never leaves one behind; a
server that lives otherwise (mutate_dns.py) calls start() and announce()."""
import os
import signal
import socket
import struct
import threading
import time


def take_back_signals():
    """A test runner's worker thread may start us with signals blocked; the
    test stops us with SIGTERM."""
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def read_exactly(sock, count):
    data = b""
    while len(data) < count:
        chunk = sock.recv(count - len(data))
        if not chunk:
            raise ConnectionError("closed")
        data += chunk
    return data


def ask_upstream(upstream_port, wire):
    """One question to the world's NSD over TCP, whatever its size."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as upstream:
        upstream.settimeout(3)
        upstream.connect(("127.0.0.1", upstream_port))
        upstream.sendall(struct.pack(">H", len(wire)) + wire)
        length = struct.unpack(">H", read_exactly(upstream, 2))[0]
        return read_exactly(upstream, length)


def start(port, answer, announced_length=len, many_per_connection=False, report=None):
    """Answers on 127.0.0.1:port, UDP and TCP, in daemon threads, with
    answer(wire, over_tcp) (None: stay silent); a TCP answer is framed with
    announced_length(reply), which a liar may overstate. A TCP connection
    carries one question, or as many as the client sends with
    many_per_connection (Unbound reuses its connections). A question whose
    answer fails goes unanswered, and report(problem) hears of it if given;
    a TCP client that goes quiet or away is no problem."""
    def serve_udp():
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as server:
            server.bind(("127.0.0.1", port))
            while True:
                query, client = server.recvfrom(4096)
                try:
                    reply = answer(query, False)
                    if reply is not None:
                        server.sendto(reply, client)
                except Exception as problem:  # a question we cannot read gets no answer
                    if report:
                        report(problem)

    def serve_tcp_client(conn):
        with conn:
            try:
                conn.settimeout(5)
                while True:
                    head = conn.recv(2, socket.MSG_WAITALL)
                    if len(head) < 2:
                        return
                    reply = answer(read_exactly(conn, struct.unpack(">H", head)[0]), True)
                    if reply is None:
                        time.sleep(5)
                        return
                    conn.sendall(struct.pack(">H", announced_length(reply)) + reply)
                    if not many_per_connection:
                        return
            except Exception as problem:
                if report and not isinstance(problem, (socket.timeout, ConnectionError)):
                    report(problem)

    def serve_tcp():
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
            server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            server.bind(("127.0.0.1", port))
            server.listen(64)
            while True:
                conn, _ = server.accept()
                threading.Thread(target=serve_tcp_client, args=(conn,), daemon=True).start()

    threading.Thread(target=serve_udp, daemon=True).start()
    threading.Thread(target=serve_tcp, daemon=True).start()


def announce(pidfile):
    """Tells the test we listen: our PID in pidfile, written whole, then
    renamed (the test polls the file, and Foundation leaks the buffer of
    every empty file it reads, seen under LeakSanitizer)."""
    with open(pidfile + ".tmp", "w") as handle:
        handle.write(str(os.getpid()))
    os.rename(pidfile + ".tmp", pidfile)


def serve(port, pidfile, answer, announced_length=len):
    """start(), then announce() once the sockets are bound, then 120 seconds
    of answering."""
    start(port, answer, announced_length)
    time.sleep(0.2)
    announce(pidfile)
    time.sleep(120)
