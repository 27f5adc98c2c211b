"""What the world's misbehaving DNS servers share: asking the world's NSD, and
serving UDP and TCP on 127.0.0.1 until the test stops them by PID. serve()
also stops after 120 seconds, so a crashed test never leaves one behind; a
server that lives otherwise (mutate_dns.py, delay_dns.py) calls start() and
announce()."""
import errno
import heapq
import itertools
import os
import signal
import socket
import struct
import threading
import time
from concurrent.futures import ThreadPoolExecutor


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


def ask_upstream_udp(upstream_port, wire):
    """One question over UDP, the reply as it comes (TC included, for the
    client to ask again over TCP): cheaper for a resolver than a TCP
    connection each when many come at once."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as upstream:
        upstream.settimeout(3)
        upstream.connect(("127.0.0.1", upstream_port))
        upstream.send(wire)
        while True:
            reply = upstream.recv(65535)
            if len(reply) >= 12 and reply[:2] == wire[:2]:
                return reply


def start(port, answer, announced_length=len, many_per_connection=False, report=None, hold=None):
    """Answers on 127.0.0.1:port (0: a free one), UDP and TCP, in daemon
    threads, and returns the port; each question is answered with
    answer(wire, over_tcp) (None: stay silent); a TCP answer is framed with
    announced_length(reply), which a liar may overstate. A TCP connection
    carries one question, or as many as the client sends with
    many_per_connection (Unbound reuses its connections). A question whose
    answer fails goes unanswered, and report(problem) hears of it if given;
    a TCP client that goes quiet or away is no problem.

    hold(wire) makes a server for slow answers (delay_dns.py). It runs on
    the receiving thread for every question and must not block: it returns
    (seconds, reply) for a question whose reply one timer thread sends that
    long after the question arrived, or None for one that answer() answers
    at once, on a pool of threads. However many replies are held, none holds
    a thread or delays another question; the questions on one TCP
    connection are answered as they come and their replies go out as they
    are ready (RFC 7766 allows any order), the connection closing once the
    client is done and every reply has gone. The UDP socket gets a receive
    buffer of 4 MiB, so a burst of thousands of questions waits there
    instead of being dropped."""
    if hold is not None:
        return _start_holding(port, answer, announced_length, many_per_connection, report, hold)

    udp, tcp = _bound(port, 64)

    def serve_udp():
        with udp as server:
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
        with tcp as server:
            while True:
                conn, _ = server.accept()
                threading.Thread(target=serve_tcp_client, args=(conn,), daemon=True).start()

    threading.Thread(target=serve_udp, daemon=True).start()
    threading.Thread(target=serve_tcp, daemon=True).start()
    return tcp.getsockname()[1]


def _bound(port, backlog, receive_buffer=None):
    """The UDP and TCP sockets, bound and listening before any thread runs,
    so that a server which says it listens (its PID file) answers both.
    Port 0 takes a free port the kernel picks for UDP and the same number
    for TCP (another is tried while TCP finds it taken); a fixed port still
    held by the server just stopped on it is tried again for up to five
    seconds."""
    deadline = time.monotonic() + 5
    while True:
        udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            if receive_buffer:
                udp.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
            udp.bind(("127.0.0.1", port))
            tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            tcp.bind(("127.0.0.1", udp.getsockname()[1]))
            tcp.listen(backlog)
            return udp, tcp
        except OSError as problem:
            udp.close()
            tcp.close()
            if problem.errno != errno.EADDRINUSE or time.monotonic() > deadline:
                raise
            if port:
                time.sleep(0.05)


class _Timer:
    """One thread that runs actions at their time (time.monotonic())."""

    def __init__(self):
        self._due, self._order, self._changed = [], itertools.count(), threading.Condition()
        threading.Thread(target=self._run, daemon=True).start()

    def at(self, when, action):
        with self._changed:
            heapq.heappush(self._due, (when, next(self._order), action))
            if self._due[0][2] is action:  # a new first: the timer must wake sooner
                self._changed.notify()

    def _run(self):
        while True:
            with self._changed:
                while not self._due or self._due[0][0] > time.monotonic():
                    self._changed.wait(self._due[0][0] - time.monotonic() if self._due else None)
                _, _, action = heapq.heappop(self._due)
            try:
                action()
            except OSError:
                pass  # the client went away


def _start_holding(port, answer, announced_length, many_per_connection, report, hold):
    """start() with hold: see there."""
    pool, timer = ThreadPoolExecutor(max_workers=32), _Timer()

    def complain(problem):
        if report:
            report(problem)

    def held(wire):
        try:
            return hold(wire)
        except Exception as problem:  # answered at once, then
            complain(problem)
            return None

    def answer_udp(server, query, client):
        try:
            reply = answer(query, False)
        except Exception as problem:  # a question we cannot answer gets no answer
            return complain(problem)
        if reply is not None:
            server.sendto(reply, client)

    udp, tcp = _bound(port, 1024, receive_buffer=4 << 20)

    def serve_udp():
        with udp as server:
            while True:
                query, client = server.recvfrom(4096)
                later = held(query)
                if later is None:
                    pool.submit(answer_udp, server, query, client)
                else:
                    timer.at(time.monotonic() + later[0], lambda reply=later[1], client=client:
                             server.sendto(reply, client))

    def serve_tcp_client(conn):
        sending, outstanding = threading.Condition(), [0]

        def send(reply):
            with sending:
                try:
                    if reply is not None:
                        conn.sendall(struct.pack(">H", announced_length(reply)) + reply)
                except OSError:
                    pass  # the client went away
                outstanding[0] -= 1
                sending.notify_all()

        def answer_tcp(query):
            try:
                reply = answer(query, True)
            except Exception as problem:
                complain(problem)
                reply = None
            send(reply)

        with conn:
            try:
                conn.settimeout(5)
                while True:
                    head = conn.recv(2, socket.MSG_WAITALL)
                    if len(head) < 2:
                        break
                    query = read_exactly(conn, struct.unpack(">H", head)[0])
                    with sending:
                        outstanding[0] += 1
                    later = held(query)
                    if later is None:
                        pool.submit(answer_tcp, query)
                    else:
                        timer.at(time.monotonic() + later[0], lambda reply=later[1]: send(reply))
                    if not many_per_connection:
                        break
            except Exception as problem:
                if not isinstance(problem, (socket.timeout, ConnectionError)):
                    complain(problem)
            with sending:
                sending.wait_for(lambda: outstanding[0] == 0)

    def serve_tcp():
        with tcp as server:
            while True:
                conn, _ = server.accept()
                threading.Thread(target=serve_tcp_client, args=(conn,), daemon=True).start()

    threading.Thread(target=serve_udp, daemon=True).start()
    threading.Thread(target=serve_tcp, daemon=True).start()
    return tcp.getsockname()[1]


def announce(pidfile, port):
    """Tells the test we listen: "PID PORT" in pidfile, written whole, then
    renamed (the test polls the file, and Foundation leaks the buffer of
    every empty file it reads, seen under LeakSanitizer)."""
    with open(pidfile + ".tmp", "w") as handle:
        handle.write("%d %d" % (os.getpid(), port))
    os.rename(pidfile + ".tmp", pidfile)


def serve(port, pidfile, answer, announced_length=len):
    """start(), then announce() once the sockets are bound, then 120 seconds
    of answering."""
    port = start(port, answer, announced_length)
    time.sleep(0.2)
    announce(pidfile, port)
    time.sleep(120)
