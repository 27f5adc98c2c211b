#!/usr/bin/env bash
# Builds the Lua 5.4 C module against an installed xmppdna and runs test.lua
# under lua5.4 (C module) and luajit (FFI), on the loopback DNS world.
#   run-tests.sh PREFIX
set -euo pipefail
# A step that fails without a word still names itself.
trap 'echo "$0: line $LINENO failed (exit $?)" >&2' ERR
prefix=$1
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
# The world picks free ports (auto) and records them in its env file.
export DNSWORLD_NSD_PORT=auto
trap '"$repo/Tests/DNSWorld/down.sh" "$work/world" >/dev/null 2>&1; rm -rf "$work"' EXIT

mkdir -p "$work/lib/xmppdna"
# As Prosody's C modules are built: the Lua headers, no -llua5.4.
cc -std=c11 -Wall -Wextra -Werror -O2 -shared -fPIC $(pkg-config --cflags lua5.4 xmppdna) \
  -o "$work/lib/xmppdna/core.so" "$here/xmppdna/core.c" $(pkg-config --libs xmppdna) -Wl,-rpath,"$prefix/lib"
if ldd "$work/lib/xmppdna/core.so" | grep -q liblua; then echo "core.so links liblua" >&2; exit 1; fi

"$repo/Tests/Fixtures/make-test-pki.sh" "$work/pki" >/dev/null
key=$(openssl x509 -in "$work/pki/host1.pem" -noout -pubkey | openssl pkey -pubin -outform DER | openssl dgst -sha256 -hex | sed 's/.*= //')
echo "_5269._tcp.host1 TLSA 3 1 1 $key" > "$work/tlsa"
DNSWORLD_TLSA_FILE="$work/tlsa" "$repo/Tests/DNSWorld/up.sh" "$work/world" >/dev/null
DNSWORLD_UNBOUND_PORT=$(sed -n 's/^UNBOUND_PORT=//p' "$work/world/env")

export XMPPDNA_TEST_PKI="$work/pki" XMPPDNA_TEST_SERVER="127.0.0.1@$DNSWORLD_UNBOUND_PORT"
export XMPPDNA_TEST_ANCHOR="$work/world/root-ds.key" XMPPDNA_HEADER="$prefix/include/xmppdna.h"
soversion=$(sed -n 's/^#define XMPPDNA_SOVERSION *\([0-9]*\).*/\1/p' "$XMPPDNA_HEADER")
export XMPPDNA_LIBRARY="$prefix/lib/libxmppdna.so.$soversion"
path="$here/?.lua;$here/?/init.lua"
status=0
LUA_PATH="$path" LUA_CPATH="$work/lib/?.so" XMPPDNA_LUA_BACKEND=c XMPPDNA_TEST_DUMP="$work/c.dump" lua5.4 "$here/test.lua" || status=1
LUA_PATH="$path" XMPPDNA_LUA_BACKEND=ffi XMPPDNA_TEST_DUMP="$work/ffi.dump" luajit "$here/test.lua" || status=1
[ "$status" = 0 ] || exit 1
# Both backends read the same verdicts and name lists into the same tables.
if diff -u "$work/c.dump" "$work/ffi.dump"; then
  echo "lua5.4 and luajit: the same tables for $(grep -c '^{' "$work/c.dump") verdicts and name lists"
else
  echo "lua5.4 and luajit read the same handles into different tables" >&2; exit 1
fi
# The FFI declarations are the installed header's: every function it names resolves in the library.
LUA_PATH="$path" luajit -e '
  local core = require "xmppdna.ffi_core"
  local count = 0
  for name in core.cdef:gmatch("(xmppdna_[%w_]+)%s*%(") do
    assert(pcall(function() return core.C[name] end), name .. " is declared but not in the library")
    count = count + 1
  end
  assert(count >= 66, "only " .. count .. " functions declared")
  print("luajit: the header'"'"'s " .. count .. " functions are declared and resolve")'
# The rockspec: `luarocks make` in a copy of the sources (it builds where it
# runs), into a private tree; then the same test.lua through that tree alone.
if command -v luarocks >/dev/null; then
  version=$(sed -n 's/^#define XMPPDNA_VERSION  *"\(.*\)"/\1/p' "$XMPPDNA_HEADER")
  rockspec="xmppdna-$version-1.rockspec"
  [ -f "$here/$rockspec" ] || { echo "no $rockspec for version $version" >&2; exit 1; }
  mkdir -p "$work/rock-src/bindings"
  cp -r "$here" "$repo/bindings/prosody" "$work/rock-src/bindings/"
  cp "$repo/README.md" "$repo/LICENSE" "$repo/CHANGELOG.md" "$work/rock-src/"
  luarocks --lua-version 5.4 lint "$here/$rockspec"
  (cd "$work/rock-src" && luarocks --lua-version 5.4 make --tree "$work/rocks" "bindings/lua/$rockspec" XMPPDNA_DIR="$prefix" >/dev/null)
  [ -f "$work/rocks/share/lua/5.4/mod_s2s_auth_dna/mod_s2s_auth_dna.lua" ] || { echo "the rock has no mod_s2s_auth_dna" >&2; exit 1; }
  LUA_PATH="$work/rocks/share/lua/5.4/?.lua;$work/rocks/share/lua/5.4/?/init.lua" LUA_CPATH="$work/rocks/lib/lua/5.4/?.so" \
    XMPPDNA_LUA_BACKEND=c lua5.4 "$here/test.lua" | sed 's/^Lua 5.4 (c)/Lua 5.4 (c, from the rock)/'
else
  echo "luarocks is not installed: the rockspec was not built" >&2; exit 1
fi
