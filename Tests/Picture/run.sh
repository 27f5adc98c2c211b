#!/usr/bin/env bash
# The proof of #22: `xmppdna check --html/--svg` pages for the loopback
# world's domains, checked in a real headless Chromium (check_pages.py):
#   secure-dane          example.com: secure SRV to host1/host2, DANE on every endpoint
#   posh-only            insecure.example: unsigned zone, host1's fingerprint over HTTPS
#   unsigned-delegation  unsigned.example.net: insecure SRV, no POSH: nothing proves it
#   bogus                bogus.example: signatures expired
#   cname-hop            alias.example.com: a secure SRV whose target is a CNAME to host1
#                        (the server does not host it, so no stream opens: exit 3; the drawing is the point)
#   tlsa-mismatch        example.com again, its server now presenting a CA certificate
#                        for example.com while the signed TLSA still names host1's key
# Server A of Tests/Prosody/world.sh serves them, in a private network
# namespace (unshare -n); every process is stopped by PID. The pages, their
# JSON and a screenshot of each stay in OUT.
#   run.sh PREFIX OUT      PREFIX holds an installed xmppdna
set -euo pipefail
. "$(cd "$(dirname "$0")/../Prosody" && pwd)/namespace.sh"
dna_reenter_unshared "picture test" "-n" "$@"
shift
prefix=$1 out=$2
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../Prosody/world.sh"
trap dna_stop_all EXIT
rm -rf "$out" && mkdir -p "$out"
dna_world_up "$prefix"
dna_config_a

page() { # NAME DOMAIN
  local code=0
  "$prefix/bin/xmppdna" check "$2" --server "$dna_resolver" --anchor "$dna_work/world/root-ds.key" \
    --ca-file "$dna_pki/root.pem" --timeout 2 --json --html "$out/$1.html" --svg "$out/$1.svg" \
    >"$out/$1.json" 2>"$out/$1.err" || code=$?
  echo "$code" >"$out/$1.exit"
}

dna_prosody_start a 127.0.0.1
page secure-dane example.com
page posh-only insecure.example
page unsigned-delegation unsigned.example.net
page bogus bogus.example
page cname-hop alias.example.com
dna_stop_last
dna_prosody_start a-pki 127.0.0.1
page tlsa-mismatch example.com
dna_stop_last

# Without Graphviz the command says so and writes nothing.
code=0
XMPPDNA_DOT=/nonexistent/dot "$prefix/bin/xmppdna" check example.com --server "$dna_resolver" \
  --html "$out/none.html" >/dev/null 2>"$out/no-graphviz.err" || code=$?
echo "$code" >"$out/no-graphviz.exit"

python3 "$here/check_pages.py" "$out"
