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

json=$("$cli" verify "$pki/full-chain.pem" --domain example.com --json "${ca[@]}" 2>/dev/null)
if python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["accepted"] is True and d["chain"]["status"]=="valid" and d["matches"]' "$json"; then
  echo "ok - --json prints the verdict document"; pass=$((pass + 1))
else
  echo "not ok - --json output: $json"; fail=$((fail + 1))
fi
stdin_out=$("$cli" verify - --domain example.com "${ca[@]}" < "$pki/full-chain.pem" 2>&1); code=$?
if [ $code = 0 ]; then echo "ok - chain from standard input"; pass=$((pass + 1)); else echo "not ok - stdin: $stdin_out"; fail=$((fail + 1)); fi

head -c 300 /dev/urandom > "$pki/garbage.bin"
long=$(printf 'a%.0s' $(seq 1 300)).com
expect "missing file is bad input" 2 "cannot open" -- verify "$pki/nonexistent.pem" --domain example.com
expect "garbage file is bad input" 2 "cannot read a certificate" -- verify "$pki/garbage.bin" --domain example.com
expect "truncated PEM is bad input" 2 "cannot read a certificate" -- verify <(head -c 400 "$pki/full.pem") --domain example.com
expect "invalid domain is bad input" 2 "invalid domain" -- verify "$pki/full-chain.pem" --domain 'exa mple.com'
expect "300-octet domain is bad input" 2 "invalid domain" -- verify "$pki/full-chain.pem" --domain "$long"
expect "IP as domain is bad input" 2 "invalid domain" -- verify "$pki/full-chain.pem" --domain 192.0.2.1
expect "unknown service is a usage error" 2 "xmpp-server" -- verify "$pki/full-chain.pem" --domain example.com --service smtp
expect "unknown flag is a usage error" 2 "" -- verify "$pki/full-chain.pem" --domain example.com --bogus
expect "unreadable CA file is bad input" 2 "ca-file" -- verify "$pki/full-chain.pem" --domain example.com --ca-file "$pki/nonexistent.pem"
expect "--version" 0 "xmppdna 0." -- --version
expect "verify --help documents exit codes" 0 "Exit codes" -- verify --help

# Delegation on the loopback DNS world, on ports of its own.
world=$(mktemp -d)
export DNSWORLD_NSD_PORT=$((40000 + $$ % 10000 * 2)) DNSWORLD_UNBOUND_PORT=$((40001 + $$ % 10000 * 2))
trap '"$here/Tests/DNSWorld/down.sh" "$world"; rm -rf "$pki" "$world"' EXIT
if "$here/Tests/DNSWorld/up.sh" "$world" >/dev/null 2>&1; then
  dns=(--server "127.0.0.1@$DNSWORLD_UNBOUND_PORT" --anchor "$world/root-ds.key")
  expect "names: secure delegation exits 0" 0 "host1.example.net  [secure]" -- names example.com "${dns[@]}"
  expect "names: insecure exits 3" 3 "not signed" -- names insecure.example "${dns[@]}"
  expect "names: bogus exits 4 with the reason" 4 "Signature Expired" -- names bogus.example "${dns[@]}"
  expect "names: silent server exits 5" 5 "indeterminate" -- names example.com --server 127.0.0.1@1 --timeout 0.2
  expect "names: no server is a usage error" 2 "--server" -- names example.com
  expect "names: trust-ad on loopback" 0 "secure" -- names example.com --server "127.0.0.1@$DNSWORLD_UNBOUND_PORT" --trust-ad
  expect "names: trust-ad refuses a remote resolver" 2 "loopback or one marked trusted" -- names example.com --server 192.0.2.53 --trust-ad
  expect "verify --resolve accepts through the secure delegation" 0 "ACCEPTED" -- \
    verify "$pki/host1-chain.pem" --domain example.com --ca-file "$pki/root.pem" --resolve "${dns[@]}"
  expect "verify --resolve refuses an insecure delegation" 1 "delegation via SRV is insecure" -- \
    verify "$pki/host1-chain.pem" --domain insecure.example --ca-file "$pki/root.pem" --resolve "${dns[@]}"
  names_json=$("$cli" names example.com "${dns[@]}" --json 2>/dev/null)
  if python3 -c 'import json,sys; d=json.loads(sys.argv[1]); n=d["acceptable_names"]; assert d["status"]=="secure" and any(e["name"]=="host1.example.net" and e["type"]=="dns" and e["status"]=="secure" and e["source"] for e in n) and d["candidates"][0]["port"]' "$names_json"; then
    echo "ok - names --json lists acceptable_names and candidates"; pass=$((pass + 1))
  else
    echo "not ok - names --json: $names_json"; fail=$((fail + 1))
  fi
else
  echo "not ok - the loopback DNS world did not start"; fail=$((fail + 1))
fi

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
