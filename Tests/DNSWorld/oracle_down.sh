#!/usr/bin/env bash
# Stops exactly the Unbound oracle_up.sh started, by the PID it recorded.
set -uo pipefail
state=${1:?usage: oracle_down.sh STATE_DIR}
[ -f "$state/env" ] || exit 0
# shellcheck disable=SC1091
. "$state/env"
stopped() { local s; s=$(ps -o stat= -p "$1" 2>/dev/null) || return 0; case "$s" in Z*) return 0 ;; *) return 1 ;; esac; }
if [ "${PID:-0}" -gt 1 ] 2>/dev/null && ! stopped "$PID"; then
  kill -TERM "$PID" 2>/dev/null
  for _ in $(seq 1 50); do stopped "$PID" && break; sleep 0.1; done
  stopped "$PID" || kill -KILL "$PID" 2>/dev/null || true
fi
rm -f "$state/env"
