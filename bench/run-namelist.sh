#!/usr/bin/env bash
# Measures the example.com name list, cold and warm, beside libunbound, on a
# private loopback world. Usage: bench/run-namelist.sh [ROUNDS]  (after `make`)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rounds=${1:-50}
work=$(mktemp -d)
export DNSWORLD_NSD_PORT=${DNSWORLD_NSD_PORT:-53730} DNSWORLD_UNBOUND_PORT=${DNSWORLD_UNBOUND_PORT:-53731}
trap '"$root/Tests/DNSWorld/down.sh" "$work/world"; rm -rf "$work"' EXIT
make -C "$root" --no-print-directory install PREFIX="$work/prefix" >/dev/null
"$root/Tests/DNSWorld/up.sh" "$work/world"
export PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig"
cc -O2 -std=c11 -o "$work/bench" "$root/bench/namelist_latency.c" $(pkg-config --cflags --libs xmppdna) -lunbound \
  -Wl,-rpath,"$work/prefix/lib"
"$work/bench" "$DNSWORLD_NSD_PORT" "$work/world/root-ds.key" "$rounds"
