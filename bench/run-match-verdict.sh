#!/usr/bin/env bash
# The name-match and PKI-verdict rows of #7, beside plain-C OpenSSL in one
# interleaved run. Usage: bench/run-match-verdict.sh [ROUNDS]  (after `make`)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rounds=${1:-21}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# XMPPDNA_PREFIX=DIR measures the xmppdna installed there instead of `make install` into a temp prefix.
prefix=${XMPPDNA_PREFIX:-$work/prefix}
[ -n "${XMPPDNA_PREFIX:-}" ] || make -C "$root" --no-print-directory install PREFIX="$prefix" >/dev/null
"$root/Tests/Fixtures/make-test-pki.sh" "$work/pki" >/dev/null
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
cc -O2 -Wall -Wextra -Werror -std=c11 -o "$work/bench" "$root/bench/match_verdict.c" $(pkg-config --cflags --libs xmppdna) -lcrypto \
  -Wl,-rpath,"$prefix/lib"
"$work/bench" "$work/pki" "$rounds"
# The second peer of the match row, when installed (pip install service-identity).
if python3 -c "import service_identity" 2>/dev/null; then
  python3 "$root/bench/service_identity_match.py" "$work/pki" "$rounds"
else
  echo "(pyca/service-identity not installed: pip install service-identity for its row)"
fi
