#!/usr/bin/env bash
# Compiles include/xmppdna.h together with the header the Swift compiler
# generates for the @c functions of XMPPDNACABI: a signature that drifts
# between them is a conflicting declaration and fails the build. Also
# compares the two lists of function names.
set -euo pipefail
swift=${1:-swift} scratch=${2:-.build}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$swift" build --scratch-path "$scratch" --target XMPPDNACABI >/dev/null
swiftc=$(dirname "$(readlink -f "$(command -v "$swift")")")/swiftc
"$swiftc" -typecheck -parse-as-library -module-name XMPPDNACABI Sources/XMPPDNACABI/*.swift \
  -I "$scratch/debug/Modules" \
  -Xcc -fmodule-map-file=Sources/CXMPPDNA/module.modulemap \
  -Xcc -fmodule-map-file=Sources/CIDN2/module.modulemap \
  -Xcc -fmodule-map-file=Sources/CLDNS/module.modulemap \
  -Xcc -fmodule-map-file=Sources/CPSL/module.modulemap \
  -Xcc -fmodule-map-file="$scratch/debug/CXMPPDNAShim.build/module.modulemap" \
  -Xcc -ISources/CXMPPDNAShim/include \
  -Xcc -fmodule-map-file="$scratch/debug/CXMPPDNAIO.build/module.modulemap" \
  -Xcc -ISources/CXMPPDNAIO/include \
  -emit-clang-header-path "$work/generated.h"
cat > "$work/check.c" <<C
#define XMPPDNA_HANDLES_AS_VOID 1
#include "xmppdna.h"
#include "generated.h"
int main(void) { return 0; }
C
# The generated header names the module header relative to Sources/CXMPPDNA.
"$(dirname "$swiftc")/clang" -std=c11 -fsyntax-only -Werror -I include -I Sources/CXMPPDNA -I "$work" "$work/check.c"
declared=$(grep -oE '\bxmppdna_[a-z0-9_]+ *\(' include/xmppdna.h | tr -d ' (' | sort -u)
generated=$(grep -oE 'SWIFT_EXTERN [^;]*\bxmppdna_[a-z0-9_]+\(' "$work/generated.h" | grep -oE 'xmppdna_[a-z0-9_]+' | sort -u)
if [ "$declared" != "$generated" ]; then
  echo "header drift: functions declared in include/xmppdna.h vs implemented in Swift:"
  diff <(echo "$declared") <(echo "$generated") || true
  exit 1
fi
echo "header drift check: $(echo "$declared" | wc -l) functions agree between include/xmppdna.h and the Swift @c layer"
