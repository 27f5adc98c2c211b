"""Fixtures: the test PKI, the signed loopback DNS world (with host1's key
in TLSA) and a loopback HTTPS server, each started once and stopped by PID.
The library comes from XMPPDNA_LIBRARY or pkg-config (see xmppdna/_lib.py)."""
import os
import pathlib
import shutil
import subprocess
import tempfile

import pytest

REPO = pathlib.Path(__file__).resolve().parents[3]
SHARED = REPO.parent / "shared"
AT = 1893456000  # 2030-01-01, inside the fixtures' validity
# (title, lines) a test module leaves for the end of the run, where output
# is not captured (test_slow_domains.py's measured table).
SUMMARIES = []


def _digest(*commands):
    """Runs an openssl pipeline and returns its stdout."""
    data = None
    for command in commands:
        data = subprocess.run(command, input=data, capture_output=True, check=True).stdout
    return data


def pytest_terminal_summary(terminalreporter):
    for title, lines in SUMMARIES:
        terminalreporter.write_sep("-", title)
        for line in lines:
            terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def pki():
    directory = pathlib.Path(tempfile.mkdtemp(prefix="xmppdna-py-pki-"))
    subprocess.run([str(REPO / "Tests/Fixtures/make-test-pki.sh"), str(directory)], check=True,
                   stdout=subprocess.DEVNULL)
    yield directory
    shutil.rmtree(directory, ignore_errors=True)


def spki_sha256_hex(pem_path):
    return _digest(["openssl", "x509", "-in", str(pem_path), "-noout", "-pubkey"],
                   ["openssl", "pkey", "-pubin", "-outform", "DER"],
                   ["openssl", "dgst", "-sha256", "-hex"]).decode().split("= ")[-1].strip()


@pytest.fixture(scope="session")
def world(pki):
    """The DNS world on ports of its own; yields (server "127.0.0.1@PORT", anchor path)."""
    state = pathlib.Path(tempfile.mkdtemp(prefix="xmppdna-py-world-"))
    tlsa = state.with_suffix(".tlsa")
    tlsa.write_text("_5269._tcp.host1 TLSA 3 1 1 %s\n" % spki_sha256_hex(pki / "host1.pem"))
    env = dict(os.environ, DNSWORLD_NSD_PORT="auto",
               DNSWORLD_TLSA_FILE=str(tlsa))
    started = subprocess.run([str(REPO / "Tests/DNSWorld/up.sh"), str(state)], env=env, capture_output=True)
    try:
        if started.returncode != 0:
            pytest.fail("the DNS world did not start (exit %d): %s%s" % (
                started.returncode, started.stderr.decode()[-2000:], started.stdout.decode()[-2000:]))
        ports = dict(line.split("=", 1) for line in (state / "env").read_text().split())
        yield "127.0.0.1@%s" % ports["UNBOUND_PORT"], str(state / "root-ds.key")
    finally:
        subprocess.run([str(REPO / "Tests/DNSWorld/down.sh"), str(state)], capture_output=True)
        shutil.rmtree(state, ignore_errors=True)
        tlsa.unlink(missing_ok=True)


@pytest.fixture(scope="session")
def posh_server(pki):
    """https://127.0.0.1:PORT serving insecure.example's POSH file for host1."""
    root = pathlib.Path(tempfile.mkdtemp(prefix="xmppdna-py-web-"))
    document = root / "insecure.example/.well-known/posh/xmpp-server.json"
    document.parent.mkdir(parents=True)
    import base64
    der = _digest(["openssl", "x509", "-in", str(pki / "host1.pem"), "-outform", "DER"])
    import hashlib
    digest = base64.b64encode(hashlib.sha256(der).digest()).decode()
    document.write_text('{"fingerprints":[{"sha-256":"%s"}],"expires":60}' % digest)
    cert = "insecure.example=%s,%s,%s" % (pki / "web-insecure.pem", pki / "web-insecure.key", pki / "inter.pem")
    started = subprocess.run([str(REPO / "Tests/POSHWorld/up.sh"), str(root), "--cert", cert],
                             capture_output=True, text=True)
    if started.returncode != 0:
        pytest.fail("the HTTPS server did not start: %s" % started.stderr)
    pid, port = started.stdout.split()
    try:
        yield "https://127.0.0.1:%s" % port
    finally:
        os.kill(int(pid), 15)
        shutil.rmtree(root, ignore_errors=True)
