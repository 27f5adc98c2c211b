#!/usr/bin/env bash
# Builds the signed loopback DNS world from nothing and starts it:
# NSD serves every zone, Unbound validates with the world's own root anchor.
#   up.sh STATE_DIR     (ports: DNSWORLD_NSD_PORT, DNSWORLD_UNBOUND_PORT)
# Writes STATE_DIR/env with the ports, PIDs and anchor files. down.sh stops
# exactly the processes started here. Zones are signed anew at every start,
# so signatures never go stale; see README.md for the zone table.
set -euo pipefail
state=${1:?usage: up.sh STATE_DIR}
nsd_port=${DNSWORLD_NSD_PORT:-53530}
unbound_port=${DNSWORLD_UNBOUND_PORT:-53531}
# A token only this world serves: readiness means *our* servers answer, not
# a leftover world that holds the same ports.
nonce=$(od -An -N8 -tx8 /dev/urandom | tr -d ' \n')
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"
mkdir -p "$state"
state=$(cd "$state" && pwd)
if [ -f "$state/env" ]; then "$here/down.sh" "$state" || true; fi
rm -rf "$state/zones" "$state/keys"
mkdir -p "$state/zones" "$state/keys"
cd "$state/keys"

now=$(date -u +%s)
day=86400
fmt() { date -u -d "@$1" +%Y%m%d%H%M%S; }
# ldns 1.8.3 refuses expirations past 2038-01-19; 30 days is plenty.
valid_from=$(fmt $((now - day)))
valid_to=$(fmt $((now + 30 * day)))

keygen() { # zone -> "KSK ZSK" base names
  local ksk zsk
  ksk=$(ldns-keygen -a ECDSAP256SHA256 -k "$1")
  zsk=$(ldns-keygen -a ECDSAP256SHA256 "$1")
  echo "$ksk $zsk" > "keys.$1"
}
dnskeys() { for k in $(cat "keys.$1"); do cat "$k.key"; done; }
ds() { ldns-key2ds -n -2 "$(cut -d' ' -f1 "keys.$1").key"; }
# sign ZONE [ldns-signzone options...]
sign() {
  local zone=$1; shift
  local file="$state/zones/$zone.zone"
  [ "$zone" = . ] && file="$state/zones/root.zone"
  ldns-signzone -o "$zone" -i "$valid_from" -e "$valid_to" "$@" -f "$file.signed" "$file" \
    $(for k in $(cat "keys.$zone"); do echo "$k"; done) >/dev/null
}
soa() { # origin
  printf '$ORIGIN %s\n$TTL 300\n@ IN SOA ns.example.net. hostmaster.example.net. 1 3600 600 86400 300\n@ IN NS ns.example.net.\n' "$1"
}

for zone in . com net example example.com example.net bogus.example notyet.example wrongds.example nokey.example iter.example \
            optout s1.optout s2.optout s3.optout revoked.example nozonebit.example sha1ds.example; do keygen "$zone"; done
# The key that wrongds.example's parent vouches for, but the zone never uses.
ldns-keygen -a ECDSAP256SHA256 -k wrongds.example > keys.wrongds-decoy
# The key whose SHA-256 DS stands beside sha1ds.example's real SHA-1 DS.
ldns-keygen -a ECDSAP256SHA256 -k sha1ds.example > keys.sha1ds-decoy
# KSKs that must not count: one revoked (RFC 5011 flag 128), one without
# the zone-key flag (RFC 4034 section 2.1.1). The parent's DS matches each.
ksk_flags() { sed -i -E "s/(IN[[:space:]]+DNSKEY[[:space:]]+)257 /\1$2 /" "$(cut -d' ' -f1 "keys.$1").key"; }
ksk_flags revoked.example 385
ksk_flags nozonebit.example 1

z="$state/zones"
{ soa example.com.; dnskeys example.com; cat <<'EOF'
_xmpp-server._tcp     SRV 5 0 5269 host1.example.net.
_xmpp-server._tcp     SRV 10 0 5269 host2.example.net.
nonce                 TXT "NONCE"
_xmpp-client._tcp     SRV 5 0 5222 host1.example.net.
_xmpps-server._tcp    SRV 5 0 5270 host1.example.net.
_xmpps-client._tcp    SRV 5 0 5223 host1.example.net.
_xmpp-server._tcp.alias SRV 0 0 5269 xmpp.alias.example.com.
xmpp.alias            CNAME host1.example.net.
_xmpp-server._tcp.nosrv SRV 0 0 0 .
_xmpp-client._tcp.nosrv SRV 0 0 0 .
nosrv2                A 127.0.0.1
_xmpp-server._tcp.toinsecure SRV 0 0 5269 xmpp.toinsecure.example.com.
xmpp.toinsecure       CNAME host.insecure.example.
_xmpp-server._tcp.tobogus SRV 0 0 5269 xmpp.tobogus.example.com.
xmpp.tobogus          CNAME host.bogus.example.
_xmpp-server._tcp.tampered SRV 0 0 5269 host1.example.net.
*.wild                A 127.0.0.9
_xmpp-server._tcp.wildsrv SRV 0 0 5269 xmpp.wild.example.com.
_xmpp-server._tcp.loop SRV 0 0 5269 a.loop.example.com.
a.loop                CNAME b.loop.example.com.
b.loop                CNAME a.loop.example.com.
_xmpp-server._tcp.badlen SRV 0 0 5269 badlen.example.com.
badlen                A 127.0.0.7
_5269._tcp.badlen     TLSA 3 1 1 00112233445566778899aabbccddeeff
_xmpp-server._tcp.wc  SRV 0 0 5269 host1.example.net.
_xmpps-server._tcp.wc SRV 0 0 5270 host1.example.net.
*._tcp.wc             SRV 0 0 5269 host2.example.net.
_xmpp-server._tcp.badlabels SRV 0 0 5269 host2.example.net.
EOF
# One SRV RRset with 1,000 targets (about 40 KB: TCP only).
for i in $(seq 0 999); do printf '_xmpp-server._tcp.many SRV 0 0 5269 t%d.many.example.com.\n' "$i"; done
[ -n "${DNSWORLD_EXAMPLE_COM_FILE:-}" ] && cat "$DNSWORLD_EXAMPLE_COM_FILE"
} > "$z/example.com.zone"
sed -i "s/NONCE/$nonce/" "$z/example.com.zone"
sign example.com
# Alter signed rdata: the RRSIG no longer matches (a man in the middle).
sed -i 's/\(_xmpp-server\._tcp\.tampered\.example\.com\.[[:space:]].*SRV[[:space:]]*0 0 5269 \)host1\.example\.net\./\1evil.example.net./' \
  "$z/example.com.zone.signed"
grep -q 'evil.example.net' "$z/example.com.zone.signed" || { echo "up.sh: could not tamper with the SRV" >&2; exit 1; }
# A genuine signature whose labels field (6) exceeds its owner's 5 labels.
"$here/resign_labels.py" "$z/example.com.zone.signed" example.com. "$state/keys/$(cut -d' ' -f2 keys.example.com)" \
  _xmpp-server._tcp.badlabels.example.com. SRV 6

{ soa example.net.; dnskeys example.net; cat <<'EOF'
ns                    A 127.0.0.1
ns                    AAAA ::1
host1                 A 127.0.0.1
host1                 AAAA ::1
host2                 A 127.0.0.2
host2                 AAAA ::1
_5269._tcp.host1      TLSA 3 1 1 0000000000000000000000000000000000000000000000000000000000000001
_5269._tcp.host2      TLSA 3 1 1 0000000000000000000000000000000000000000000000000000000000000002
_5270._tcp.host1      TLSA 3 1 1 0000000000000000000000000000000000000000000000000000000000000001
unsigned              NS ns.example.net.
_5272._tcp.host1      CNAME tlsa.host1.example.net.
_xmpp-server._tcp.b   SRV 0 0 5269 b.example.net.
b                     A 127.0.2.2
_xmpp-server._tcp.wc  SRV 0 0 5269 host1.example.net.
_xmpps-server._tcp.wc SRV 0 0 5270 host1.example.net.
*._tcp.wc             SRV 0 0 5269 host2.example.net.
EOF
[ -n "${DNSWORLD_TLSA_FILE:-}" ] && cat "$DNSWORLD_TLSA_FILE"
} > "$z/example.net.zone"
# NSEC3 with no extra iterations and an empty salt (RFC 9276), opt-out so
# the unsigned delegation of unsigned.example.net has no NSEC3 of its own.
sign example.net -n -t 0 -s '' -p

{ soa insecure.example.; cat <<'EOF'
@                     A 127.0.3.3
host                  A 127.0.0.3
host                  AAAA ::1
_xmpp-server._tcp     SRV 5 0 5269 host1.example.net.
EOF
} > "$z/insecure.example.zone"

{ soa unsigned.example.net.; printf 'host A 127.0.0.5\n_xmpp-server._tcp SRV 5 0 5269 host1.example.net.\n'; } \
  > "$z/unsigned.example.net.zone"
{ soa unknownds.example.; printf 'host A 127.0.0.6\n_xmpp-server._tcp SRV 5 0 5269 host1.example.net.\n'; } \
  > "$z/unknownds.example.zone"

for zone in bogus notyet wrongds; do
  { soa "$zone.example."; dnskeys "$zone.example"; cat <<'EOF'
host                  A 127.0.0.4
_xmpp-server._tcp     SRV 5 0 5269 host1.example.net.
_5269._tcp.host       TLSA 3 1 1 0000000000000000000000000000000000000000000000000000000000000004
EOF
  } > "$z/$zone.example.zone"
done
# Expired more than a day ago, and not valid for another ten days: both
# well outside Unbound's 24 h skew allowance.
ldns-signzone -o bogus.example -i "$(fmt $((now - 30 * day)))" -e "$(fmt $((now - 10 * day)))" \
  -f "$z/bogus.example.zone.signed" "$z/bogus.example.zone" $(cat keys.bogus.example) >/dev/null
ldns-signzone -o notyet.example -i "$(fmt $((now + 10 * day)))" -e "$(fmt $((now + 40 * day)))" \
  -f "$z/notyet.example.zone.signed" "$z/notyet.example.zone" $(cat keys.notyet.example) >/dev/null
sign wrongds.example
for zone in revoked nozonebit sha1ds; do
  { soa "$zone.example."; dnskeys "$zone.example"
    printf 'host A 127.0.0.11\n_xmpp-server._tcp SRV 5 0 5269 host1.example.net.\n'
  } > "$z/$zone.example.zone"
  sign "$zone.example"
done
# The parent vouches for a key, but the zone serves no DNSKEY at all.
{ soa nokey.example.; dnskeys nokey.example; printf 'host A 127.0.0.9\n_xmpp-server._tcp SRV 5 0 5269 host1.example.net.\n'; } \
  > "$z/nokey.example.zone"
sign nokey.example
sed -i -E '/IN[[:space:]]+(RRSIG[[:space:]]+)?DNSKEY[[:space:]]/d' "$z/nokey.example.zone.signed"
# NSEC3 with 500 iterations: RFC 9276 section 3.2 makes its denials insecure.
{ soa iter.example.; dnskeys iter.example; printf 'host A 127.0.0.8\n'; } > "$z/iter.example.zone"
sign iter.example -n -t 500 -s ab 2>/dev/null  # ldns warns about the count, which is the point

# An NSEC3 opt-out TLD, as the large TLDs are: signed children s1..s3 (each
# with a DS, so each has an NSEC3) and unsigned children in several opt-out
# spans (no NSEC3 of their own). With no salt and no extra iterations the
# hashes are fixed: u3 falls between s1 and s2, u2 between the apex and s3,
# and u1 and u9 in the last, wrap-around span (u1 after the last owner, u9
# before the first).
for child in s1 s2 s3 u1 u2 u3 u9; do
  { soa "$child.optout."
    [ "${child#s}" != "$child" ] && dnskeys "$child.optout"
    printf 'host A 127.0.0.10\n_xmpp-server._tcp SRV 5 0 5269 host1.example.net.\n'
  } > "$z/$child.optout.zone"
done
for child in s1 s2 s3; do sign "$child.optout"; done
{ soa optout.; dnskeys optout
  for child in s1 s2 s3; do printf '%s NS ns.example.net.\n' "$child"; ds "$child.optout"; done
  for child in u1 u2 u3 u9; do printf '%s NS ns.example.net.\n' "$child"; done
} > "$z/optout.zone"
# ldns-signzone -p only sets the opt-out flag and still gives every unsigned
# delegation an NSEC3; BIND's signer omits them, as real opt-out zones do.
(cd "$state/keys" && dnssec-signzone -q -3 - -A -H 0 -o optout. -s "$valid_from" -e "$valid_to" \
  -f "$z/optout.zone.signed" "$z/optout.zone" $(cat keys.optout) >/dev/null)

{ soa example.; dnskeys example
  printf 'insecure NS ns.example.net.\n'
  for zone in bogus notyet; do printf '%s NS ns.example.net.\n' "$zone"; ds "$zone.example"; done
  for zone in nokey iter; do printf '%s NS ns.example.net.\n' "$zone"; ds "$zone.example"; done
  for zone in revoked nozonebit; do printf '%s NS ns.example.net.\n' "$zone"; ds "$zone.example"; done
  # RFC 4509 section 3: beside a SHA-256 DS, a SHA-1 DS does not count.
  printf 'sha1ds NS ns.example.net.\n'
  ldns-key2ds -n -1 "$(cut -d' ' -f1 keys.sha1ds.example).key"
  ldns-key2ds -n -2 "$(cat keys.sha1ds-decoy).key"
  printf 'wrongds NS ns.example.net.\n'
  ldns-key2ds -n -2 "$(cat keys.wrongds-decoy).key"
  # A DS with a digest type nobody implements: RFC 6840 section 5.2 makes
  # the zone below insecure, not bogus.
  printf 'unknownds NS ns.example.net.\nunknownds DS 12345 13 99 00112233445566778899aabbccddeeff\n'
} > "$z/example.zone"
sign example

{ soa com.; dnskeys com; printf 'example NS ns.example.net.\n'; ds example.com; } > "$z/com.zone"
sign com
{ soa net.; dnskeys net; printf 'example NS ns.example.net.\nns.example A 127.0.0.1\n'; ds example.net; } > "$z/net.zone"
sign net
{ soa .; dnskeys .
  for tld in com net example optout; do printf '%s. NS ns.example.net.\n' "$tld"; ds "$tld"; done
} > "$z/root.zone"
sign .

ldns-key2ds -n -2 "$(cut -d' ' -f1 keys..).key" > "$state/root-ds.key"
for k in $(cat keys..); do grep -v '^;' "$k.key"; done > "$state/root.key"

zones=(. com net example example.com example.net insecure.example bogus.example notyet.example wrongds.example
       unsigned.example.net unknownds.example nokey.example iter.example
       optout s1.optout s2.optout s3.optout u1.optout u2.optout u3.optout u9.optout
       revoked.example nozonebit.example sha1ds.example)
write_configs() { # the two servers' configurations for $nsd_port and $unbound_port
{
  cat <<EOF
server:
  ip-address: 127.0.0.1@$nsd_port
  ip-address: ::1@$nsd_port
  port: $nsd_port
  pidfile: "$state/nsd.pid"
  zonesdir: "$state/zones"
  database: ""
  username: ""
  xfrdfile: "$state/xfrd.state"
  zonelistfile: "$state/zone.list"
  logfile: "$state/nsd.log"
  rrl-ratelimit: 0
  verbosity: 1
remote-control:
  control-enable: no
EOF
  for zone in "${zones[@]}"; do
    file="$zone.zone"; [ "$zone" = . ] && file=root.zone
    [ -f "$z/$file.signed" ] && file="$file.signed"
    printf 'zone:\n  name: "%s"\n  zonefile: "%s"\n' "$zone" "$file"
  done
} > "$state/nsd.conf"

{
  cat <<EOF
server:
  interface: 127.0.0.1@$unbound_port
  interface: ::1@$unbound_port
  port: $unbound_port
EOF
  unbound_runs_in "$state"
  cat <<EOF
  verbosity: 1
  val-log-level: 2
  # RFC 8914 Extended DNS Errors on SERVFAIL (with val-log-level 2, the
  # validation failure as EXTRA-TEXT): trust-ad mode reads them.
  ede: yes
  module-config: "validator iterator"
  trust-anchor-file: "$state/root.key"
  root-hints: ""
  access-control: 127.0.0.0/8 allow
  access-control: ::1 allow
  harden-dnssec-stripped: yes
  qname-minimisation: no
  aggressive-nsec: no
  cache-max-ttl: 5
  cache-max-negative-ttl: 5
  infra-host-ttl: 5
  val-bogus-ttl: 1
remote-control:
  control-enable: no
EOF
  for zone in "${zones[@]}"; do
    printf 'stub-zone:\n  name: "%s"\n  stub-addr: 127.0.0.1@%s\n' "$zone" "$nsd_port"
  done
} > "$state/unbound.conf"
}

# DNSWORLD_NSD_PORT=auto: pairs are drawn below Linux's ephemeral range (32768 and up),
# where the kernel never hands a client socket a port (MutationWorld takes ports up to
# 302 above them), and the first pair that both servers bind is kept; the ports chosen
# are in STATE_DIR/env.
attempts=1
if [ "$nsd_port" = auto ]; then attempts=10; fi
servers_failed() { # why: prints the logs to stderr and stops whatever did start
  echo "up.sh: $1 (NSD port $nsd_port, Unbound port $unbound_port); logs:" >&2
  for log in "$state/nsd.log" "$state/unbound.log"; do [ -f "$log" ] && tail -5 "$log" >&2; done
  "$here/down.sh" "$state" >/dev/null 2>&1 || true
}
for attempt in $(seq 1 "$attempts"); do
  if [ "$attempts" -gt 1 ]; then
    nsd_port=$((21000 + (RANDOM % 5600) * 2)); unbound_port=$((nsd_port + 1))
  fi
  rm -f "$state/nsd.pid" "$state/unbound.pid" "$state/nsd.log" "$state/unbound.log"
  write_configs
  started=1
  nsd -c "$state/nsd.conf" || started=0
  [ "$started" = 1 ] && { unbound -c "$state/unbound.conf" || started=0; }
  # Both daemonise and write their PID files.
  pid_files_written() { [ -s "$state/nsd.pid" ] && [ -s "$state/unbound.pid" ]; }
  [ "$started" = 1 ] && wait_until pid_files_written
  cat > "$state/env" <<ENV
STATE_DIR=$state
NSD_PORT=$nsd_port
UNBOUND_PORT=$unbound_port
NSD_PID=$(cat "$state/nsd.pid" 2>/dev/null || echo 0)
UNBOUND_PID=$(cat "$state/unbound.pid" 2>/dev/null || echo 0)
ANCHOR_FILE=$state/root.key
ANCHOR_DS_FILE=$state/root-ds.key
SIGNATURES_VALID_TO=$((now + 30 * day))
ENV
  if [ "$started" = 0 ]; then
    servers_failed "a server did not start (attempt $attempt of $attempts)"; continue
  fi
  for _ in $(seq 1 50); do
    if [ "$(dig +short +time=1 +tries=1 @127.0.0.1 -p "$nsd_port" nonce.example.com TXT 2>/dev/null)" = "\"$nonce\"" ] &&
       [ "$(dig +short +time=1 +tries=1 @127.0.0.1 -p "$unbound_port" nonce.example.com TXT 2>/dev/null)" = "\"$nonce\"" ]; then
      exit 0
    fi
    sleep 0.1
  done
  servers_failed "the world did not answer (attempt $attempt of $attempts)"
done
exit 1
