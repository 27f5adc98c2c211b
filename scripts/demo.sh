#!/usr/bin/env bash
# The main job on the loopback world: a hosting provider's certificate for
# host1.example.net, checked for customer domains whose SRV delegation is
# secure, insecure, bogus or tampered.
set -uo pipefail
cli=$1
here=$(cd "$(dirname "$0")/.." && pwd)
pki=$(mktemp -d)
world=$(mktemp -d)
export DNSWORLD_NSD_PORT=${DNSWORLD_NSD_PORT:-53630} DNSWORLD_UNBOUND_PORT=${DNSWORLD_UNBOUND_PORT:-53631}
trap '"$here/Tests/DNSWorld/down.sh" "$world"; rm -rf "$pki" "$world"' EXIT
"$here/Tests/Fixtures/make-test-pki.sh" "$pki" >/dev/null
"$here/Tests/DNSWorld/up.sh" "$world" || { echo "demo: the loopback DNS world did not start" >&2; exit 1; }

run() { # expected-exit headline args...
  local want=$1 headline=$2; shift 2
  printf '\n== %s\n$ xmppdna %s\n' "$headline" "$*"
  "$cli" "$@"
  local got=$?
  if [ "$got" != "$want" ]; then echo "demo: expected exit $want, got $got" >&2; exit 1; fi
}

cert=(verify "$pki/host1-chain.pem" --ca-file "$pki/root.pem")
dns=(--resolve --server "127.0.0.1@$DNSWORLD_UNBOUND_PORT" --anchor "$world/root-ds.key")
run 1 "1. the hosting provider's certificate for host1.example.net, checked for example.com by name alone" \
  "${cert[@]}" --domain example.com
run 0 "2. the same, with example.com's DNSSEC-signed SRV delegation to host1.example.net (validated here)" \
  "${cert[@]}" --domain example.com "${dns[@]}"
run 1 "3. insecure.example delegates to host1.example.net too, but its zone is not signed" \
  "${cert[@]}" --domain insecure.example "${dns[@]}"
run 1 "4. bogus.example's signatures expired: the delegation is refused with the reason" \
  "${cert[@]}" --domain bogus.example "${dns[@]}"
run 1 "5. tampered.example.com: an SRV record altered after signing" \
  "${cert[@]}" --domain tampered.example.com "${dns[@]}"
printf '\ndemo: accepted only through the secure delegation; insecure, bogus and tampered delegations refused\n'
