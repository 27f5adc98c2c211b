#!/usr/bin/env bash
# Installs the Debian packages with apt-get into a throwaway root, uses them
# as an operator and a developer would, removes them, and checks that
# nothing is left behind. The root is this machine's own, seen through an
# overlay in a private mount namespace (unshare -m; needs root): every write
# lands in a tmpfs that vanishes with the namespace. The Swift toolchain and
# any xmppdna installed under /usr/local are hidden first, so only what the
# packages bring can answer.
#   Usage: Tests/Packaging/run.sh DEBDIR PKIDIR
set -euo pipefail
debs=$(cd "$1" && pwd) pki=$(cd "$2" && pwd)
root_dir=$(cd "$(dirname "$0")/../.." && pwd)
[ "$(id -u)" = 0 ] || { echo "packaging test: needs root (unshare -m, mount, chroot)"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/layers" "$work/root"
# The namespace's program is a file, not stdin, so that no command it runs
# (erl reads its stdin) can swallow the rest of it.
unshare -m --propagation private bash "$root_dir/Tests/Packaging/in-namespace.sh" "$work" "$debs" "$pki" "$root_dir"
