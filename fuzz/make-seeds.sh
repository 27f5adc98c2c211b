#!/usr/bin/env bash
# Writes the seed corpora under fuzz/corpus/ from the project's own test
# material: the fixture PKI in fuzz/pki/ (made once by
# Tests/Fixtures/make-test-pki.sh and kept, so that seeds and trust anchor
# agree) and replies recorded from the signed loopback DNS world.
#   fuzz/make-seeds.sh XMPPDNA_FUZZ_BINARY
# Re-running replaces fuzz/corpus/ and fuzz/dns/{anchor,time}.txt.
set -euo pipefail
fuzz_bin=${1:?usage: make-seeds.sh PATH_TO_PLAIN_xmppdna-fuzz}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
corpus=$here/corpus
rm -rf "$corpus"
mkdir -p "$corpus"/{chain,match,match-openssl,tlsa,posh,dns,names,http}
work=$(mktemp -d)
state=$work/world
trap '"$root/Tests/DNSWorld/down.sh" "$state" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

python3 - "$here/pki" "$corpus" <<'PYEOF'
import base64, hashlib, json, re, subprocess, sys
pki, corpus = sys.argv[1], sys.argv[2]

def pem_blocks(path):
    text = open(path).read()
    return re.findall(r"-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----\n", text, re.S)

def der(block):
    return subprocess.run(["openssl", "x509", "-outform", "DER"], input=block.encode(), capture_output=True, check=True).stdout

def spki(block):
    key = subprocess.run(["openssl", "x509", "-pubkey", "-noout"], input=block.encode(), capture_output=True, check=True).stdout
    return subprocess.run(["openssl", "pkey", "-pubin", "-outform", "DER"], input=key, capture_output=True, check=True).stdout

def chunk(data):
    return len(data).to_bytes(2, "big") + data

def write(target, name, data):
    open(f"{corpus}/{target}/{name}", "wb").write(data)

chains = {name: pem_blocks(f"{pki}/{name}-chain.pem") for name in ("full", "host1")}
root = pem_blocks(f"{pki}/root.pem")[0]
for name, blocks in chains.items():
    for direction in (0, 2):
        write("chain", f"{name}-der-{direction}", bytes([direction]) + b"".join(chunk(der(b)) for b in blocks))
    write("chain", f"{name}-pem", bytes([1]) + chunk("".join(blocks).encode()))
    write("chain", f"{name}-with-root-der", bytes([0]) + b"".join(chunk(der(b)) for b in blocks + [root]))
write("chain", "cn-fallback-pem", bytes([5]) + chunk("".join(chains["full"]).encode()))

leaf, inter = chains["full"][0], chains["full"][1]
host_leaf = chains["host1"][0]
def tlsa_lines(cert, usage):
    c, s = der(cert), spki(cert)
    return [f"0 {usage} 0 0 {c.hex()}", f"0 {usage} 1 1 {hashlib.sha256(s).hexdigest()}",
            f"0 {usage} 0 1 {hashlib.sha256(c).hexdigest()}", f"0 {usage} 1 2 {hashlib.sha512(s).hexdigest()}"]
for flags, cert, name in ((0, leaf, "full"), (1, host_leaf, "host1")):
    lines = tlsa_lines(cert, 3)
    for i, line in enumerate(lines):
        write("tlsa", f"{name}-ee-{i}", bytes([flags]) + line.encode())
    write("tlsa", f"{name}-ee-rollover", bytes([flags | 2]) + ("\n".join(lines[1:3]) + "\n0 3 1 1 " + "00" * 32).encode())
    write("tlsa", f"{name}-ee-insecure", bytes([flags]) + ("1" + lines[1][1:]).encode())
    write("tlsa", f"{name}-ee-bogus", bytes([flags]) + ("2" + lines[1][1:]).encode())
for i, line in enumerate(tlsa_lines(root, 2) + tlsa_lines(inter, 2)):
    write("tlsa", f"full-ta-{i}", bytes([4 if i % 2 else 0]) + line.encode())
write("tlsa", "mismatch-then-pki", bytes([3]) + b"0 3 1 1 " + b"ab" * 32)

def posh(cert, extra=None):
    c = der(cert)
    doc = {"fingerprints": [{"sha-256": base64.b64encode(hashlib.sha256(c).digest()).decode(),
                             "sha-512": base64.b64encode(hashlib.sha512(c).digest()).decode()}], "expires": 86400}
    if extra: doc.update(extra)
    return json.dumps(doc).encode()
write("posh", "full", bytes([0]) + posh(leaf))
write("posh", "host1", bytes([1]) + posh(host_leaf))
write("posh", "host1-inbound", bytes([3]) + posh(host_leaf))
write("posh", "spki", bytes([1]) + json.dumps({"fingerprints": [{"sha-256": base64.b64encode(hashlib.sha256(spki(host_leaf)).digest()).decode()}], "expires": 60}).encode())
write("posh", "url", bytes([1]) + b'{"url":"https://hosting.example.net/.well-known/posh/xmpp-server.json","expires":3600}')
write("posh", "prosody-style", bytes([1]) + b'{"fingerprints":[{"sha-256":"' + base64.b64encode(hashlib.sha256(der(host_leaf)).digest()) + b'"}],"expires":604800}')
write("posh", "nested", bytes([0]) + b'{"fingerprints":[[[[{"a":[1,2.5e3,-0,true,false,null,"\\u00e9\\ud83d\\ude00"]}]]]],"expires":1}')

# http: flags byte (bit 0 the 64-byte limit, bits 2-7 the re-encoding's chunk size), then a response.
document = posh(host_leaf)
def response(status, fields, body=b""):
    return f"HTTP/1.1 {status}\r\n".encode() + b"".join(f.encode() + b"\r\n" for f in fields) + b"\r\n" + body
def chunks(body, size):
    return b"".join(b"%x\r\n%s\r\n" % (len(body[i:i + size]), body[i:i + size]) for i in range(0, len(body), size)) + b"0\r\n\r\n"
http_seeds = {
    "python-server": (0, b"HTTP/1.1 200 OK\r\nServer: BaseHTTP/0.6 Python/3.11.2\r\nDate: Thu, 01 Jan 2026 00:00:00 GMT\r\n"
                         b"Content-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(document), document)),
    "chunked": (4, response("200 OK", ["Content-Type: application/json", "Transfer-Encoding: chunked"], chunks(document, 7))),
    "chunked-extensions-trailers": (9, response("200 OK", ["Transfer-Encoding: chunked"],
                                               b'5;name=value\r\nhello\r\n02 ; a = "b;c"\r\n!!\r\n0;last\r\nX-Checksum: 1\r\n\r\n')),
    "chunk-size-overflowing": (1, response("200 OK", ["Transfer-Encoding: chunked"], b"ffffffffffffffffff\r\nhello\r\n0\r\n\r\n")),
    "unframed": (1, response("200 OK", ["Connection: close"], b"{}")),
    "http10": (0, b"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\n{}"),
    "content-length-list": (1, response("200", ["Content-Length: 5, 005", "Content-Length: 5"], b"hello")),
    "content-length-and-chunked": (0, response("200 OK", ["Content-Length: 5", "Transfer-Encoding: chunked"], b"5\r\nhello\r\n0\r\n\r\n")),
    "no-content": (0, response("204 No Content", ["Content-Length: 0"])),
    "interim": (0, response("100 Continue", []) + response("200 OK", ["Content-Length: 2"], b"{}")),
    "obs-text": (0, b"HTTP/1.1 200 \xe9t\xe9\r\nX-Latin: caf\xe9\r\nContent-Length: 0\r\n\r\n"),
    "redirect-path": (0, response("302 Found", ["Location: /moved/xmpp-server.json", "Content-Length: 0"])),
    "redirect-url": (0, response("301 Moved Permanently", ["Location: https://hosting.example.net:8443/posh.json?x=1", "Content-Length: 0"])),
    "redirect-network-path": (0, response("307 Temporary Redirect", ["Location: //hosting.example.net/p", "Content-Length: 0"])),
    "redirect-relative": (0, response("308 Permanent Redirect", ["Location: moved.json", "Content-Length: 0"])),
    "redirect-http": (0, response("303 See Other", ["Location: http://example.com/x", "Content-Length: 0"])),
    "redirect-two-locations": (0, response("302 Found", ["Location: /a", "Location: /b", "Content-Length: 0"])),
    "redirect-no-location": (0, response("302 Found", ["Content-Length: 0"])),
    "not-found": (0, response("404 Not Found", ["Content-Type: text/plain", "Content-Length: 10"], b"not found\n")),
}
for name, (flags, data) in http_seeds.items():
    write("http", name, bytes([flags]) + data)

write("match", "domain-full", bytes([0]) + b"Dexample.com\n\n1 example.com\n2 _xmpp-server.example.com\n3 example.com\n5 192.0.2.1\n6 example.com")
write("match", "typed", bytes([1]) + b"1 www.example.com\n2 _xmpp-client.example.com\n3 user@example.com/res\n4 xmpp:example.com\n5 2001:db8::1\nN host1.example.net\n\n1 *.example.com\n1 xn--bcher-kva.example\n3 b\xc3\xbccher.example\n4 xmpp:example.com\n1 f*.example.com\n1 example.com\x00.evil.test")
write("match", "idn", bytes([0]) + b"Db\xc3\xbccher.example\n\n1 xn--bcher-kva.example\n3 b\xc3\xbccher.example")
write("match", "client", bytes([2]) + b"Dexample.com\n\n2 _xmpp-client.example.com\n1 *.Example.COM.")

for i, (ref, sans) in enumerate([("www.example.com", ["*.example.com"]), ("example.com", ["*.example.com", "EXAMPLE.com"]),
                                 ("a.b.example.com", ["*.example.com", "*.b.example.com"]), ("host1.example.net", ["host2.example.net"]),
                                 ("x1-y.example.org", ["X1-Y.Example.Org"])]):
    write("match-openssl", f"case-{i}", ("\n".join([ref] + sans)).encode())

names_cases = {
    "delegated": b"example.com\nS 0 _xmpp-server._tcp.example.com 5 0 5269 host1.example.net.\nS 0 _xmpp-server._tcp.example.com 10 0 5269 host2.example.net.\nA 0 host1.example.net 127.0.0.1\n6 0 host1.example.net ::1\nA 1 host2.example.net 127.0.0.2\n6 0 host2.example.net -",
    "insecure": b"example.com\nS 1 _xmpp-server._tcp.example.com 5 0 5269 host1.example.net.\nA 0 host1.example.net 127.0.0.1",
    "bogus": b"example.com\nS 2 _xmpp-server._tcp.example.com 5 0 5269 host1.example.net.",
    "nosrv": b"example.com\nS 0 _xmpp-server._tcp.example.com -\nA 0 example.com 192.0.2.1",
    "dot": b"example.com\nS 0 _xmpp-server._tcp.example.com 0 0 0 .",
    "cname": b"example.com\nS 0 _xmpp-server._tcp.example.com 0 0 5269 xmpp.example.com.\nC 0 xmpp.example.com host1.example.net.\nA 0 host1.example.net 127.0.0.1",
    "xmpps": b"example.com\nS 0 _xmpps-server._tcp.example.com 0 0 5270 host1.example.net.\nA 0 host1.example.net 127.0.0.1",
}
for name, text in names_cases.items():
    write("names", name, bytes([0]) + text)
write("names", "client", bytes([1]) + b"example.com\nS 0 _xmpp-client._tcp.example.com 0 0 5222 host1.example.net.\nS 0 _xmpps-client._tcp.example.com 0 0 5223 host1.example.net.")
PYEOF

# DNS: replies recorded from the signed loopback world, validated with its
# anchor at the time of recording.
DNSWORLD_NSD_PORT=auto "$root/Tests/DNSWorld/up.sh" "$state" >/dev/null
. "$state/env"
cp "$ANCHOR_FILE" "$here/dns/anchor.txt"
now=$(date -u +%s)
echo "$now" > "$here/dns/time.txt"
for domain in example.com alias.example.com nosrv.example.com toinsecure.example.com tobogus.example.com \
              tampered.example.com wildsrv.example.com insecure.example unsigned.example.net unknownds.example \
              bogus.example notyet.example wrongds.example missing.example.com; do
  "$fuzz_bin" record-dns "127.0.0.1@$NSD_PORT" "$here/dns/anchor.txt" "$now" "$domain" 0 "$corpus/dns/$domain"
  "$fuzz_bin" record-dns "127.0.0.1@$UNBOUND_PORT" "$here/dns/anchor.txt" "$now" "$domain" 1 "$corpus/dns/$domain-ad"
done
"$fuzz_bin" record-dns "127.0.0.1@$NSD_PORT" "$here/dns/anchor.txt" "$now" example.com 2 "$corpus/dns/example.com-client"
echo "seeds: $(find "$corpus" -type f | wc -l) files"
