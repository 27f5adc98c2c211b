#!/usr/bin/env bash
# Checks the release artefacts: no Swift runtime needed at run time, SONAME
# libxmppdna.so.N for the header's XMPPDNA_SOVERSION N, and the exported
# symbols are exactly the functions of the public header.
#   Usage: check-release.sh LIB CLI HEADER
set -euo pipefail
lib=$1 cli=$2 header=$3
fail=0
for f in "$lib" "$cli"; do
  if ldd "$f" | grep -q 'libswift\|libFoundation\|libdispatch\|libBlocksRuntime'; then
    echo "FAIL: $f needs the Swift toolchain at run time:"; ldd "$f" | grep 'swift\|Foundation\|dispatch\|Blocks'; fail=1
  fi
done
for f in "$lib" "$cli"; do
  # A runpath would make the dynamic linker look beside the file first, and Debian refuses one.
  if readelf -d "$f" | grep -qE '\((RPATH|RUNPATH)\)'; then
    echo "FAIL: $f carries a runpath:"; readelf -d "$f" | grep -E '\((RPATH|RUNPATH)\)'; fail=1
  fi
done
soname=$(readelf -d "$lib" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
so=$(sed -n 's/^#define XMPPDNA_SOVERSION  *\([0-9]*\).*/\1/p' "$header")
[ "$soname" = "libxmppdna.so.$so" ] || { echo "FAIL: SONAME is '$soname', the header says libxmppdna.so.$so"; fail=1; }

# Exported = defined dynamic symbols with GLOBAL, WEAK or UNIQUE binding
# (readelf, not nm's letter case, so GNU-unique symbols are not missed).
# The linker adds exactly one more: XMPPDNA_N, an ABS symbol naming the
# version node of scripts/libxmppdna.map, which every versioned library
# carries. gold also keeps about 30 Swift symbols in .dynsym with LOCAL
# binding, because GOT relocations (R_X86_64_GLOB_DAT) name them; LOCAL
# symbols are never used to resolve another object's references, so they
# are not exported and are not counted here.
exported=$(readelf --dyn-syms -W "$lib" | awk '$5 ~ /^(GLOBAL|WEAK|UNIQUE)$/ && $7 != "UND" {print $8}' \
           | sed 's/@.*//' | sort -u)
declared=$(grep -oE '\bxmppdna_[a-z0-9_]+ *\(' "$header" | tr -d ' (' | sort -u)
expected=$(printf '%s\nXMPPDNA_%s\n' "$declared" "$so" | sort -u)
if [ "$exported" != "$expected" ]; then
  echo "FAIL: exported symbols differ from the functions of $header (< exported, > declared):"
  diff <(echo "$exported") <(echo "$expected") | grep '^[<>]' | head -20 || true
  fail=1
fi
count=$(echo "$declared" | wc -l)
size=$(stat -c %s "$lib")
if [ $fail = 0 ]; then
  echo "release: $lib is $size bytes ($((size / 1024)) KiB); exports exactly the $count functions of the header (+ version node XMPPDNA_$so); SONAME $soname; ldd of library and CLI shows no Swift runtime, and neither carries a runpath"
fi
exit $fail
