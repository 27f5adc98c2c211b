# shellcheck shell=bash
# Functions the world's start scripts (up.sh, oracle_up.sh) share; sourced.

# wait_until COMMAND [ARG...]: runs COMMAND every 0.1 s until it succeeds, for
# at most 5 s. It returns 0 either way: a daemon that has not written its PID
# file by then is found out by the caller's own check that it answers.
wait_until() {
  local _
  for _ in $(seq 1 50); do
    "$@" && return 0
    sleep 0.1
  done
  return 0
}

# unbound_runs_in STATE: the server: lines that keep an Unbound on loopback
# and unprivileged, with its PID file, log and working directory in STATE.
unbound_runs_in() {
  cat <<CONF
  interface-automatic: no
  outgoing-interface: 127.0.0.1
  do-not-query-localhost: no
  username: ""
  chroot: ""
  directory: "$1"
  pidfile: "$1/unbound.pid"
  use-syslog: no
  logfile: "$1/unbound.log"
CONF
}
