# Sourced first by the tests that run servers on the standard ports: runs
# the calling script again in private namespaces (unshare FLAGS, as root),
# prints how long it took and exits with its status. Inside, the first
# argument is --inside, which the caller shifts away.
#   dna_reenter_unshared "LABEL" "FLAGS" "$@"; shift
dna_reenter_unshared() {
  local label=$1 flags=$2 start
  shift 2
  [ "${1:-}" = --inside ] && return 0
  [ "$(id -u)" = 0 ] || { echo "$0: needs root for unshare $flags" >&2; exit 1; }
  start=$(date +%s.%N)
  # shellcheck disable=SC2086  # FLAGS is a list of options
  unshare $flags "$0" --inside "$@"
  printf '%s: %.1f s in all\n' "$label" "$(echo "$(date +%s.%N) - $start" | bc)"
  exit 0
}
