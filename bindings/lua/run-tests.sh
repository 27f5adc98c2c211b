#!/usr/bin/env bash
# Builds the Lua 5.4 C module against an installed xmppdna and runs test.lua
# under lua5.4 (C module) and luajit (FFI), on the loopback DNS world.
#   run-tests.sh PREFIX
set -euo pipefail
prefix=$1
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
export DNSWORLD_NSD_PORT=$((36000 + $$ % 2000 * 2)) DNSWORLD_UNBOUND_PORT=$((36001 + $$ % 2000 * 2))
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

export XMPPDNA_TEST_PKI="$work/pki" XMPPDNA_TEST_SERVER="127.0.0.1@$DNSWORLD_UNBOUND_PORT"
export XMPPDNA_TEST_ANCHOR="$work/world/root-ds.key" XMPPDNA_HEADER="$prefix/include/xmppdna.h"
export XMPPDNA_LIBRARY="$prefix/lib/libxmppdna.so.1"
path="$here/?.lua;$here/?/init.lua"
LUA_PATH="$path" LUA_CPATH="$work/lib/?.so" XMPPDNA_LUA_BACKEND=c lua5.4 "$here/test.lua"
LUA_PATH="$path" XMPPDNA_LUA_BACKEND=ffi luajit "$here/test.lua"
# The FFI declarations are the installed header's: every function it names resolves in the library.
LUA_PATH="$path" luajit -e '
  local core = require "xmppdna.ffi_core"
  local count = 0
  for name in core.cdef:gmatch("(xmppdna_[%w_]+)%s*%(") do
    assert(pcall(function() return core.C[name] end), name .. " is declared but not in the library")
    count = count + 1
  end
  assert(count >= 90, "only " .. count .. " functions declared")
  print("luajit: the header'"'"'s " .. count .. " functions are declared and resolve")'
