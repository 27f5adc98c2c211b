"""Issue #23: slow domains must not starve healthy ones.

Whoever connects to a server chooses the domain it verifies, so an attacker
can keep the server looking up domains whose DNS answers slowly, or whose
POSH web server never answers. Here, on the default configuration (pool,
DNS and POSH timeouts), N such lookups are put in flight through the async
API, and then a healthy domain's name list (example.com) and its DNA verdict
(host1's certificate, accepted by DANE) are timed against the same pair
measured alone on the same context. Issue #23's pass condition: each within
3x its time alone or 50 ms, whichever is larger.

- DNS: Tests/DNSWorld/delay_dns.py sits between xmppdna and the world's
  Unbound, passes every question on at once except those under
  slow.example, which it answers (SERVFAIL) 3 s late; the slow lookups are
  name lists of N distinct domains under it. With the default per-attempt
  timeout of 2 s, today's library gives up on each of those questions
  before the answer comes: a slow name list takes about 8 s (two SRV
  questions, two attempts each) and ends indeterminate.
- POSH: Tests/POSHWorld/silent_server.py accepts connections and says
  nothing; the context's POSH URL base points at it, and the slow lookups
  are verdicts for N distinct unsigned domains under insecure.example that
  only POSH could accept (DANE not applicable, PKI rejects host1's
  certificate), so each waits for the whole POSH timeout.

Every measurement is cold: the DNS cache is flushed before the healthy pair
is submitted, alone and under load. The healthy pair gets DEADLINE seconds
(5 s by default, a hundred times the 50 ms allowance); past it, it counts as
failed. Every slow lookup is then cancelled and the context freed, and how
long that took is part of the table printed at the end of the run.

Before issue #23's fix each lookup held one of the context's four worker
threads for its whole duration, and all six cases failed (the healthy name
list waited past the 5 s deadline beside 4 slow DNS lookups). Now a lookup
waits on its sockets without a thread, and the limits keep one zone from
taking every query slot.
"""
import asyncio
import os
import pathlib
import shutil
import signal
import socket
import subprocess
import tempfile
import time

import pytest

import xmppdna
from conftest import REPO, SUMMARIES

SLOW_ZONE = "slow.example"
DELAY = 3.0      # seconds delay_dns.py holds every answer under SLOW_ZONE
# Seconds the healthy pair may take before it counts as failed: a hundred
# times the 50 ms allowance, short enough to keep the module near a minute.
# XMPPDNA_SLOW_DEADLINE=10 shows today's real waits (about 8 s beside four
# slow DNS lookups) at the cost of a longer run.
DEADLINE = float(os.environ.get("XMPPDNA_SLOW_DEADLINE", "5"))
SETTLE = 0.2     # seconds between submitting the slow lookups and the healthy pair
ALLOWANCE = (3.0, 0.050)  # issue #23: within 3x the time alone or 50 ms, whichever is larger
ROWS = []


def _free_port():
    """A loopback port free for both UDP and TCP right now."""
    while True:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as tcp:
            tcp.bind(("127.0.0.1", 0))
            port = tcp.getsockname()[1]
            try:
                with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
                    udp.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port


def _start(command, state, what):
    """Starts a helper, command(PID file), with its stderr in a file (a pipe
    nobody reads could fill and stall it) and waits for its PID file;
    returns the process and the file's words."""
    pidfile, log = state / "pid", state / "stderr"
    with open(log, "wb") as stderr:
        process = subprocess.Popen(command(str(pidfile)), stdout=subprocess.DEVNULL, stderr=stderr)
    for _ in range(100):
        if pidfile.exists():
            words = pidfile.read_text().split()
            if int(words[0]) != process.pid:
                _stop(process)
                pytest.fail("%s wrote PID %s, we started %d" % (what, words[0], process.pid))
            return process, words
        if process.poll() is not None:
            pytest.fail("%s exited with %s: %s" % (what, process.returncode, log.read_text()[-2000:]))
        time.sleep(0.05)
    _stop(process)
    pytest.fail("%s did not start: %s" % (what, log.read_text()[-2000:]))


def _stop(process):
    """Stops exactly the process we started, by its PID."""
    if process.poll() is None:
        os.kill(process.pid, signal.SIGTERM)
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def slow_dns(world):
    """delay_dns.py between us and the world's Unbound; yields its "127.0.0.1@PORT"."""
    server, _ = world
    upstream, port = server.split("@")[1], _free_port()
    state = pathlib.Path(tempfile.mkdtemp(prefix="xmppdna-py-delay-"))
    try:
        # Its lifetime (600 s) outlasts this module; we stop it by PID anyway.
        process, _ = _start(lambda pidfile: ["/usr/bin/python3", str(REPO / "Tests/DNSWorld/delay_dns.py"), SLOW_ZONE,
                                             str(port), upstream, pidfile, str(DELAY), "600"], state, "delay_dns.py")
        try:
            yield "127.0.0.1@%d" % port
        finally:
            _stop(process)
    finally:
        shutil.rmtree(state, ignore_errors=True)


@pytest.fixture(scope="module")
def silent_posh():
    """silent_server.py; yields "https://127.0.0.1:PORT" for the POSH URL base."""
    state = pathlib.Path(tempfile.mkdtemp(prefix="xmppdna-py-silent-"))
    try:
        process, (_, port) = _start(lambda pidfile: ["python3", str(REPO / "Tests/POSHWorld/silent_server.py"),
                                                     "--port", "0", "--pidfile", pidfile, "--lifetime", "600"],
                                    state, "silent_server.py")
        try:
            yield "https://127.0.0.1:%s" % port
        finally:
            _stop(process)
    finally:
        shutil.rmtree(state, ignore_errors=True)


@pytest.fixture(scope="module", autouse=True)
def table():
    """Leaves the measured table for the end of the run, for quoting."""
    yield
    if ROWS:
        SUMMARIES.append(("issue #23: a healthy domain beside N slow lookups (default configuration)", [
            "| slow lookups | N submitted | name list alone | name list with N | verdict alone | verdict with N "
            "| allowed (names / verdict) | cancel + free the context |",
            "|---|---:|---:|---:|---:|---:|---:|---:|"] + [
            "| %(kind)s | %(submitted)s | %(names_alone)s | %(names_loaded)s | %(verdict_alone)s | %(verdict_loaded)s "
            "| %(allowed)s | %(teardown)s |" % row for row in ROWS]))


def _ms(seconds):
    return "> %s ms (deadline)" % format(int(DEADLINE * 1000), ",") if seconds is None else \
        "%s ms" % format(round(seconds * 1000), ",")


def _allowed(alone):
    return max(ALLOWANCE[0] * alone, ALLOWANCE[1])


async def _timed(awaitable, started):
    """The awaitable's result and the seconds from `started` to its end."""
    result = await awaitable
    return result, time.perf_counter() - started


async def _settle():
    """Waits SETTLE, then until this process (the library's threads
    included) is idle: the slow lookups' CPU work (chains, signatures) done
    and each left waiting on its server. Issue #23 is about lookups that
    wait, not about a burst of CPU, which any 1,000 connections cost; on a
    busy machine that burst outlasts a fixed pause. At most 2 s, well
    before any slow lookup could end (DNS held 3 s, POSH 5 s)."""
    await asyncio.sleep(SETTLE)
    limit = time.perf_counter() + 2
    while time.perf_counter() < limit:
        before = time.process_time()
        await asyncio.sleep(0.05)
        if time.process_time() - before < 0.005:
            return


async def _healthy_pair(ctx, host1, deadline):
    """example.com's name list and DNA verdict, submitted together from a
    cold cache; their times, or None for one still running at the deadline
    (it is then cancelled)."""
    ctx.flush_cache()
    started = time.perf_counter()
    names = asyncio.ensure_future(_timed(ctx.names_async("example.com"), started))
    verdict = asyncio.ensure_future(_timed(ctx.verify_async(host1, "example.com",
                                                            endpoint=("host1.example.net", 5269)), started))
    done, pending = await asyncio.wait([names, verdict], timeout=deadline)
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    times = []
    for task, check in ((names, lambda r: r.status == "secure" and
                         "host1.example.net" in [n.value for n in r.names]),
                        (verdict, lambda r: r.accepted and r.prooftype == "dane")):
        if task in pending:
            times.append(None)
            continue
        result, seconds = task.result()
        if not check(result):  # a wrong answer is a broken test, not issue #23
            pytest.fail("the healthy lookup gave a wrong answer: %r" % (result,))
        times.append(seconds)
    return times


async def _scenario(kind, n, ctx, host1, slow):
    """Alone (best of three), then beside n slow lookups; then cancels them
    and frees the context, whatever happened. Returns the row of the table
    and the (alone, loaded) times of the name list and of the verdict."""
    slow_tasks, refused = [], []
    try:
        alone = [await _healthy_pair(ctx, host1, DEADLINE) for _ in range(3)]
        if any(None in pair for pair in alone):
            pytest.fail("the healthy pair did not finish alone within %s s: %r" % (DEADLINE, alone))
        names_alone, verdict_alone = (min(pair[i] for pair in alone) for i in (0, 1))

        slow_tasks = [asyncio.ensure_future(slow(i)) for i in range(n)]
        await _settle()  # every slow lookup submitted, its CPU work done, and waiting on its server
        # None can have finished by now (3 s or more each): a done one was refused at submit.
        refused = [task for task in slow_tasks if task.done()]
        names_loaded, verdict_loaded = await _healthy_pair(ctx, host1, DEADLINE)
    finally:
        started = time.perf_counter()
        for task in slow_tasks:
            task.cancel()
        await asyncio.gather(*slow_tasks, return_exceptions=True)
        ctx.close()
        teardown = time.perf_counter() - started
    if refused:
        first = next((task.exception() for task in refused if not task.cancelled() and task.exception()), None)
        print("%s: %d of %d slow lookups could not be issued: %r" % (kind, len(refused), n, first))
    row = dict(kind=kind, n=n, submitted=format(n - len(refused), ","),
               names_alone=_ms(names_alone), names_loaded=_ms(names_loaded),
               verdict_alone=_ms(verdict_alone), verdict_loaded=_ms(verdict_loaded),
               allowed="%s / %s" % (_ms(_allowed(names_alone)), _ms(_allowed(verdict_alone))),
               teardown=_ms(teardown))
    ROWS.append(row)
    return row, (names_alone, names_loaded), (verdict_alone, verdict_loaded)


def _judge(row, *pairs):
    """Issue #23's condition, the only AssertionError these tests raise."""
    late = ["%s of example.com took %s beside %s slow %s lookups, %s alone (allowed: %s)"
            % (what, _ms(loaded), row["submitted"], row["kind"], _ms(alone), _ms(_allowed(alone)))
            for what, (alone, loaded) in zip(("the name list", "the DNA verdict"), pairs)
            if loaded is None or loaded > _allowed(alone)]
    assert not late, "; ".join(late)


def _context(pki, server, anchor, **options):
    # Nothing but what the test world needs: pool size and timeouts stay the defaults.
    return xmppdna.Context(ca_file=str(pki / "root.pem"), servers=[server], anchor_file=anchor, **options)


@pytest.mark.parametrize("n", [4, 32, 1000])
def test_slow_dns_does_not_delay_a_healthy_domain(pki, world, slow_dns, n):
    _, anchor = world
    host1 = (pki / "host1-chain.pem").read_bytes()

    async def run():
        ctx = _context(pki, slow_dns, anchor)
        return await _scenario("DNS", n, ctx, host1,
                               lambda i: ctx.names_async("d%d.%s" % (i, SLOW_ZONE)))

    _judge(*asyncio.run(run()))


@pytest.mark.parametrize("n", [4, 32, 1000])
def test_silent_posh_does_not_delay_a_healthy_domain(pki, world, silent_posh, n):
    server, anchor = world
    host1 = (pki / "host1-chain.pem").read_bytes()

    async def run():
        ctx = _context(pki, server, anchor, posh_url_base=silent_posh)
        return await _scenario("POSH", n, ctx, host1,
                               lambda i: ctx.verify_async(host1, "p%d.insecure.example" % i))

    _judge(*asyncio.run(run()))
