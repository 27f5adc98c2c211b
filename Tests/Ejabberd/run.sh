#!/usr/bin/env bash
# The proof of #19: a real ejabberd (Debian 12's 23.01) and a real Prosody
# federate through mod_s2s_dna and mod_s2s_auth_dna, in both directions and
# with either server hosting the customer domains, and do not without them.
#
#   The world is Tests/Prosody/world.sh. The hosting server (127.0.0.1,
#   127.0.0.2, ::1) holds example.com, insecure.example, unsigned.example.net
#   and bogus.example with only host1.example.net's certificate;
#   b.example.net (127.0.2.2) has a certificate of its own.
#   Part 1: Prosody hosts, ejabberd is b.example.net, with and without the
#   module; the DANE veto with example.com's CA certificate.
#   Part 2: ejabberd hosts, Prosody is b.example.net.
#
# ejabberd resolves through the world's authoritative server (which does
# not validate), so only the module sees bogus DNS; the module asks the
# validating resolver. Everything runs in private network and mount
# namespaces (unshare -m -n: ejabberd's libc resolver reads a resolv.conf
# of the test's); every process is stopped by PID.
#   run.sh PREFIX        PREFIX holds an installed libxmppdna
set -euo pipefail
. "$(cd "$(dirname "$0")/../Prosody" && pwd)/namespace.sh"
dna_reenter_unshared "ejabberd federation test" "-m -n" "$@"
shift
prefix=$1
here=$(cd "$(dirname "$0")" && pwd)
export DNA_NSD_PORT=53  # the only port libc's resolver asks
. "$here/../Prosody/world.sh"
. "$here/ejabberd.sh"
trap dna_stop_all EXIT
[ -n "$dna_ejabberd_lib" ] || { echo "not ok - ejabberd is not installed (apt-get install ejabberd)"; exit 1; }
dna_world_up "$prefix"
dna_ejabberd_resolv_conf
work=$dna_work
dna_dns_only_leaf example-dns example.com
dna_dns_only_leaf b-dns b.example.net
dna_dns_only_leaf rogue-host1 host1.example.net other-root
dna_ejabberd_modules=$work/ejabberd-modules
"$dna_repo/bindings/erlang/build.sh" "$prefix" "$dna_ejabberd_modules/mod_s2s_dna" | sed 's/^/  /'

hosted="example.com insecure.example unsigned.example.net bogus.example"
# Part 1: ejabberd is b.example.net.
dna_config_a
dna_ejabberd_config ej-b-dna "$dna_authoritative" 127.0.2.2 b-dns "$(dna_ejabberd_module_config)" b.example.net
# PKI first: example.com's delegation makes host1's CA certificate acceptable.
dna_ejabberd_config ej-b-pki "$dna_authoritative" 127.0.2.2 b-dns "$(dna_ejabberd_module_config '    prooftypes: [pki, posh]
')" b.example.net
dna_ejabberd_config ej-b-plain "$dna_authoritative" 127.0.2.2 b-dns "" b.example.net
dna_ejabberd_config ej-b-broken "$dna_authoritative" 127.0.2.2 b-dns \
  "$(printf '  mod_s2s_dna:\n    resolvers: []\n')" b.example.net
# Part 2: ejabberd hosts the customer domains; Prosody is b.example.net.
dna_ejabberd_config ej-a-dna "$dna_authoritative" "127.0.0.1 127.0.0.2 ::1" host1 "$(dna_ejabberd_module_config)" $hosted
dna_ejabberd_config ej-a-plain "$dna_authoritative" "127.0.0.1 127.0.0.2 ::1" host1 "" $hosted
dna_prosody_config b-dna '"127.0.2.2"' true ', "s2s_auth_dna"' b.example.net=b-dns
dna_prosody_config b-plain '"127.0.2.2"' true '' b.example.net=b-dns
# The veto's server A: example.com with a CA certificate naming it (DNS-ID only).
dna_prosody_config a-dns '"127.0.0.1", "127.0.0.2", "::1"' false '' \
  example.com=example-dns insecure.example=web-insecure unsigned.example.net=host1 bogus.example=host1
# A certificate naming host1.example.net from a root ejabberd does not trust.
dna_prosody_config a-rogue '"127.0.0.1", "127.0.0.2", "::1"' false '' example.com=rogue-host1
for domain in $hosted; do prosodyctl --config "$work/a.cfg.lua" register alice "$domain" secret >/dev/null; done
cp -r "$work/a/data/." "$work/a-dns/data/"
cp -r "$work/a/data/." "$work/a-rogue/data/"
prosodyctl --config "$work/b-dna.cfg.lua" register bob b.example.net secret >/dev/null
cp -r "$work/b-dna/data/." "$work/b-plain/data/"

pass=0 fail=0
client=$dna_repo/Tests/Prosody/xmpp_client.py
log_of() { if [ -f "$work/$1/ejabberd.log" ]; then echo "$work/$1/ejabberd.log"; else echo "$work/$1/prosody.log"; fi; }
# log_check NAME SERVER REGEX: REGEX (grep -E) is in SERVER's log.
log_check() {
  local name=$1 log; log=$(log_of "$2")
  for _ in $(seq 20); do grep -qE -- "$3" "$log" && break; sleep 0.1; done  # the logger writes a moment later
  if grep -qE -- "$3" "$log"; then
    echo "ok - $name"; pass=$((pass + 1))
  else
    echo "not ok - $name: /$3/ is not in $2's log"
    grep -E "xmppdna|s2s" "$log" | tail -6 | cut -c 1-400 | sed 's/^/    log: /' || true; fail=$((fail + 1))
  fi
}
# deliver NAME FROM FROM-ADDR TO TO-ADDR WANT(arrives|fails) SERVER NEEDLE: FROM writes to TO;
# NEEDLE (fixed string) must then be in SERVER's log.
deliver() {
  local name=$1 from=$2 from_addr=$3 to=$4 to_addr=$5 want=$6 server=$7 needle=$8 body="hello-$RANDOM" got log waiting=10
  [ "$want" = fails ] && waiting=5
  log=$(log_of "$server")
  python3 "$client" receive "$to_addr" "$to" secret $waiting >"$work/received" 2>&1 &
  local receiver=$!
  for _ in $(seq 50); do grep -q ready "$work/received" 2>/dev/null && break; sleep 0.1; done
  python3 "$client" send "$from_addr" "$from" secret "$to" "$body" 3 >"$work/sent" 2>&1 || true
  if wait "$receiver" && grep -q "$body" "$work/received"; then got=arrives; else got=fails; fi
  # The log line may follow the delivery by a moment.
  for _ in $(seq 20); do { [ -z "$needle" ] || grep -qF -- "$needle" "$log"; } && break; sleep 0.1; done
  if [ "$got" = "$want" ] && { [ -z "$needle" ] || grep -qF -- "$needle" "$log"; }; then
    echo "ok - $name: message $got"; pass=$((pass + 1))
  else
    echo "not ok - $name: message $got, wanted $want${needle:+, the log of $server should show: $needle}"
    sed 's/^/    /' "$work/sent" "$work/received" | head -6 | cut -c 1-400
    grep -E "xmppdna|s2s|certificate" "$log" | tail -8 | cut -c 1-400 | sed 's/^/    log: /' || true
    fail=$((fail + 1))
  fi
}
# Shows the module's verdict lines of a server's log.
show_verdicts() {
  echo "  $1's verdict lines:"
  grep -E "xmppdna: |Accepted (in|out)bound s2s" "$(log_of "$1")" | sed -E 's/^[0-9-]+ [0-9:.]+\+00:00 //; s/<[0-9.]+>@[a-z_0-9]+:[a-z_0-9]+\/[0-9]+:[0-9]+ //' \
    | cut -c 1-240 | sed 's/^/    /'
}

echo "# Part 1: Prosody hosts the customer domains, ejabberd is b.example.net"
dna_prosody_start a 127.0.0.1
dna_ejabberd_start ej-b-dna 127.0.2.2 bob@b.example.net
log_check "ejabberd loads mod_s2s_dna and its NIF" ej-b-dna \
  "xmppdna: libxmppdna [0-9.]+ judges s2s certificates of b.example.net"
deliver "outbound: ejabberd delivers to example.com, proven by DANE through the signed delegation to host1" \
  bob@b.example.net 127.0.2.2 alice@example.com 127.0.0.1 arrives ej-b-dna "xmppdna: outbound example.com proven by dane"
deliver "inbound: ejabberd accepts example.com's host1 certificate by DANE" \
  alice@example.com 127.0.0.1 bob@b.example.net 127.0.2.2 arrives ej-b-dna "xmppdna: inbound example.com proven by dane"
log_check "inbound: ejabberd logs the stream as authenticated by the module" ej-b-dna \
  "Accepted inbound s2s xmppdna/dane authentication example.com -> b.example.net"
deliver "outbound: unsigned insecure.example is accepted by its POSH document" \
  bob@b.example.net 127.0.2.2 alice@insecure.example 127.0.0.1 arrives ej-b-dna "xmppdna: outbound insecure.example proven by posh"
deliver "outbound: unsigned.example.net's unsigned delegation, without POSH, is refused" \
  bob@b.example.net 127.0.2.2 alice@unsigned.example.net 127.0.0.1 fails ej-b-dna "xmppdna: outbound unsigned.example.net not proven"
deliver "inbound: unsigned.example.net is refused too" \
  alice@unsigned.example.net 127.0.0.1 bob@b.example.net 127.0.2.2 fails ej-b-dna "xmppdna: inbound unsigned.example.net not proven"
deliver "outbound: bogus.example's expired signatures are refused" \
  bob@b.example.net 127.0.2.2 alice@bogus.example 127.0.0.1 fails ej-b-dna "xmppdna: outbound bogus.example not proven"
log_check "outbound: the bogus refusal is logged at warning with the validator's reason" ej-b-dna \
  "\[warning\].*xmppdna: outbound bogus.example not proven: .*Signature Expired"
show_verdicts ej-b-dna
dna_stop_last  # ej-b-dna

dna_ejabberd_start ej-b-pki 127.0.2.2 bob@b.example.net
deliver "outbound, prooftypes [pki, posh]: host1's CA certificate is accepted for example.com by its signed delegation" \
  bob@b.example.net 127.0.2.2 alice@example.com 127.0.0.1 arrives ej-b-pki "xmppdna: outbound example.com proven by pki"
deliver "inbound, prooftypes [pki, posh]: and so is example.com connecting in" \
  alice@example.com 127.0.0.1 bob@b.example.net 127.0.2.2 arrives ej-b-pki "xmppdna: inbound example.com proven by pki"
log_check "PKI names the delegated DNS-ID it matched" ej-b-pki \
  "xmppdna: outbound example.com proven by pki: .*host1.example.net"
dna_stop_last
dna_stop_last  # a
dna_prosody_start a-rogue 127.0.0.1
dna_ejabberd_start ej-b-pki 127.0.2.2 bob@b.example.net
deliver "prooftypes [pki, posh]: a certificate naming host1 from an untrusted root is refused, though the name matches" \
  bob@b.example.net 127.0.2.2 alice@example.com 127.0.0.1 fails ej-b-pki "xmppdna: outbound example.com not proven: pki: rejected"
log_check "the refusal says the chain does not verify" ej-b-pki \
  "xmppdna: outbound example.com not proven: pki: rejected \(.*(chain|issuer)"
show_verdicts ej-b-pki
dna_stop_last
dna_stop_last  # a-rogue
dna_prosody_start a 127.0.0.1
dna_ejabberd_start ej-b-plain 127.0.2.2 bob@b.example.net
deliver "without mod_s2s_dna (and without dialback): ejabberd refuses example.com's host1 certificate" \
  bob@b.example.net 127.0.2.2 alice@example.com 127.0.0.1 fails ej-b-plain "Certificate host name mismatch"
deliver "without mod_s2s_dna: nor does it accept example.com inbound" \
  alice@example.com 127.0.0.1 bob@b.example.net 127.0.2.2 fails ej-b-plain "Failed inbound s2s EXTERNAL authentication example.com -> b.example.net"
dna_stop_last
dna_ejabberd_start ej-b-broken 127.0.2.2 bob@b.example.net
log_check "a module without resolvers logs at error that it refuses everything" ej-b-broken \
  "\[error\].*xmppdna: cannot configure libxmppdna for b.example.net: resolvers is empty"
deliver "a module that cannot configure libxmppdna refuses (fails closed)" \
  bob@b.example.net 127.0.2.2 alice@insecure.example 127.0.0.1 fails ej-b-broken "xmppdna: cannot judge outbound insecure.example, refused"
dna_stop_last
dna_stop_last  # a

echo "# The DANE veto: example.com presents a CA certificate naming it; its signed TLSA names host1's key"
dna_prosody_start a-dns 127.0.0.1
dna_ejabberd_start ej-b-plain 127.0.2.2 bob@b.example.net
deliver "without the module: ejabberd's PKIX check accepts example.com's CA certificate" \
  bob@b.example.net 127.0.2.2 alice@example.com 127.0.0.1 arrives ej-b-plain ""
dna_stop_last
dna_ejabberd_start ej-b-dna 127.0.2.2 bob@b.example.net
deliver "outbound: with the module the same certificate is refused" \
  bob@b.example.net 127.0.2.2 alice@example.com 127.0.0.1 fails ej-b-dna \
  "xmppdna: outbound example.com not proven (DANE vetoes ejabberd's PKIX acceptance): dane: rejected"
log_check "outbound: the veto's line carries the finding's tag" ej-b-dna \
  "xmppdna: outbound example.com not proven \(DANE vetoes.*\[[a-z_,]*tlsa_mismatch"
deliver "inbound: the veto holds for example.com connecting in" \
  alice@example.com 127.0.0.1 bob@b.example.net 127.0.2.2 fails ej-b-dna \
  "xmppdna: inbound example.com not proven (DANE vetoes ejabberd's PKIX acceptance)"
deliver "insecure.example's CA certificate, without TLSA, keeps ejabberd's acceptance" \
  bob@b.example.net 127.0.2.2 alice@insecure.example 127.0.0.1 arrives ej-b-dna ""
show_verdicts ej-b-dna
dna_stop_last
dna_stop_last  # a-dns

echo "# Part 2: ejabberd hosts the customer domains with host1's certificate, Prosody is b.example.net"
dna_ejabberd_start ej-a-dna 127.0.0.1 alice@example.com
dna_prosody_start b-dna 127.0.2.2
deliver "Prosody (mod_s2s_auth_dna) delivers to ejabberd's example.com" \
  bob@b.example.net 127.0.2.2 alice@example.com 127.0.0.1 arrives b-dna "xmppdna: outbound example.com proven by dane"
deliver "ejabberd's example.com delivers to Prosody, which accepts host1's certificate by DANE" \
  alice@example.com 127.0.0.1 bob@b.example.net 127.0.2.2 arrives b-dna "xmppdna: inbound example.com proven by dane"
log_check "ejabberd authenticated its outbound stream to Prosody by SASL EXTERNAL" ej-a-dna \
  "Accepted outbound s2s EXTERNAL authentication example.com -> b.example.net"
dna_stop_last
dna_stop_last
dna_ejabberd_start ej-a-plain 127.0.0.1 alice@example.com
dna_prosody_start b-plain 127.0.2.2
deliver "without the modules: Prosody refuses ejabberd's example.com" \
  bob@b.example.net 127.0.2.2 alice@example.com 127.0.0.1 fails b-plain "because its certificate is not valid for this name"
# Prosody closes the stream right after its error; ejabberd then logs either
# that error or the failed write ("Connection failed: invalid argument"),
# whichever it reads first. So the reason is asserted where it is decided.
deliver "without the modules: ejabberd's example.com cannot authenticate to Prosody" \
  alice@example.com 127.0.0.1 bob@b.example.net 127.0.2.2 fails ej-a-plain \
  "Failed to establish outbound s2s connection example.com -> b.example.net: "
log_check "without the modules: Prosody refused ejabberd's inbound example.com for its certificate" b-plain \
  "s2sin[0-9a-f]+[[:space:]]+warn[[:space:]]+Forbidding insecure connection to/from example.com because its certificate is not valid for this name"

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
