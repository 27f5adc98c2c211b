#!/usr/bin/env bash
# The main job: a hosting provider's certificate for host1.example.net,
# checked for the customer domain example.com without and with the
# delegated name.
set -uo pipefail
cli=$1
here=$(cd "$(dirname "$0")/.." && pwd)
pki=$(mktemp -d)
trap 'rm -rf "$pki"' EXIT
"$here/Tests/Fixtures/make-test-pki.sh" "$pki" >/dev/null

run() { # expected-exit headline args...
  local want=$1 headline=$2; shift 2
  printf '\n== %s\n$ xmppdna %s\n' "$headline" "$*"
  "$cli" "$@"
  local got=$?
  if [ "$got" != "$want" ]; then echo "demo: expected exit $want, got $got" >&2; exit 1; fi
}

common=(verify "$pki/host1-chain.pem" --domain example.com --service xmpp-server --ca-file "$pki/root.pem")
run 1 "1. the hosting provider's certificate, checked for example.com without delegation" "${common[@]}"
run 0 "2. the same certificate, with host1.example.net as the name example.com delegates to" \
  "${common[@]}" --name host1.example.net
printf '\ndemo: rejected without the delegated name, accepted with it\n'
