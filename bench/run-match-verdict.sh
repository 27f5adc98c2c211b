#!/usr/bin/env bash
# The match and verdict rows of #7 and #20, beside plain-C OpenSSL in one
# interleaved run, then the never-seen chains again under callgrind
# (instructions are the stable figure on a noisy machine), then
# pyca/service-identity from a venv of its own.
# Usage: bench/run-match-verdict.sh [ROUNDS]  (after `make`)
# Prints the tables, and goal|CASE|GOAL|MEASURED|met-or-missed lines for bench/run-all.sh.
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
cc -O2 -Wall -Wextra -Werror -std=c11 -o "$work/bench" "$root/bench/match_verdict.c" $(pkg-config --cflags --libs xmppdna) -lssl -lcrypto \
  -Wl,-rpath,"$prefix/lib"
"$work/bench" "$work/pki" "$rounds" | tee "$work/table"

# Never-seen chains: 200 verdicts per side, counted inside measured() only.
calls=200
instructions() {
  valgrind --tool=callgrind --toggle-collect=measured --callgrind-out-file="$work/cg.$1" "$work/bench" "$work/pki" --only "$1" $calls \
    >/dev/null 2>&1
  echo $(( $(sed -n 's/^summary: //p' "$work/cg.$1") / calls ))
}
if command -v valgrind >/dev/null; then
  echo
  echo "| chain never seen, callgrind | xmppdna instructions per verdict | OpenSSL instructions per verdict | xmppdna ÷ OpenSSL |"
  echo "|---|---:|---:|---:|"
  for case in pki dane; do
    ours=$(instructions "$case-new-xmppdna")
    peer=$(instructions "$case-new-openssl")
    ratio=$(echo "scale=3; $ours / $peer" | bc)
    printf '| %s | %d | %d | %.2f |\n' "$case" "$ours" "$peer" "$ratio"
    if [ "$case" = pki ]; then
      met=$(echo "$ratio <= 1.0" | bc)
      printf 'goal|PKI verdict, 3-certificate DER chain never seen|<= 1.0x OpenSSL in instructions|%.2fx|%s\n' "$ratio" \
        "$([ "$met" = 1 ] && echo met || echo missed)" >> "$work/goals"
    else
      faster=$(echo "scale=3; $peer / $ours" | bc)
      met=$(echo "$faster >= 2" | bc)
      printf 'goal|DANE-EE verdict, DER chain never seen|>= 2x faster than OpenSSL in instructions|%.1fx|%s\n' "$faster" \
        "$([ "$met" = 1 ] && echo met || echo missed)" >> "$work/goals"
    fi
  done
else
  echo 'goal|PKI and DANE-EE verdicts, chain never seen|callgrind instructions|not measured: valgrind is not installed|missed' >> "$work/goals"
fi

# The second peer of the match row, from a venv of its own (pip, or Debian's
# package through --system-site-packages when pip cannot reach an index).
venv=$root/out/bench-venv
if ! "$venv/bin/python" -c "import service_identity" 2>/dev/null; then
  python3 -m venv --system-site-packages "$venv" >/dev/null
  "$venv/bin/pip" install --quiet service-identity >"$work/pip.log" 2>&1 || true
fi
echo
if "$venv/bin/python" "$root/bench/service_identity_match.py" "$work/pki" "$rounds" > "$work/si" 2>"$work/si.err"; then
  grep '^|' "$work/si"
  ours=$(sed -n 's/^median|match-xmppdna|//p' "$work/table")
  peer=$(sed -n 's/^median|five_checks|//p' "$work/si")
  faster=$(echo "scale=1; $peer / $ours" | bc)
  printf 'goal|name match|>= 200x faster than pyca/service-identity (its five public checks)|%.0fx|%s\n' "$faster" \
    "$([ "$(echo "$faster >= 200" | bc)" = 1 ] && echo met || echo missed)" >> "$work/goals"
else
  echo "(pyca/service-identity did not run: $(tail -1 "$work/si.err" "$work/pip.log" 2>/dev/null | tr '\n' ' ' | cut -c 1-200))"
  echo 'goal|name match|>= 200x faster than pyca/service-identity|not measured: service-identity did not run|missed' >> "$work/goals"
fi
cat "$work/goals"
