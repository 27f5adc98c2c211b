#!/usr/bin/env bash
# Checks the release artefacts: no Swift runtime needed at run time, only
# xmppdna_* exported, SONAME libxmppdna.so.0.
set -euo pipefail
lib=$1 cli=$2
fail=0
for f in "$lib" "$cli"; do
  if ldd "$f" | grep -q 'libswift\|libFoundation\|libdispatch\|libBlocksRuntime'; then
    echo "FAIL: $f needs the Swift toolchain at run time:"; ldd "$f" | grep 'swift\|Foundation\|dispatch\|Blocks'; fail=1
  fi
done
soname=$(readelf -d "$lib" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
[ "$soname" = libxmppdna.so.0 ] || { echo "FAIL: SONAME is '$soname'"; fail=1; }
# Global symbols defined by the library. The version node name (XMPPDNA_0,
# an absolute symbol) is what the version script itself adds.
extra=$(nm -D --defined-only "$lib" | awk '$2 ~ /^[A-Z]$/ {print $3}' | sed 's/@.*//' \
        | grep -v '^xmppdna_' | grep -v '^XMPPDNA_0$' || true)
if [ -n "$extra" ]; then echo "FAIL: exported beyond xmppdna_*:"; echo "$extra" | head -20; fail=1; fi
count=$(nm -D --defined-only "$lib" | awk '$2 ~ /^[A-Z]$/' | grep -c ' xmppdna_' || true)
size=$(stat -c %s "$lib")
echo "release: $lib $((size / 1024)) KiB, $count xmppdna_* symbols, SONAME $soname; ldd shows no Swift runtime"
exit $fail
