#!/usr/bin/env bash
# Tests the xmppdna command as operators and scripts use it: exit codes,
# text diagnosis, JSON. Usage: Tests/CLI/run.sh PATH-TO-xmppdna
set -uo pipefail
cli=${1:?usage: run.sh PATH-TO-xmppdna}
here=$(cd "$(dirname "$0")/../.." && pwd)
pki=$(mktemp -d)
trap 'rm -rf "$pki"' EXIT  # widened below once the DNS world runs
"$here/Tests/Fixtures/make-test-pki.sh" "$pki" >/dev/null || { echo "cannot make the test PKI"; exit 1; }
at=1893456000
pass=0 fail=0

# expect NAME WANT-EXIT WANT-SUBSTRING(or "") -- ARGS...
expect() {
  local name=$1 want=$2 needle=$3; shift 4
  local output code
  output=$("$cli" "$@" 2>&1); code=$?
  if [ "$code" != "$want" ]; then
    echo "not ok - $name: exit $code, wanted $want"; echo "$output" | sed 's/^/    /' | head -8; fail=$((fail + 1)); return
  fi
  if [ -n "$needle" ] && ! grep -qF -- "$needle" <<<"$output"; then
    echo "not ok - $name: output lacks '$needle'"; echo "$output" | sed 's/^/    /' | head -8; fail=$((fail + 1)); return
  fi
  echo "ok - $name"; pass=$((pass + 1))
}

ca=(--ca-file "$pki/root.pem" --at $at)
expect "full chain accepted for example.com" 0 "matched DNS-ID example.com" -- verify "$pki/full-chain.pem" --domain example.com "${ca[@]}"
expect "hosting certificate rejected for example.com" 1 "certificate offers: DNS-ID host1.example.net" -- verify "$pki/host1-chain.pem" --domain example.com "${ca[@]}"
expect "rejection hints at delegation" 1 "pass --name host1.example.net" -- verify "$pki/host1-chain.pem" --domain example.com "${ca[@]}"
expect "accepted with the delegated name" 0 "matched DNS-ID host1.example.net" -- verify "$pki/host1-chain.pem" --domain example.com --name host1.example.net "${ca[@]}"
expect "expired chain rejected" 1 "certificate has expired" -- verify "$pki/expired-chain.pem" --domain example.com "${ca[@]}"
expect "--no-pkix accepts the expired chain on names" 0 "not checked" -- verify "$pki/expired-chain.pem" --domain example.com --no-pkix "${ca[@]}"
expect "wrong CA rejected" 1 "unable to get local issuer certificate" -- verify "$pki/wrong-ca-chain.pem" --domain example.com "${ca[@]}"
expect "CA directory works like the file" 0 "ACCEPTED" -- verify "$pki/full-chain.pem" --domain example.com --ca-dir "$pki/cadir" --at $at
expect "SRV-ID accepted for its service" 0 "SRV-ID _xmpp-server.example.com" -- verify "$pki/srv-server-chain.pem" --domain example.com "${ca[@]}"
expect "SRV-ID refused for the other service" 1 "REJECTED" -- verify "$pki/srv-server-chain.pem" --domain example.com --service xmpp-client "${ca[@]}"
expect "CN-only refused by default" 1 "only in the subject CN" -- verify "$pki/cn-only-chain.pem" --domain example.com "${ca[@]}"
expect "CN-only accepted with --cn-fallback" 0 "matched DNS-ID example.com (presented CN example.com)" -- verify "$pki/cn-only-chain.pem" --domain example.com --cn-fallback "${ca[@]}"
expect "IDN domain in U-labels" 0 "ACCEPTED" -- verify "$pki/idn-chain.pem" --domain bücher.example "${ca[@]}"
expect "partial wildcard reported" 1 "partial wildcard" -- verify "$pki/partial-wildcard-chain.pem" --domain foo.example.com "${ca[@]}"
expect "client EKU accepted inbound" 0 "ACCEPTED" -- verify "$pki/client-eku-chain.pem" --domain example.com --inbound "${ca[@]}"
expect "client EKU rejected outbound" 1 "purpose" -- verify "$pki/client-eku-chain.pem" --domain example.com "${ca[@]}"
expect "DER input" 0 "ACCEPTED" -- verify "$pki/full.der" --domain example.com --no-pkix
expect "IP name matches IP SAN" 0 "matched IP 192.0.2.1" -- verify "$pki/ip-chain.pem" --domain example.com --name 192.0.2.1 "${ca[@]}"

# check NAME COMMAND...: passes when the shell command succeeds.
check() {
  local name=$1; shift
  if "$@"; then echo "ok - $name"; pass=$((pass + 1)); else echo "not ok - $name"; fail=$((fail + 1)); fi
}

# --json: stdout is one line, the verdict document, nothing else.
"$cli" verify "$pki/full-chain.pem" --domain example.com --json "${ca[@]}" >"$pki/out.json" 2>/dev/null; code=$?
check "--json accepted exits 0" [ "$code" = 0 ]
check "--json stdout parses with python3 -m json.tool" python3 -m json.tool "$pki/out.json" /dev/null
check "--json stdout is exactly one line" [ "$(wc -l <"$pki/out.json")" = 1 ]
check "--json verdict is accepted with a valid chain and matches" python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["schema_version"]==1 and d["accepted"] is True and d["pki"]["chain"]["status"]=="valid" and d["pki"]["matches"]' "$pki/out.json"
"$cli" verify "$pki/expired-chain.pem" --domain example.com --json "${ca[@]}" >"$pki/out.json" 2>/dev/null; code=$?
check "--json rejection exits 1" [ "$code" = 1 ]
check "--json rejection names the chain error" python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["accepted"] is False and d["pki"]["chain"]["status"]=="invalid" and d["pki"]["chain"]["depth"]==0 and "expired" in d["pki"]["chain"]["error"] and any(f["code"]=="pki_chain_invalid" and f["openssl_code"]==10 for f in d["attempts"][0]["findings"])' "$pki/out.json"

stdin_out=$("$cli" verify - --domain example.com "${ca[@]}" < "$pki/full-chain.pem" 2>&1); code=$?
if [ $code = 0 ]; then echo "ok - chain from standard input"; pass=$((pass + 1)); else echo "not ok - stdin: $stdin_out"; fail=$((fail + 1)); fi
stdin_out=$("$cli" verify - --domain example.com --no-pkix < "$pki/full.der" 2>&1); code=$?
if [ $code = 0 ]; then echo "ok - DER from standard input"; pass=$((pass + 1)); else echo "not ok - DER stdin: $stdin_out"; fail=$((fail + 1)); fi
{ openssl x509 -in "$pki/full.pem" -text; cat "$pki/inter.pem"; } > "$pki/with-text.pem"
expect "PEM with explanatory text before it" 0 "ACCEPTED" -- verify "$pki/with-text.pem" --domain example.com "${ca[@]}"
expect "expired: the chain line says what and where" 1 "chain: INVALID at depth 0: certificate has expired" -- verify "$pki/expired-chain.pem" --domain example.com "${ca[@]}"
expect "unusable identifier shown with its problem" 1 "contains a NUL byte" -- verify "$pki/nul-chain.pem" --domain example.com "${ca[@]}"
# An acceptance that carries a note: one good name beside a refused pattern.
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$pki/noted.key" -subj /CN=example.com \
  -out "$pki/noted.csr" 2>/dev/null
printf 'subjectAltName=DNS:example.com,DNS:f*.example.com\n' > "$pki/noted.ext"
openssl x509 -req -in "$pki/noted.csr" -CA "$pki/inter.pem" -CAkey "$pki/inter.key" -days 30 -extfile "$pki/noted.ext" \
  -out "$pki/noted.pem" 2>/dev/null
expect "acceptance shows the verdict's notes" 0 'note: ignored presented DNS-ID "f*.example.com"' -- verify "$pki/noted.pem" --domain example.com --no-pkix
expect "XmppAddr accepted" 0 "matched XmppAddr example.com" -- verify "$pki/xmppaddr-chain.pem" --domain example.com "${ca[@]}"
expect "xmpps-server accepts the xmpp-server SRV-ID (XEP-0368)" 0 "ACCEPTED" -- verify "$pki/srv-server-chain.pem" --domain example.com --service xmpps-server "${ca[@]}"
expect "no EKU accepted outbound" 0 "ACCEPTED" -- verify "$pki/no-eku-chain.pem" --domain example.com "${ca[@]}"
expect "code-signing EKU rejected inbound" 1 "purpose" -- verify "$pki/codesign-eku-chain.pem" --domain example.com --inbound "${ca[@]}"

# Colour only on a terminal, and never with NO_COLOR.
tty_run() {  # tty_run OUTFILE ARGS...: runs the CLI on a pseudo-terminal
  local out=$1; shift
  python3 - "$out" "$cli" "$@" <<'PY'
import os, pty, sys
out, argv = sys.argv[1], sys.argv[2:]
pid, fd = pty.fork()
if pid == 0:
    os.execv(argv[0], argv)
data = b""
while True:
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk:
        break
    data += chunk
os.waitpid(pid, 0)
open(out, "wb").write(data)
PY
}
"$cli" verify "$pki/full-chain.pem" --domain example.com "${ca[@]}" >"$pki/plain.txt" 2>&1
has_colour() { grep -q $'\e\[' "$1"; }
no_colour() { ! has_colour "$1" && grep -q ACCEPTED "$1"; }
check "no colour when stdout is a pipe" no_colour "$pki/plain.txt"
tty_run "$pki/tty.txt" verify "$pki/full-chain.pem" --domain example.com "${ca[@]}"
check "colour on a terminal" has_colour "$pki/tty.txt"
NO_COLOR=1 tty_run "$pki/tty-nc.txt" verify "$pki/full-chain.pem" --domain example.com "${ca[@]}"
check "no colour on a terminal with NO_COLOR" no_colour "$pki/tty-nc.txt"

head -c 300 /dev/urandom > "$pki/garbage.bin"
long=$(printf 'a%.0s' $(seq 1 300)).com
expect "missing file is bad input" 2 "cannot open" -- verify "$pki/nonexistent.pem" --domain example.com
expect "garbage file is bad input" 2 "cannot read a certificate" -- verify "$pki/garbage.bin" --domain example.com
expect "truncated PEM is bad input" 2 "cannot read a certificate" -- verify <(head -c 400 "$pki/full.pem") --domain example.com
expect "invalid domain is bad input" 2 "invalid domain" -- verify "$pki/full-chain.pem" --domain 'exa mple.com'
expect "300-octet domain is bad input" 2 "invalid domain" -- verify "$pki/full-chain.pem" --domain "$long"
label=$(printf 'a%.0s' $(seq 1 59))
long_labels="$label.$label.$label.$label.$label.com"  # every label legal, 303 octets in all
expect "300-octet domain of legal labels is bad input" 2 "invalid domain" -- verify "$pki/full-chain.pem" --domain "$long_labels"
expect "invalid --name is bad input" 2 "invalid --name" -- verify "$pki/full-chain.pem" --domain example.com --name 'bad name'
expect "unknown flag is reported as xmppdna: error:" 2 "xmppdna: error: Unknown option '--bogus'" -- verify "$pki/full-chain.pem" --domain example.com --bogus
expect "missing --domain is a usage error" 2 "--domain" -- verify "$pki/full-chain.pem"
expect "non-numeric --at is a usage error" 2 "--at" -- verify "$pki/full-chain.pem" --domain example.com --at soon
expect "no subcommand is a usage error" 2 "missing subcommand" --
expect "unreadable CA directory is bad input" 2 "ca-dir" -- verify "$pki/full-chain.pem" --domain example.com --ca-dir "$pki/nonexistent"
"$cli" verify "$pki/nonexistent.pem" --domain example.com >"$pki/err-out.txt" 2>"$pki/err-err.txt"
stderr_only() { [ ! -s "$1" ] && grep -q "^xmppdna: error: cannot open" "$2"; }
check "errors go to stderr only" stderr_only "$pki/err-out.txt" "$pki/err-err.txt"
expect "IP as domain is bad input" 2 "invalid domain" -- verify "$pki/full-chain.pem" --domain 192.0.2.1
expect "unknown service is a usage error" 2 "xmpp-server" -- verify "$pki/full-chain.pem" --domain example.com --service smtp
expect "unknown flag is a usage error" 2 "" -- verify "$pki/full-chain.pem" --domain example.com --bogus
expect "unreadable CA file is bad input" 2 "ca-file" -- verify "$pki/full-chain.pem" --domain example.com --ca-file "$pki/nonexistent.pem"
version_line() { [[ "$("$cli" --version 2>&1)" =~ ^xmppdna\ [0-9]+\.[0-9]+\.[0-9]+$ ]]; }
check "--version prints xmppdna X.Y.Z" version_line
expect "verify --help documents exit codes" 0 "Exit codes" -- verify --help
expect "names --help documents exit codes" 0 "Exit codes" -- names --help
expect "--help documents exit codes" 0 "2 bad input or usage" -- --help
expect "check --help documents exit codes" 0 "3 no endpoint reachable" -- check --help
expect "check without --server is a usage error" 2 "--server" -- check example.com
expect "check of an IP is bad input" 2 "invalid domain" -- check 192.0.2.1 --server 127.0.0.1@1
expect "check with dialback in --prooftypes is bad input" 2 "--prooftypes" -- check example.com --server 127.0.0.1@1 --prooftypes dane,dialback
expect "check with a plain-HTTP POSH base is bad input" 2 "https://HOST" -- check example.com --server 127.0.0.1@1 --posh-url-base http://x

# DNA verdicts without DNS: TLSA records given on the command line.
host1_spki=$(openssl x509 -in "$pki/host1.pem" -noout -pubkey | openssl pkey -pubin -outform DER | openssl dgst -sha256 -hex | sed 's/.*= //')
inter_cert=$(openssl x509 -in "$pki/inter.pem" -outform DER | openssl dgst -sha256 -hex | sed 's/.*= //')
expect "--tlsa DANE-EE accepts the key it names" 0 "ACCEPTED by DANE" -- \
  verify "$pki/host1-chain.pem" --domain example.com "${ca[@]}" --tlsa "3 1 1 $host1_spki"
expect "--tlsa of another key rejects" 1 "dane: REJECTED" -- \
  verify "$pki/full-chain.pem" --domain example.com "${ca[@]}" --tlsa "3 1 1 $host1_spki"
expect "--tlsa DANE-TA checks the name against --domain" 1 "names none of" -- \
  verify "$pki/host1-chain.pem" --domain example.com "${ca[@]}" --tlsa "2 0 1 $inter_cert" --prooftypes dane
expect "--tlsa DANE-TA with --name accepts" 0 "ACCEPTED by DANE" -- \
  verify "$pki/host1-chain.pem" --domain example.com --name host1.example.net "${ca[@]}" --tlsa "2 0 1 $inter_cert" --prooftypes dane
expect "--no-pkix does not combine with a DNA verdict" 2 "--no-pkix applies to the PKI verdict alone" -- \
  verify "$pki/expired-chain.pem" --domain example.com "${ca[@]}" --no-pkix --prooftypes pki
expect "malformed --tlsa is bad input" 2 "invalid --tlsa" -- verify "$pki/host1-chain.pem" --domain example.com --tlsa "3 1 1 xyz"
expect "unknown prooftype is bad input" 2 "--prooftypes" -- verify "$pki/host1-chain.pem" --domain example.com --prooftypes dane,x509
expect "repeated prooftype is bad input" 2 "each at most once" -- verify "$pki/host1-chain.pem" --domain example.com --prooftypes pki,pki
expect "plain-HTTP POSH base is bad input" 2 "https://HOST" -- verify "$pki/host1-chain.pem" --domain example.com --posh-url-base http://127.0.0.1:8080
expect "malformed --endpoint is bad input" 2 "HOST:PORT" -- verify "$pki/host1-chain.pem" --domain example.com --endpoint host1.example.net
expect "POSH with nowhere to fetch from is not a proof" 1 "posh: not applicable" -- verify "$pki/host1-chain.pem" --domain example.com "${ca[@]}" --prooftypes posh

# Delegation on the loopback DNS world, on ports of its own.
# host1's key is published at _5269._tcp.host1 (beside a placeholder), so
# the hosting provider passes DANE for example.com.
world=$(mktemp -d)
export DNSWORLD_NSD_PORT=auto
host1_key=$(openssl x509 -in "$pki/host1.pem" -noout -pubkey | openssl pkey -pubin -outform DER | openssl dgst -sha256 -hex | sed 's/.*= //')
echo "_5269._tcp.host1 TLSA 3 1 1 $host1_key" > "$world.tlsa"
export DNSWORLD_TLSA_FILE="$world.tlsa"
# A POSH server on loopback for insecure.example, stopped by PID.
web=$(mktemp -d)
mkdir -p "$web/insecure.example/.well-known/posh"
printf '{"fingerprints":[{"sha-256":"%s"}],"expires":60}' \
  "$(openssl x509 -in "$pki/host1.pem" -outform DER | openssl dgst -sha256 -binary | openssl base64 -A)" \
  > "$web/insecure.example/.well-known/posh/xmpp-server.json"
read -r web_pid web_port < <("$here/Tests/POSHWorld/up.sh" "$web" \
  --cert "insecure.example=$pki/web-insecure.pem,$pki/web-insecure.key,$pki/inter.pem") || web_pid=
trap '"$here/Tests/DNSWorld/down.sh" "$world"; [ -n "$web_pid" ] && kill "$web_pid"; rm -rf "$pki" "$world" "$world.tlsa" "$world.err" "$web"' EXIT
# Issue #17: a POSH server's chunk size of -2 killed the command with SIGILL.
if [ -n "$web_pid" ]; then
  printf 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-2\r\n{}\r\n0\r\n\r\n' \
    > "$web/insecure.example/.well-known/posh/xmpp-client.json.raw"
  expect "verify: a hostile chunk size from the POSH server is a failure that says why, not a crash" 1 "malformed chunk size" -- \
    verify "$pki/host1-chain.pem" --domain insecure.example --service xmpp-client --ca-file "$pki/root.pem" --prooftypes posh \
    --posh-url-base "https://127.0.0.1:$web_port"
fi
if "$here/Tests/DNSWorld/up.sh" "$world" >/dev/null 2>"$world.err"; then
  DNSWORLD_UNBOUND_PORT=$(sed -n 's/^UNBOUND_PORT=//p' "$world/env")
  dns=(--server "127.0.0.1@$DNSWORLD_UNBOUND_PORT" --anchor "$world/root-ds.key")
  expect "names: secure delegation exits 0" 0 "host1.example.net  [secure]" -- names example.com "${dns[@]}"
  expect "names: insecure exits 3" 3 "not signed" -- names insecure.example "${dns[@]}"
  expect "names: bogus exits 4 with the reason" 4 "Signature Expired" -- names bogus.example "${dns[@]}"
  expect "names: silent server exits 5" 5 "indeterminate" -- names example.com --server 127.0.0.1@1 --timeout 0.2
  expect "names: no server is a usage error" 2 "--server" -- names example.com
  expect "names: trust-ad on loopback" 0 "secure" -- names example.com --server "127.0.0.1@$DNSWORLD_UNBOUND_PORT" --trust-ad
  expect "names: trust-ad reads the resolver's DNSSEC extended error as bogus" 4 \
    "DNSKEY Missing: the validating resolver answered SERVFAIL with EDE 9 saying: validation failure" -- \
    names nokey.example --server "127.0.0.1@$DNSWORLD_UNBOUND_PORT" --trust-ad
  expect "names: trust-ad refuses a remote resolver" 2 "loopback or one marked trusted" -- names example.com --server 192.0.2.53 --trust-ad
  expect "verify --resolve accepts the hosting provider by DANE" 0 "ACCEPTED by DANE" -- \
    verify "$pki/host1-chain.pem" --domain example.com --ca-file "$pki/root.pem" --resolve "${dns[@]}"
  expect "verify --resolve --endpoint takes that target's TLSA" 0 "_5269._tcp.host1.example.net TLSA [secure]" -- \
    verify "$pki/host1-chain.pem" --domain example.com --ca-file "$pki/root.pem" --resolve "${dns[@]}" --endpoint host1.example.net:5269
  expect "verify: a secure TLSA mismatch rejects though PKI would accept" 1 "dane: REJECTED" -- \
    verify "$pki/host1-chain.pem" --domain example.com --ca-file "$pki/root.pem" --resolve "${dns[@]}" --endpoint host2.example.net:5269
  expect "verify --prooftypes pki uses the secure delegation" 0 "ACCEPTED by PKI" -- \
    verify "$pki/host1-chain.pem" --domain example.com --ca-file "$pki/root.pem" --resolve "${dns[@]}" --prooftypes pki
  expect "verify --resolve refuses an insecure delegation" 1 "delegation via SRV is insecure" -- \
    verify "$pki/host1-chain.pem" --domain insecure.example --ca-file "$pki/root.pem" --resolve "${dns[@]}" --prooftypes dane,pki
  expect "verify: bogus TLSA path rejects with the reason" 1 "Signature Expired" -- \
    verify "$pki/host1-chain.pem" --domain host.bogus.example --direction inbound --ca-file "$pki/root.pem" --resolve "${dns[@]}"
  expect "verify: dialback over unsigned DNS is weak" 0 "dialback strength: weak" -- \
    verify "$pki/host1-chain.pem" --domain insecure.example --ca-file "$pki/root.pem" --resolve "${dns[@]}" --prooftypes dialback --dialback verified
  if [ -n "$web_pid" ]; then
    expect "verify: unsigned virtual host accepted by POSH" 0 "ACCEPTED by POSH" -- \
      verify "$pki/host1-chain.pem" --domain insecure.example --ca-file "$pki/root.pem" --resolve "${dns[@]}" \
      --posh-url-base "https://127.0.0.1:$web_port"
    expect "verify: POSH from a server without the domain's certificate fails" 1 "does not name example.com" -- \
      verify "$pki/host1-chain.pem" --domain example.com --ca-file "$pki/root.pem" --prooftypes posh \
      --posh-url-base "https://127.0.0.1:$web_port"
    dna_json=$("$cli" verify "$pki/host1-chain.pem" --domain insecure.example --ca-file "$pki/root.pem" --resolve "${dns[@]}" \
      --posh-url-base "https://127.0.0.1:$web_port" --json 2>/dev/null)
    if python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["accepted"] and d["prooftype"]=="posh" and [a["outcome"] for a in d["attempts"]][:3]==["not_applicable","rejected","accepted"] and any(e["what"].startswith("POSH https://insecure.example/") for e in d["evidence"])' "$dna_json"; then
      echo "ok - verify --json gives the DNA verdict"; pass=$((pass + 1))
    else
      echo "not ok - verify --json DNA verdict: $dna_json"; fail=$((fail + 1))
    fi
  else
    echo "not ok - the loopback HTTPS server did not start"; fail=$((fail + 1))
  fi
  expect "check: nothing listens on the world's hosts, so no endpoint is reachable" 3 "no endpoint reachable" -- \
    check example.com "${dns[@]}" --timeout 0.5
  expect "check: a bogus domain is refused with the reason" 3 "Signature Expired" -- check bogus.example "${dns[@]}" --timeout 0.5
  check_json=$("$cli" check example.com "${dns[@]}" --timeout 0.5 --json 2>/dev/null)
  if python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["exit_code"]==3 and d["summary"]["unreachable"]==len(d["endpoints"])>0 and all(e["error"]["kind"] in ("refused","timeout") for e in d["endpoints"]) and d["dns"]["names"]["status"]=="secure"' "$check_json"; then
    echo "ok - check --json reports every unreachable endpoint with the error's kind"; pass=$((pass + 1))
  else
    echo "not ok - check --json: ${check_json:0:400}"; fail=$((fail + 1))
  fi
  names_json=$("$cli" names example.com "${dns[@]}" --json 2>/dev/null)
  if python3 -c 'import json,sys; d=json.loads(sys.argv[1]); n=d["acceptable_names"]; assert d["status"]=="secure" and any(e["name"]=="host1.example.net" and e["type"]=="dns" and e["status"]=="secure" and e["source"] for e in n) and d["candidates"][0]["port"]' "$names_json"; then
    echo "ok - names --json lists acceptable_names and candidates"; pass=$((pass + 1))
  else
    echo "not ok - names --json: $names_json"; fail=$((fail + 1))
  fi
else
  echo "not ok - the loopback DNS world did not start:"; cat "$world.err"; fail=$((fail + 1))
fi

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
