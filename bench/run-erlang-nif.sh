#!/usr/bin/env bash
# The Erlang NIF's per-call overhead beside a trivial NIF call.
# Usage: bench/run-erlang-nif.sh [SAMPLES of 100 calls]  (XMPPDNA_PREFIX=DIR: an installed library)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
samples=${1:-200}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix=${XMPPDNA_PREFIX:-$work/prefix}
[ -n "${XMPPDNA_PREFIX:-}" ] || make -C "$root" --no-print-directory install PREFIX="$prefix" >/dev/null
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
erts_include=$(erl -noshell -eval 'io:format("~s", [filename:join([code:root_dir(), "usr", "include"])]), halt().')
cc -std=c11 -O2 -shared -fPIC -I"$erts_include" $(pkg-config --cflags xmppdna) -o "$work/xmppdna_nif.so" \
  "$root/bindings/erlang/c_src/xmppdna_nif.c" $(pkg-config --libs xmppdna) -Wl,-rpath,"$prefix/lib"
erlc -o "$work" "$root/bindings/erlang/src/xmppdna.erl" "$root/bindings/erlang/src/xmppdna_nif.erl" \
  "$root/bench/erlang_nif_overhead.erl"
XMPPDNA_NIF="$work/xmppdna_nif" erl -noshell -pa "$work" -eval "erlang_nif_overhead:main([\"$samples\"]), halt()."
