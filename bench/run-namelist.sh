#!/usr/bin/env bash
# Measures the example.com name list, cold and warm, beside libunbound, on a
# private loopback world. Usage: bench/run-namelist.sh [ROUNDS]  (after `make`)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rounds=${1:-50}
work=$(mktemp -d)
export DNSWORLD_NSD_PORT=${DNSWORLD_NSD_PORT:-53730} DNSWORLD_UNBOUND_PORT=${DNSWORLD_UNBOUND_PORT:-53731}
trap '"$root/Tests/DNSWorld/down.sh" "$work/world"; rm -rf "$work"' EXIT
# XMPPDNA_PREFIX=DIR measures the xmppdna installed there instead of `make install` into a temp prefix.
prefix=${XMPPDNA_PREFIX:-$work/prefix}
[ -n "${XMPPDNA_PREFIX:-}" ] || make -C "$root" --no-print-directory install PREFIX="$prefix" >/dev/null
"$root/Tests/DNSWorld/up.sh" "$work/world"
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
cc -O2 -Wall -Wextra -Werror -std=c11 -o "$work/bench" "$root/bench/namelist_latency.c" $(pkg-config --cflags --libs xmppdna) -lunbound \
  -Wl,-rpath,"$prefix/lib"
"$work/bench" "$DNSWORLD_NSD_PORT" "$work/world/root-ds.key" "$rounds"
# drill -S (ldnsutils) chasing the same six records to the world's root key,
# one process per record, as an operator would at a shell.
samples=()
for _ in $(seq 1 9); do
  t0=$(date +%s%N)
  for q in "_xmpp-server._tcp.example.com SRV" "_xmpps-server._tcp.example.com SRV" "host1.example.net A" \
           "host1.example.net AAAA" "host2.example.net A" "host2.example.net AAAA"; do
    # shellcheck disable=SC2086
    drill -S -k "$work/world/root.key" -p "$DNSWORLD_NSD_PORT" @127.0.0.1 $q | grep -q "Chase successful" ||
      { echo "drill: $q did not chase" >&2; exit 1; }
  done
  samples+=($(( ($(date +%s%N) - t0) / 1000 )))
done
sorted=($(printf '%s\n' "${samples[@]}" | sort -n))
printf '| %-44s | %10.1f | %10.1f |\n' "cold: drill -S x6, one process per record" "${sorted[4]}" "${sorted[8]}"
