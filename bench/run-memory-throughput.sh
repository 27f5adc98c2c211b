#!/usr/bin/env bash
# The memory and async-throughput rows of #7 (no peer: flat RSS, scaling with cores).
# Usage: bench/run-memory-throughput.sh   (after `make`)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# XMPPDNA_PREFIX=DIR measures the xmppdna installed there instead of `make install` into a temp prefix.
prefix=${XMPPDNA_PREFIX:-$work/prefix}
[ -n "${XMPPDNA_PREFIX:-}" ] || make -C "$root" --no-print-directory install PREFIX="$prefix" >/dev/null
"$root/Tests/Fixtures/make-test-pki.sh" "$work/pki" >/dev/null
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
cc -O2 -Wall -Wextra -Werror -std=c11 -o "$work/bench" "$root/bench/memory_throughput.c" $(pkg-config --cflags --libs xmppdna) \
  -Wl,-rpath,"$prefix/lib"
"$work/bench" "$work/pki"
