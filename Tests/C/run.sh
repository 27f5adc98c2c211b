#!/usr/bin/env bash
# Builds the C programs against an installed xmppdna (header, library and
# .pc file) and runs them under valgrind. Usage: Tests/C/run.sh PREFIX PKI_DIR
set -euo pipefail
# A step that fails without a word still names itself.
trap 'echo "$0: line $LINENO failed (exit $?)" >&2' ERR
prefix=$1 pki=$2
here=$(cd "$(dirname "$0")" && pwd)
build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT
# api_test.c must call every function of the installed header.
uncalled=$(grep -oE '\bxmppdna_[a-z0-9_]+ *\(' "$prefix/include/xmppdna.h" | tr -d ' (' | sort -u |
           while read -r f; do grep -qE "\\b$f\\(" "$here/api_test.c" || echo "$f"; done)
if [ -n "$uncalled" ]; then echo "api_test.c never calls:" $uncalled; exit 1; fi

# A POSH document for host1, digest by the openssl CLI (api_test has no crypto of its own).
printf '{"fingerprints":[{"sha-256":"%s"}],"expires":3600}' \
  "$(openssl x509 -in "$pki/host1.pem" -outform DER | openssl dgst -sha256 -binary | openssl base64 -A)" > "$pki/posh-host1.json"

export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
flags=$(pkg-config --cflags --libs xmppdna)
cc -std=c11 -Wall -Wextra -Werror -o "$build/api_test" "$here/api_test.c" $flags -Wl,-rpath,"$prefix/lib"
cc -std=c11 -Wall -Wextra -Werror -o "$build/async_stress" "$here/async_stress.c" $flags -Wl,-rpath,"$prefix/lib"
cc -std=c11 -Wall -Wextra -Werror -o "$build/example" "$here/example.c" $flags -Wl,-rpath,"$prefix/lib"
cc -std=c11 -Wall -Wextra -Werror -o "$build/cancel_steps" "$here/cancel_steps.c" $flags -Wl,-rpath,"$prefix/lib"

grind=(valgrind --quiet --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,possible
       --errors-for-leak-kinds=definite,possible --suppressions="$here/valgrind.supp")
# Valgrind 3.19 cannot read the DWARF 5 forms (DW_FORM_addrx) in the static
# Swift runtime and says so on every run; symbols still come from .symtab,
# so suppressions and stack traces work. Only those lines are dropped.
exec 2> >(grep -vE '^### unhandled dwarf2 abbrev form code|^get_Form_szB: unhandled|^--[0-9]+-- (WARNING: Serious error when reading debug info|When reading debug info from|get_Form_contents: unhandled)' >&2)
"${grind[@]}" "$build/api_test" "$pki"
# The README's example: host1's certificate is rejected for example.com (exit 1), with the
# typed finding that says why, and accepted once host1.example.net is an acceptable name.
rc=0
out=$("${grind[@]}" "$build/example" "$pki/host1-chain.pem" example.com "$pki/root.pem" 1893456000) || rc=$?
if [ "$rc" != 1 ]; then echo "example: exit $rc for host1 and example.com without delegation (expected 1)"; exit 1; fi
grep -q '^  \[102\] no presented identifier matches' <<<"$out" ||
  { echo "example: no XMPPDNA_FINDING_PKI_NO_NAME_MATCHES in its output:"; echo "$out"; exit 1; }
"${grind[@]}" "$build/example" "$pki/host1-chain.pem" example.com "$pki/root.pem" 1893456000 host1.example.net >/dev/null
# The async stress test on the loopback DNS world, on free ports it picks itself.
world="$build/world"
helpers=()
trap '"$here/../DNSWorld/down.sh" "$world" >/dev/null 2>&1; for pid in "${helpers[@]}"; do kill "$pid" 2>/dev/null; done; rm -rf "$build"' EXIT
DNSWORLD_NSD_PORT=auto "$here/../DNSWorld/up.sh" "$world" >/dev/null
unbound_port=$(sed -n 's/^UNBOUND_PORT=//p' "$world/env")
"${grind[@]}" "$build/async_stress" "127.0.0.1@$unbound_port" "$world/root-ds.key" 2000
# Cancellations at every step (issue #23): a forwarder that holds slow.example's
# answers for 3 s, and a web server that never answers POSH; each writes
# "PID PORT" once it listens, and is stopped by that PID.
started() { # PIDFILE: waits for "PID PORT" and prints it
  for _ in $(seq 1 100); do [ -s "$1" ] && { echo "$(cat "$1")"; return 0; }; sleep 0.05; done
  echo "$0: $1 was not written" >&2; return 1
}
# Recorded at once ($!), so the exit trap stops them even if a later step fails.
python3 "$here/../DNSWorld/delay_dns.py" slow.example 0 "$unbound_port" "$build/slow.pid" 3 600 & helpers+=("$!")
python3 "$here/../POSHWorld/silent_server.py" --port 0 --pidfile "$build/silent.pid" --lifetime 600 & helpers+=("$!")
read -r _ slow_port < <(started "$build/slow.pid")
read -r _ silent_port < <(started "$build/silent.pid")
"${grind[@]}" "$build/cancel_steps" "127.0.0.1@$slow_port" "$world/root-ds.key" "$pki/root.pem" "$pki/host1-chain.pem" \
  "https://127.0.0.1:$silent_port"
echo "C tests: api_test, example, async_stress and cancel_steps clean under valgrind (0 errors, 0 definitely or possibly lost)"
