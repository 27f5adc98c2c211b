#!/usr/bin/env bash
# Issue #20's server-shaped load (bench/server_load.c): 20,000 async DNA
# verdicts over 500 peer chains of 200 domains, a quarter each proven by
# DANE-EE, DANE-TA, PKI with delegated names and POSH, on a private loopback
# world: NSD serving the signed zones (xmppdna validates from the world's
# anchor) and the POSH test server. Then the same load, smaller, under
# valgrind for leaks.
# Usage: bench/run-server-load.sh [VERDICTS [CHAINS [DOMAINS [IN_FLIGHT]]]]  (after `make`; LEAK_CHECK=0 skips valgrind)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
verdicts=${1:-20000} chains=${2:-500} domains=${3:-200} in_flight=${4:-64}
work=$(mktemp -d)
export DNSWORLD_NSD_PORT=${DNSWORLD_NSD_PORT:-53780} DNSWORLD_UNBOUND_PORT=${DNSWORLD_UNBOUND_PORT:-53781}
posh_port=${POSH_PORT:-53782}
stop() {
  if [ -s "$work/web.pid" ]; then kill "$(cut -d' ' -f1 "$work/web.pid")" 2>/dev/null || true; fi
  "$root/Tests/DNSWorld/down.sh" "$work/world" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap stop EXIT
# XMPPDNA_PREFIX=DIR measures the xmppdna installed there instead of `make install` into a temp prefix.
prefix=${XMPPDNA_PREFIX:-$work/prefix}
[ -n "${XMPPDNA_PREFIX:-}" ] || make -C "$root" --no-print-directory install PREFIX="$prefix" >/dev/null
"$root/Tests/Fixtures/make-test-pki.sh" "$work/pki" >/dev/null
"$root/bench/make-load-peers.sh" "$work/pki" "$work/peers" "$chains" "$domains"
DNSWORLD_EXAMPLE_COM_FILE=$work/peers/example.com.records DNSWORLD_TLSA_FILE=$work/peers/example.net.records \
  "$root/Tests/DNSWorld/up.sh" "$work/world" >/dev/null
# shellcheck disable=SC2046
python3 "$root/Tests/POSHWorld/https_server.py" --address 127.0.0.1 --port "$posh_port" --root "$work/peers/web" \
  --pidfile "$work/web.pid" $(cat "$work/peers/web-certs.args") >"$work/web.log" 2>&1 &
for _ in $(seq 1 100); do [ -s "$work/web.pid" ] && break; sleep 0.05; done
[ -s "$work/web.pid" ] || { echo "https_server.py did not start: $(cat "$work/web.log")" >&2; exit 1; }
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
cc -O2 -Wall -Wextra -Werror -std=c11 -o "$work/bench" "$root/bench/server_load.c" $(pkg-config --cflags --libs xmppdna) \
  -Wl,-rpath,"$prefix/lib"
args=("127.0.0.1@$DNSWORLD_NSD_PORT" "$work/world/root-ds.key" "$work/pki/root.pem" "https://127.0.0.1:$posh_port" "$work/peers"
      "$chains" "$domains")
"$work/bench" "${args[@]}" "$verdicts" "$in_flight"
# Leaks: a tenth of the load under valgrind, suppressions as the C tests use them.
if [ "${LEAK_CHECK:-1}" = 1 ] && command -v valgrind >/dev/null; then
  leak_verdicts=$((verdicts / 10))
  if valgrind --quiet --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,possible \
       --errors-for-leak-kinds=definite,possible --suppressions="$root/Tests/C/valgrind.supp" \
       "$work/bench" "${args[@]}" "$leak_verdicts" "$in_flight" >"$work/valgrind.out" 2>"$work/valgrind.err"; then
    echo "| valgrind, $leak_verdicts verdicts after the warm-up | 0 errors, 0 bytes definitely or possibly lost |"
    echo "goal|server-shaped load under valgrind|0 leaks|0 errors, 0 lost|met"
  else
    echo "| valgrind, $leak_verdicts verdicts after the warm-up | errors or leaks: $(grep -c 'lost in' "$work/valgrind.err") records |"
    echo "goal|server-shaped load under valgrind|0 leaks|$(grep -m1 -E 'lost in|Invalid' "$work/valgrind.err" | sed 's/^==[0-9]*== //')|missed"
  fi
fi
