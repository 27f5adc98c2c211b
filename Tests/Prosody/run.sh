#!/usr/bin/env bash
# The proof of #5: two real Prosody 0.12 servers on loopback federate because
# of mod_s2s_auth_dna, and do not without it.
#
#   Server A (127.0.0.1, ::1) hosts example.com, insecure.example and
#   bogus.example with only host1.example.net's certificate: the hosting case.
#   Server B (127.0.2.2) hosts b.example.net with its own certificate and
#   s2s_secure_auth = true. Both resolve through the signed loopback world
#   (libunbound forwarding to it, validating with the world's root anchor);
#   neither ever reads /etc/resolv.conf.
#
# Everything runs in a private network namespace (unshare -n), so ports never
# clash with the machine's; every process is stopped by PID.
#   run.sh PREFIX        PREFIX holds an installed libxmppdna
set -euo pipefail
if [ "${1:-}" != --inside ]; then
  [ "$(id -u)" = 0 ] || { echo "Tests/Prosody/run.sh: needs root for unshare -n" >&2; exit 1; }
  start=$(date +%s.%N)
  unshare -n "$0" --inside "$@"
  printf 'prosody federation test: %.1f s in all\n' "$(echo "$(date +%s.%N) - $start" | bc)"
  exit 0
fi
shift
prefix=$1
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
pids=()
stop_all() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done; done
  "$repo/Tests/DNSWorld/down.sh" "$work/world" >/dev/null 2>&1 || true
}
trap 'stop_all; rm -rf "$work"' EXIT
ip link set lo up

# The test PKI, the world with host1's key in TLSA, and the Lua 5.4 module.
"$repo/Tests/Fixtures/make-test-pki.sh" "$work/pki" >/dev/null
pki=$work/pki
key=$(openssl x509 -in "$pki/host1.pem" -noout -pubkey | openssl pkey -pubin -outform DER | openssl dgst -sha256 -hex | sed 's/.*= //')
echo "_5269._tcp.host1 TLSA 3 1 1 $key" > "$work/tlsa"
DNSWORLD_NSD_PORT=5300 DNSWORLD_UNBOUND_PORT=5301 DNSWORLD_TLSA_FILE="$work/tlsa" \
  "$repo/Tests/DNSWorld/up.sh" "$work/world" >/dev/null
mkdir -p "$work/lua/xmppdna"
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
cc -std=c11 -O2 -shared -fPIC $(pkg-config --cflags lua5.4 xmppdna) -o "$work/lua/xmppdna/core.so" \
  "$repo/bindings/lua/xmppdna/core.c" $(pkg-config --libs xmppdna) -Wl,-rpath,"$prefix/lib"
export LUA_PATH="$repo/bindings/lua/?.lua;$repo/bindings/lua/?/init.lua;;" LUA_CPATH="$work/lua/?.so;;"

# config NAME INTERFACES SECURE_AUTH EXTRA_MODULES HOSTS...
config() {
  local name=$1 interfaces=$2 secure=$3 extra=$4; shift 4
  mkdir -p "$work/$name/data" "$work/$name/certs"
  {
    cat <<EOF
run_as_root = true -- test only, inside a private network namespace
pidfile = "$work/$name/prosody.pid"
data_path = "$work/$name/data"
certificates = "$work/$name/certs"
interfaces = { $interfaces }
c2s_ports = { 5222 }
s2s_ports = { 5269 }
http_ports = {}
https_ports = {}
daemonize = false
log = { debug = "$work/$name/prosody.log" }
plugin_paths = { "$repo/bindings/prosody" }
modules_enabled = { "roster", "saslauth", "tls", "dialback", "disco", "ping" $extra }
authentication = "internal_plain"
c2s_require_encryption = false
allow_unencrypted_plain_auth = true
s2s_require_encryption = true
s2s_secure_auth = $secure
unbound = { resolvconf = false; hoststxt = false; forward = "127.0.0.1@5301"; trustfile = "$work/world/root-ds.key" }
dna_resolvers = { "127.0.0.1@5301" }
dna_trust_anchor_file = "$work/world/root-ds.key"
dna_ca_file = "$pki/root.pem"
EOF
    for host in "$@"; do
      local leaf=${host#*=} domain=${host%%=*}
      printf 'VirtualHost "%s"\n  ssl = { certificate = "%s/%s-chain.pem"; key = "%s/%s.key"; cafile = "%s/root.pem" }\n' \
        "$domain" "$pki" "$leaf" "$pki" "$leaf" "$pki"
    done
  } > "$work/$name.cfg.lua"
}

config a '"127.0.0.1", "::1"' false '' example.com=host1 insecure.example=host1 bogus.example=host1
config b-dna '"127.0.2.2"' true ', "s2s_auth_dna"' b.example.net=xmpp-b
config b-plain '"127.0.2.2"' true '' b.example.net=xmpp-b

for user in example.com insecure.example bogus.example; do
  prosodyctl --config "$work/a.cfg.lua" register alice "$user" secret >/dev/null
done
prosodyctl --config "$work/b-dna.cfg.lua" register bob b.example.net secret >/dev/null
cp -r "$work/b-dna/data/." "$work/b-plain/data/"

start() { # NAME ADDRESS
  prosody --config "$work/$1.cfg.lua" >"$work/$1/stdout.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do
    python3 -c "import socket,sys; socket.create_connection(('$2', 5222), timeout=0.2)" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "prosody $1 did not start:"; tail -20 "$work/$1/prosody.log" "$work/$1/stdout.log"; exit 1
}
stop() { # NAME: the last started server
  local pid=${pids[-1]}
  kill "$pid"; for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  unset 'pids[-1]'
}

pass=0 fail=0
client=$here/xmpp_client.py
# deliver NAME DOMAIN WANT(arrives|fails) LOG-NAME NEEDLE: bob@b.example.net writes to alice@DOMAIN.
deliver() {
  local name=$1 domain=$2 want=$3 log=$4 needle=$5 body="hello-$RANDOM-$2"
  local t0 got waiting=8
  [ "$want" = fails ] && waiting=4
  python3 "$client" receive 127.0.0.1 "alice@$domain" secret $waiting >"$work/received" 2>&1 &
  local receiver=$!
  for _ in $(seq 50); do grep -q ready "$work/received" 2>/dev/null && break; sleep 0.1; done
  t0=$(date +%s%N)
  python3 "$client" send 127.0.2.2 bob@b.example.net secret "alice@$domain" "$body" 3 >"$work/sent" 2>&1 || true
  if wait "$receiver" && grep -q "$body" "$work/received"; then got=arrives; else got=fails; fi
  if [ "$got" = "$want" ] && { [ -z "$needle" ] || grep -qF -- "$needle" "$work/$log/prosody.log"; }; then
    echo "ok - $name: message $got$( [ "$got" = arrives ] && printf ' (%d ms from login to delivery over a new s2s link)' \
      $(( ($(sed -n 's/.* at \([0-9]*\)$/\1/p' "$work/received") - t0) / 1000000 )) )"
    pass=$((pass + 1))
  else
    echo "not ok - $name: message $got, wanted $want${needle:+, log should show: $needle}"
    sed 's/^/    /' "$work/sent" | head -5
    grep -E "xmppdna|Forbidding|certificate" "$work/$log/prosody.log" | tail -8 | sed 's/^/    log: /'
    fail=$((fail + 1))
  fi
}

start a 127.0.0.1
start b-dna 127.0.2.2
deliver "with mod_s2s_auth_dna: example.com's secure delegation to host1 federates" example.com arrives b-dna \
  "xmppdna: outbound example.com proven by dane"
deliver "with the module: insecure.example's unsigned delegation is refused" insecure.example fails b-dna \
  "xmppdna: delegation of insecure.example is insecure"
deliver "with the module: bogus.example's expired signatures are refused with the reason" bogus.example fails b-dna \
  "xmppdna: delegation of bogus.example is bogus (Signature Expired"
echo "  the module's diagnosis as server B logged it:"
grep -E "xmppdna: (delegation|outbound|inbound)" "$work/b-dna/prosody.log" | cut -f 2- | cut -c 1-220 | sed 's/^/    /'
stop
start b-plain 127.0.2.2
deliver "without the module: the same message to example.com fails" example.com fails b-plain \
  "because its certificate is not valid for this name"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
