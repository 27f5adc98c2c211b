#!/usr/bin/env bash
# Stops exactly the processes up.sh started, by the PIDs it recorded.
set -uo pipefail
state=${1:?usage: down.sh STATE_DIR}
[ -f "$state/env" ] || exit 0
# shellcheck disable=SC1091
. "$state/env"
stopped() { # a zombie (state Z) has already stopped
  local s; s=$(ps -o stat= -p "$1" 2>/dev/null) || return 0
  case "$s" in Z*) return 0 ;; *) return 1 ;; esac
}
for pid in "${NSD_PID:-0}" "${UNBOUND_PID:-0}"; do
  [ "$pid" -gt 1 ] 2>/dev/null || continue
  stopped "$pid" && continue
  kill -TERM "$pid" 2>/dev/null || continue
  for _ in $(seq 1 50); do stopped "$pid" && break; sleep 0.1; done
  stopped "$pid" || kill -KILL "$pid" 2>/dev/null || true
done
rm -f "$state/env"
