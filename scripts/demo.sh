#!/usr/bin/env bash
# The main job, on a loopback world in a private network namespace: the
# signed DNS world, a POSH web server and a real Prosody hosting customer
# domains with only its own certificate (host1.example.net), checked live by
# `xmppdna check`; then two verdicts with `xmppdna verify`. Everything is
# stopped by PID at the end. See Tests/Prosody/world.sh for the world.
# Each check also writes its page (--html) into PAGES.
#   demo.sh PREFIX [PAGES]    PREFIX holds the installed xmppdna; PAGES: PREFIX/../pages
set -uo pipefail
prefix=$1
pages=${2:-$(dirname "$prefix")/pages}
if [ "${DEMO_INSIDE:-}" != 1 ]; then
  export DEMO_INSIDE=1
  mkdir -p "$pages" || exit 1
  # Root gets a network namespace; anyone else a user namespace with one.
  if [ "$(id -u)" = 0 ]; then exec unshare -n "$0" "$prefix" "$pages"; fi
  exec unshare -rn "$0" "$prefix" "$pages"
fi
. "$(cd "$(dirname "$0")/.." && pwd)/Tests/Prosody/world.sh"
trap dna_stop_all EXIT
cli=$prefix/bin/xmppdna
dna_world_up "$prefix" || { echo "demo: the loopback world did not start" >&2; exit 1; }
dna_config_a
dna_prosody_start a 127.0.0.1 || exit 1

run() { # expected-exit headline args...
  local want=$1 headline=$2; shift 2
  printf '\n== %s\n$ xmppdna %s\n' "$headline" "$*"
  "$cli" "$@"
  local got=$?
  if [ "$got" != "$want" ]; then echo "demo: expected exit $want, got $got" >&2; exit 1; fi
}

dns=(--server "$dna_resolver" --anchor "$dna_work/world/root-ds.key" --ca-file "$dna_pki/root.pem")
run 0 "1. example.com delegates to host1 and host2 with DNSSEC-signed SRV records; every endpoint passes DANE" \
  check example.com "${dns[@]}" --html "$pages/example.com.html"
run 0 "2. insecure.example cannot sign its zone; it publishes host1's fingerprint over HTTPS (POSH)" \
  check insecure.example "${dns[@]}" --html "$pages/insecure.example.html"
run 1 "3. unsigned.example.net delegates without DNSSEC and without POSH: the hosting certificate proves nothing" \
  check unsigned.example.net "${dns[@]}" --html "$pages/unsigned.example.net.html"
run 3 "4. bogus.example's signatures expired: nothing it names is trusted" \
  check bogus.example "${dns[@]}" --html "$pages/bogus.example.html"
run 0 "5. a DANE-only host: a self-signed certificate at host2, vouched for by host2's signed TLSA record alone" \
  verify "$dna_pki/self-signed-chain.pem" --domain example.com --resolve --endpoint host2.example.net:5269 "${dns[@]}"
run 1 "6. a PKI-valid certificate for example.com at host1, whose TLSA names another key: DANE has no PKIX fallback" \
  verify "$dna_pki/full-chain.pem" --domain example.com --resolve --endpoint host1.example.net:5269 "${dns[@]}"
printf '\ndemo: example.com verified by DANE and insecure.example by POSH; the unsigned and bogus delegations refused with the reason\n'
printf '\nThe pages of the four checks (open them from disk):\n'
for page in example.com insecure.example unsigned.example.net bogus.example; do printf '  %s\n' "$pages/$page.html"; done
