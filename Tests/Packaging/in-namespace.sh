#!/usr/bin/env bash
# Tests/Packaging/run.sh's work inside its private mount namespace (see there):
#   in-namespace.sh WORK DEBDIR PKIDIR REPO
set -euo pipefail
work=$1 debs=$2 pki=$3 repo=$4
mount -t tmpfs tmpfs "$work/layers"
mkdir -p "$work/layers/upper" "$work/layers/work"
mount -t overlay overlay -o "lowerdir=/,upperdir=$work/layers/upper,workdir=$work/layers/work" "$work/root"
for dir in proc sys dev; do mount --rbind "/$dir" "$work/root/$dir"; done
mount -t tmpfs tmpfs "$work/root/tmp"
in_root() { chroot "$work/root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@" </dev/null; }
pass=0
check() {
  local what=$1; shift
  if "$@"; then pass=$((pass + 1)); echo "ok - $what"; else echo "not ok - $what"; exit 1; fi
}

rm -rf "$work/root/opt/swift" "$work/root/usr/local/lib/libxmppdna"* "$work/root/usr/local/include/xmppdna.h" \
       "$work/root/usr/local/lib/pkgconfig/xmppdna.pc" "$work/root/usr/local/bin/xmppdna" \
       "$work/root/usr/local/share/lua/5.4/xmppdna" "$work/root/usr/local/lib/lua/5.4/xmppdna"
# What went in through the overlay, but the package manager's own records,
# before and after: the upper layer's names. The machine's root is the lower
# layer, and what other processes write to it meanwhile never shows here.
snapshot() {
  (cd "$work/layers/upper" && find . -xdev \( -path ./proc -o -path ./sys -o -path ./dev -o -path ./tmp -o -path ./run \
      -o -path ./var/lib/dpkg -o -path ./var/lib/apt -o -path ./var/cache -o -path ./var/log -o -path ./root \) -prune \
      -o -print | LC_ALL=C sort)
}
snapshot > "$work/layers/before"

mkdir -p "$work/root/tmp/debs"
cp "$debs"/*.deb "$work/root/tmp/debs/"
packages=$(cd "$debs" && for deb in *.deb; do dpkg-deb -f "$deb" Package; done | tr '\n' ' ')
echo "# installing: $packages"
check "apt-get installs every package from its .deb" \
  in_root sh -c 'DEBIAN_FRONTEND=noninteractive apt-get install -y -q /tmp/debs/*.deb >/tmp/apt.log 2>&1 || { cat /tmp/apt.log; exit 1; }'
check "the toolchain is gone: nothing can come from /opt/swift" test ! -e "$work/root/opt/swift"

mkdir -p "$work/root/tmp/c" "$work/root/tmp/pki"
cp "$repo/Tests/C/example.c" "$work/root/tmp/c/"
cp "$pki"/*.pem "$work/root/tmp/pki/"
check "Tests/C/example.c compiles against pkg-config xmppdna" \
  in_root sh -c 'cc -std=c11 -Wall -Werror -o /tmp/c/example /tmp/c/example.c $(pkg-config --cflags --libs xmppdna)'
check "the README's example: host1 is rejected for example.com, and accepted once delegated" \
  in_root sh -c '! /tmp/c/example /tmp/pki/host1-chain.pem example.com /tmp/pki/root.pem 1893456000 >/dev/null &&
                 /tmp/c/example /tmp/pki/host1-chain.pem example.com /tmp/pki/root.pem 1893456000 host1.example.net >/dev/null'
version=$(sed -n 's/^#define XMPPDNA_VERSION  *"\(.*\)"/\1/p' "$repo/include/xmppdna.h")
check "xmppdna --version says $version" in_root sh -c "xmppdna --version | grep -qx 'xmppdna $version'"
check "man xmppdna and man xmppdna_ctx_new find their pages" \
  in_root sh -c 'man -w xmppdna >/dev/null && man -w 3 xmppdna_ctx_new >/dev/null && man -w xmppdna-check >/dev/null'
check "bash completes xmppdna's subcommands" \
  in_root bash -c 'source /usr/share/bash-completion/completions/xmppdna && COMP_WORDS=(xmppdna ch) COMP_CWORD=1 COMP_LINE="xmppdna ch" COMP_POINT=10 && _xmppdna && [[ " ${COMPREPLY[*]} " == *" check "* ]]'
check "zsh and fish completions are where the shells look" \
  test -f "$work/root/usr/share/zsh/vendor-completions/_xmppdna" -a -f "$work/root/usr/share/fish/vendor_completions.d/xmppdna.fish"
check "import xmppdna in Python" \
  in_root python3 -c "import xmppdna; assert xmppdna.library_version() == '$version'"
check "require \"xmppdna\" in Lua 5.4" \
  in_root lua5.4 -e "local x = require 'xmppdna'; assert(x.version() == '$version')"
check "the Erlang binding loads its NIF" \
  in_root erl -noshell -eval "\"$version\" = binary_to_list(xmppdna:version()), halt()."
check "the Prosody module is where Prosody looks" \
  test -f "$work/root/usr/lib/prosody/modules/mod_s2s_auth_dna/mod_s2s_auth_dna.lua"

check "apt-get purges them all" \
  in_root sh -c "DEBIAN_FRONTEND=noninteractive apt-get purge -y -q $packages >/tmp/apt.log 2>&1 || { cat /tmp/apt.log; exit 1; }"
rm -rf "$work/root/tmp/debs" "$work/root/tmp/c" "$work/root/tmp/pki"
snapshot > "$work/layers/after"
# Left behind: a name the packages added that the machine's root does not
# have (a name it has is a copy made to change it, as ldconfig does), or a
# file they hid (an overlay whiteout, a character device).
left=$(comm -13 "$work/layers/before" "$work/layers/after" | while IFS= read -r path; do
  if [ -c "$work/layers/upper/$path" ] || { [ ! -e "/$path" ] && [ ! -L "/$path" ]; }; then echo "$path"; fi
done)
[ -z "$left" ] || echo "$left"
check "nothing is left behind" test -z "$left"
echo "packaging: $pass passed, 0 failed"
