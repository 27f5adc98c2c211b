#!/usr/bin/env bash
# The cost of one trivial call (xmppdna_version_number) through each way in,
# beside a trivial call of the same kind that is not xmppdna's (libc's
# getpagesize through C, ctypes and the LuaJIT FFI; Lua's own math.abs for
# the Lua 5.4 C module): C directly, Python ctypes, LuaJIT FFI, Lua 5.4.
# Median and p90 of 9 rounds each, in one run.
#   bench/run-call-overhead.sh   (after make; uses out/ and installs to a temp prefix)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# XMPPDNA_PREFIX=DIR measures the xmppdna installed there instead of `make install` into a temp prefix.
prefix=${XMPPDNA_PREFIX:-$work/prefix}
[ -n "${XMPPDNA_PREFIX:-}" ] || make -C "$repo" --no-print-directory install PREFIX="$prefix" >/dev/null
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
cc -O2 -Wall -Wextra -Werror -o "$work/call_overhead" "$repo/bench/call_overhead.c" $(pkg-config --cflags --libs xmppdna) -Wl,-rpath,"$prefix/lib"
somajor=$(sed -n 's/^#define XMPPDNA_SOVERSION  *\([0-9]*\).*/\1/p' "$prefix/include/xmppdna.h")
echo "| way in | xmppdna median ns | p90 ns | same-kind trivial call median ns | p90 ns |"
echo "|---|---:|---:|---:|---:|"
"$work/call_overhead" 9 10000000 | tee "$work/c-rows"
awk -F'|' '/C, direct/ { ns = $3 + 0; printf "goal|call overhead, C|<= 100 ns|%.1f ns|%s\n", ns, ns <= 100 ? "met" : "missed" }' \
  "$work/c-rows" > "$work/goals"
XMPPDNA_LIBRARY="$prefix/lib/libxmppdna.so.$somajor" python3 - <<'PY'
import ctypes, os, statistics, time
lib = ctypes.CDLL(os.environ["XMPPDNA_LIBRARY"])
libc = ctypes.CDLL(None)


def measure(f):
    f.restype, f.argtypes = ctypes.c_int, []
    rounds = []
    for _ in range(9):
        start = time.perf_counter_ns()
        for _ in range(1000000):
            f()
        rounds.append((time.perf_counter_ns() - start) / 1000000)
    rounds.sort()
    return statistics.median(rounds), rounds[8]


ours, peer = measure(lib.xmppdna_version_number), measure(libc.getpagesize)
print("| Python ctypes | %.1f | %.1f | %.1f | %.1f |" % (ours + peer))
print("goal|call overhead, Python ctypes|<= 5 us|%.0f ns|%s" % (ours[0], "met" if ours[0] <= 5000 else "missed"))
PY
mkdir -p "$work/lua/xmppdna"
cc -O2 -shared -fPIC $(pkg-config --cflags lua5.4 xmppdna) -o "$work/lua/xmppdna/core.so" \
  "$repo/bindings/lua/xmppdna/core.c" $(pkg-config --libs xmppdna) -Wl,-rpath,"$prefix/lib"
timing='
local function median(t) table.sort(t); return t[math.floor((#t + 1) / 2)] end
local function time(f, calls)
  local rounds = {}
  for r = 1, 9 do
    local start = os.clock()
    for _ = 1, calls do f() end
    rounds[r] = (os.clock() - start) / calls * 1e9
  end
  table.sort(rounds)
  return median(rounds), rounds[9]
end
local function measure(label, ours, peer, calls)
  local a, b = time(ours, calls)
  local c, d = time(peer, calls)
  print(("| %s | %.1f | %.1f | %.1f | %.1f |"):format(label, a, b, c, d))
end'
XMPPDNA_HEADER="$prefix/include/xmppdna.h" XMPPDNA_LIBRARY="$prefix/lib/libxmppdna.so.$somajor" \
  LUA_PATH="$repo/bindings/lua/?.lua;$repo/bindings/lua/?/init.lua" luajit -e "$timing"'
  local ffi, C = require("ffi"), require("xmppdna.ffi_core").C
  ffi.cdef("int getpagesize(void);")
  measure("LuaJIT FFI", function() return C.xmppdna_version_number() end, function() return ffi.C.getpagesize() end, 10000000)'
LUA_CPATH="$work/lua/?.so" lua5.4 -e "$timing"'
  local core = require "xmppdna.core"
  measure("Lua 5.4 C module", function() return core.version_number() end, function() return math.abs(-1) end, 1000000)'
cat "$work/goals"
