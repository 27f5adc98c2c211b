# The loopback federation world, sourced by Tests/Prosody/run.sh and
# scripts/demo.sh inside a private network namespace: the signed DNS world,
# a POSH web server, and Prosody servers. Every process is stopped by PID.
#
#   Server A (127.0.0.1, 127.0.0.2, ::1; STARTTLS on 5269, direct TLS on 5270)
#   hosts example.com, insecure.example, unsigned.example.net and
#   bogus.example with only host1.example.net's certificate: the hosting case.
#   host1 and host2 publish host1's key in TLSA (DANE), host2 also the key
#   of a self-signed certificate (a DANE-only host); insecure.example
#   publishes host1's fingerprint over HTTPS (POSH) at 127.0.3.3:443.
#   Server B (127.0.2.2) hosts b.example.net with its own certificate.
# Prosody resolves through the world with libunbound (never /etc/resolv.conf).

dna_repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
dna_work=$(mktemp -d)
dna_pids=()
dna_pki=$dna_work/pki
dna_resolver=127.0.0.1@5301
dna_nsd_port=${DNA_NSD_PORT:-5300}
dna_authoritative=127.0.0.1@$dna_nsd_port  # NSD: answers without validating

dna_stop_all() {
  for pid in "${dna_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${dna_pids[@]}"; do for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done; done
  "$dna_repo/Tests/DNSWorld/down.sh" "$dna_work/world" >/dev/null 2>&1 || true
  [ -n "${DNA_KEEP_WORK:-}" ] && echo "kept $dna_work" >&2 || rm -rf "$dna_work"
}

# dna_world_up PREFIX: PKI, DNS world, POSH server. PREFIX holds libxmppdna,
# its Lua binding and mod_s2s_auth_dna as `make install` put them there.
dna_world_up() {
  local key selfsigned
  dna_prefix=$1
  ip link set lo up
  "$dna_repo/Tests/Fixtures/make-test-pki.sh" "$dna_pki" >/dev/null
  key=$(openssl x509 -in "$dna_pki/host1.pem" -noout -pubkey | openssl pkey -pubin -outform DER | openssl dgst -sha256 -hex | sed 's/.*= //')
  selfsigned=$(openssl x509 -in "$dna_pki/self-signed.pem" -noout -pubkey | openssl pkey -pubin -outform DER | openssl dgst -sha256 -hex | sed 's/.*= //')
  printf '_5269._tcp.host1 TLSA 3 1 1 %s\n_5269._tcp.host2 TLSA 3 1 1 %s\n_5269._tcp.host2 TLSA 3 1 1 %s\n_5270._tcp.host1 TLSA 3 1 1 %s\n' \
    "$key" "$key" "$selfsigned" "$key" > "$dna_work/tlsa"
  DNSWORLD_NSD_PORT=$dna_nsd_port DNSWORLD_UNBOUND_PORT=5301 DNSWORLD_TLSA_FILE="$dna_work/tlsa" \
    "$dna_repo/Tests/DNSWorld/up.sh" "$dna_work/world" >/dev/null
  mkdir -p "$dna_work/web/insecure.example/.well-known/posh"
  printf '{"fingerprints":[{"sha-256":"%s"}],"expires":3600}' \
    "$(openssl x509 -in "$dna_pki/host1.pem" -outform DER | openssl dgst -sha256 -binary | openssl base64 -A)" \
    > "$dna_work/web/insecure.example/.well-known/posh/xmpp-server.json"
  python3 "$dna_repo/Tests/POSHWorld/https_server.py" --address 127.0.3.3 --port 443 --root "$dna_work/web" \
    --pidfile "$dna_work/web.pid" \
    --cert "insecure.example=$dna_pki/web-insecure.pem,$dna_pki/web-insecure.key,$dna_pki/inter.pem" >/dev/null 2>&1 &
  dna_pids+=($!)
  # Prosody must find the binding through installer_plugin_path alone.
  unset LUA_PATH LUA_CPATH LUA_PATH_5_4 LUA_CPATH_5_4
}

# dna_prosody_config NAME INTERFACES SECURE_AUTH EXTRA_MODULES DOMAIN=LEAF...
# ($dna_extra_config, when set, adds global options.)
dna_prosody_config() {
  local name=$1 interfaces=$2 secure=$3 extra=$4 host leaf domain; shift 4
  mkdir -p "$dna_work/$name/data" "$dna_work/$name/certs"
  {
    cat <<EOF
run_as_root = true -- test only, inside a private network namespace
pidfile = "$dna_work/$name/prosody.pid"
data_path = "$dna_work/$name/data"
certificates = "$dna_work/$name/certs"
interfaces = { $interfaces }
c2s_ports = { 5222 }
s2s_ports = { 5269 }
s2s_direct_tls_ports = { 5270 }
http_ports = {}
https_ports = {}
daemonize = false
log = { debug = "$dna_work/$name/prosody.log" }
installer_plugin_path = "$dna_prefix"
modules_enabled = { "roster", "saslauth", "tls", "dialback", "disco", "ping" $extra }
authentication = "internal_plain"
c2s_require_encryption = false
allow_unencrypted_plain_auth = true
s2s_require_encryption = true
s2s_secure_auth = $secure
unbound = { resolvconf = false; hoststxt = false; forward = "$dna_resolver"; trustfile = "$dna_work/world/root-ds.key" }
dna_resolvers = { "$dna_resolver" }
dna_trust_anchor_file = "$dna_work/world/root-ds.key"
${dna_extra_config:-}
EOF
    for host in "$@"; do
      leaf=${host#*=} domain=${host%%=*}
      printf 'VirtualHost "%s"\n  ssl = { certificate = "%s/%s-chain.pem"; key = "%s/%s.key"; cafile = "%s/root.pem" }\n' \
        "$domain" "$dna_pki" "$leaf" "$dna_pki" "$leaf" "$dna_pki"
      # Direct TLS (s2s_direct_tls_ports) picks certificates by SNI from this directory.
      cp "$dna_pki/$leaf-chain.pem" "$dna_work/$name/certs/$domain.crt"
      cp "$dna_pki/$leaf.key" "$dna_work/$name/certs/$domain.key"
    done
  } > "$dna_work/$name.cfg.lua"
}

# dna_prosody_start NAME ADDRESS: starts a configured server, waits for c2s.
dna_prosody_start() {
  prosody --config "$dna_work/$1.cfg.lua" >"$dna_work/$1/stdout.log" 2>&1 &
  dna_pids+=($!)
  for _ in $(seq 100); do
    python3 -c "import socket; socket.create_connection(('$2', 5222), timeout=0.2)" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "prosody $1 did not start:"; tail -20 "$dna_work/$1/prosody.log" "$dna_work/$1/stdout.log"
  return 1
}

# dna_stop_last: stops the server (Prosody or ejabberd) started last.
dna_stop_last() {
  local pid=${dna_pids[-1]}
  kill "$pid"
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  unset 'dna_pids[-1]'
}

# The hosting server A's configuration: a (host1's certificate everywhere),
# or a-pki (example.com and insecure.example with CA certificates of their own).
dna_config_a() {
  dna_prosody_config a '"127.0.0.1", "127.0.0.2", "::1"' false '' \
    example.com=host1 insecure.example=host1 unsigned.example.net=host1 bogus.example=host1
  dna_prosody_config a-pki '"127.0.0.1", "127.0.0.2", "::1"' false '' \
    example.com=full insecure.example=web-insecure unsigned.example.net=host1 bogus.example=host1
}
