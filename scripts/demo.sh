#!/usr/bin/env bash
# The main job on the loopback world: a hosting provider's certificate for
# host1.example.net, checked for customer domains by every prooftype: DANE
# on the SRV target, PKI with the DNSSEC-delegated names, POSH over HTTPS.
set -uo pipefail
cli=$1
here=$(cd "$(dirname "$0")/.." && pwd)
pki=$(mktemp -d)
world=$(mktemp -d)
web=$(mktemp -d)
web_pid=
export DNSWORLD_NSD_PORT=${DNSWORLD_NSD_PORT:-53630} DNSWORLD_UNBOUND_PORT=${DNSWORLD_UNBOUND_PORT:-53631}
trap '"$here/Tests/DNSWorld/down.sh" "$world"; [ -n "$web_pid" ] && kill "$web_pid"; rm -rf "$pki" "$world" "$world.tlsa" "$web"' EXIT
"$here/Tests/Fixtures/make-test-pki.sh" "$pki" >/dev/null

key() { openssl x509 -in "$pki/$1" -noout -pubkey | openssl pkey -pubin -outform DER | openssl dgst -sha256 -hex | sed 's/.*= //'; }
# TLSA: host1 publishes its key; host2 runs on a self-signed certificate
# that only its TLSA record vouches for (the DANE-only host).
{ echo "_5269._tcp.host1 TLSA 3 1 1 $(key host1.pem)"; echo "_5269._tcp.host2 TLSA 3 1 1 $(key self-signed.pem)"; } > "$world.tlsa"
DNSWORLD_TLSA_FILE="$world.tlsa" "$here/Tests/DNSWorld/up.sh" "$world" || { echo "demo: the loopback DNS world did not start" >&2; exit 1; }

# insecure.example cannot sign its zone; it publishes host1's certificate
# fingerprint over HTTPS instead (the POSH-only domain).
mkdir -p "$web/insecure.example/.well-known/posh"
printf '{"fingerprints":[{"sha-256":"%s"}],"expires":3600}\n' \
  "$(openssl x509 -in "$pki/host1.pem" -outform DER | openssl dgst -sha256 -binary | openssl base64 -A)" \
  > "$web/insecure.example/.well-known/posh/xmpp-server.json"
read -r web_pid web_port < <("$here/Tests/POSHWorld/up.sh" "$web" \
  --cert "insecure.example=$pki/web-insecure.pem,$pki/web-insecure.key,$pki/inter.pem") ||
  { echo "demo: the loopback HTTPS server did not start" >&2; exit 1; }

run() { # expected-exit headline args...
  local want=$1 headline=$2; shift 2
  printf '\n== %s\n$ xmppdna %s\n' "$headline" "$*"
  "$cli" "$@"
  local got=$?
  if [ "$got" != "$want" ]; then echo "demo: expected exit $want, got $got" >&2; exit 1; fi
}

cert=(verify "$pki/host1-chain.pem" --ca-file "$pki/root.pem")
dns=(--resolve --server "127.0.0.1@$DNSWORLD_UNBOUND_PORT" --anchor "$world/root-ds.key")
posh=(--posh-url-base "https://127.0.0.1:$web_port")
run 1 "1. the hosting provider's certificate for host1.example.net, checked for example.com by name alone" \
  "${cert[@]}" --domain example.com
run 0 "2. the same, with example.com's DNSSEC-signed SRV delegation to host1.example.net and host1's TLSA record" \
  "${cert[@]}" --domain example.com "${dns[@]}" --endpoint host1.example.net:5269
run 0 "3. the DANE-only host: host2.example.net has no CA certificate at all, only a signed TLSA record for its key" \
  verify "$pki/self-signed-chain.pem" --ca-file "$pki/root.pem" --domain example.com "${dns[@]}" --endpoint host2.example.net:5269
run 1 "4. host1's certificate presented by host2.example.net: host2's TLSA names another key, and DANE has no PKIX fallback" \
  "${cert[@]}" --domain example.com "${dns[@]}" --endpoint host2.example.net:5269
run 1 "5. insecure.example delegates to host1.example.net too, but its zone is not signed" \
  "${cert[@]}" --domain insecure.example "${dns[@]}" --prooftypes dane,pki
run 0 "6. the POSH-only domain: insecure.example publishes host1's fingerprint at https://insecure.example/.well-known/posh/" \
  "${cert[@]}" --domain insecure.example "${dns[@]}" "${posh[@]}"
run 1 "7. bogus.example's signatures expired: the delegation is refused with the reason" \
  "${cert[@]}" --domain bogus.example "${dns[@]}"
run 1 "8. tampered.example.com: an SRV record altered after signing" \
  "${cert[@]}" --domain tampered.example.com "${dns[@]}"
printf '\ndemo: accepted by DANE (with and without a CA certificate) and by POSH; name alone, a stale TLSA, an unsigned delegation, bogus and tampered delegations refused\n'
