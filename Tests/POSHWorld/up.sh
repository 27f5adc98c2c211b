#!/usr/bin/env bash
# Starts the loopback HTTPS server in the background and prints "PID PORT"
# once it listens; the caller stops it with kill PID.
#   up.sh ROOT --cert NAME=CERT,KEY[,CHAIN] ...
set -euo pipefail
root=$1; shift
here=$(cd "$(dirname "$0")" && pwd)
pidfile="$root.pid"
rm -f "$pidfile"
python3 "$here/https_server.py" --port 0 --root "$root" --pidfile "$pidfile" "$@" >/dev/null 2>&1 &
for _ in $(seq 100); do [ -s "$pidfile" ] && { cat "$pidfile"; rm -f "$pidfile"; exit 0; }; sleep 0.05; done
echo "POSHWorld/up.sh: the HTTPS server did not start" >&2
exit 1
