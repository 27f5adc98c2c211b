#!/usr/bin/env bash
# Builds the NIF against an installed xmppdna and runs the EUnit suite under
# plain erl (no ejabberd) on the loopback DNS world.
#   run-tests.sh PREFIX
set -euo pipefail
trap 'echo "$0: line $LINENO failed (exit $?)" >&2' ERR
prefix=$1
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
trap '"$repo/Tests/DNSWorld/down.sh" "$work/world" >/dev/null 2>&1; rm -rf "$work"' EXIT

"$here/build.sh" "$prefix" "$work" --tests >/dev/null

"$repo/Tests/Fixtures/make-test-pki.sh" "$work/pki" >/dev/null
openssl x509 -in "$work/pki/inter.pem" -outform DER -out "$work/pki/inter.der"
key=$(openssl x509 -in "$work/pki/host1.pem" -noout -pubkey | openssl pkey -pubin -outform DER | openssl dgst -sha256 -hex | sed 's/.*= //')
echo "_5269._tcp.host1 TLSA 3 1 1 $key" > "$work/tlsa"
DNSWORLD_NSD_PORT=auto DNSWORLD_TLSA_FILE="$work/tlsa" "$repo/Tests/DNSWorld/up.sh" "$work/world" >/dev/null
unbound_port=$(sed -n 's/^UNBOUND_PORT=//p' "$work/world/env")

export XMPPDNA_TEST_PKI="$work/pki" XMPPDNA_TEST_SERVER="127.0.0.1@$unbound_port"
export XMPPDNA_TEST_ANCHOR="$work/world/root-ds.key" XMPPDNA_HEADER="$prefix/include/xmppdna.h"
export XMPPDNA_NIF="$work/priv/xmppdna_nif"
erl -noshell -pa "$work/ebin" -eval '
  case eunit:test(xmppdna_tests, [verbose]) of
      ok -> halt(0);
      _ -> halt(1)
  end.'
