#!/usr/bin/env bash
# Starts the oracle Unbound of the differential fuzzer (issue #16): the world's
# trust anchor, one stub-zone per zone of the world, every one pointing at the
# mutating server (mutate_dns.py), and a control socket to flush its caches
# between cases.
#   oracle_up.sh STATE_DIR WORLD_STATE_DIR UPSTREAM_PORT PORT [OWNER_PID]
# Writes STATE_DIR/env (PORT, PID, CONTROL socket); oracle_down.sh stops
# exactly that PID. With OWNER_PID, a watchdog stops it too once that
# process is gone, so a crashed test leaves no Unbound behind.
set -euo pipefail
state=${1:?usage: oracle_up.sh STATE_DIR WORLD_STATE_DIR UPSTREAM_PORT PORT}
world=${2:?world state dir}
upstream=${3:?upstream (mutating server) port}
port=${4:?oracle port}
owner=${5:-}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"
mkdir -p "$state"
state=$(cd "$state" && pwd)
world=$(cd "$world" && pwd)
if [ -f "$state/env" ]; then "$here/oracle_down.sh" "$state" || true; fi
rm -f "$state/unbound.pid" "$state/control.sock"
# The zones of the world, as its NSD serves them.
zones=$(sed -n 's/^ *name: "\(.*\)"$/\1/p' "$world/nsd.conf")
[ -n "$zones" ] || { echo "oracle_up.sh: no zones in $world/nsd.conf" >&2; exit 1; }
{
  cat <<CONF
server:
  interface: 127.0.0.1@$port
  port: $port
  do-ip6: no
CONF
  unbound_runs_in "$state"
  cat <<CONF
  verbosity: 0
  val-log-level: 0
  num-threads: 1
  module-config: "validator iterator"
  trust-anchor-file: "$world/root.key"
  root-hints: ""
  access-control: 127.0.0.0/8 allow
  harden-dnssec-stripped: yes
  qname-minimisation: no
  aggressive-nsec: no
  ede: yes
  prefetch: no
  prefetch-key: no
  serve-expired: no
  minimal-responses: no
  trust-anchor-signaling: no
  root-key-sentinel: no
remote-control:
  control-enable: yes
  control-interface: "$state/control.sock"
  control-use-cert: no
CONF
  for zone in $zones; do
    printf 'stub-zone:\n  name: "%s"\n  stub-addr: 127.0.0.1@%s\n' "$zone" "$upstream"
  done
} > "$state/unbound.conf"
unbound-checkconf "$state/unbound.conf" >/dev/null
unbound -c "$state/unbound.conf"
listening() { [ -s "$state/unbound.pid" ] && [ -S "$state/control.sock" ]; }
wait_until listening
pid=$(cat "$state/unbound.pid" 2>/dev/null || echo 0)
cat > "$state/env" <<ENV
PORT=$port
PID=$pid
CONTROL=$state/control.sock
CONF=$state/unbound.conf
ENV
unbound-control -c "$state/unbound.conf" status >/dev/null 2>&1 || {
  echo "oracle_up.sh: the oracle Unbound did not start; log:" >&2; tail -5 "$state/unbound.log" >&2 || true; exit 1; }
if [ -n "$owner" ]; then
  ( while kill -0 "$owner" 2>/dev/null && kill -0 "$pid" 2>/dev/null; do sleep 1; done
    "$here/oracle_down.sh" "$state" ) </dev/null >/dev/null 2>&1 &
fi
