#!/usr/bin/env bash
# Builds the C programs against an installed xmppdna (header, library and
# .pc file) and runs them under valgrind. Usage: Tests/C/run.sh PREFIX PKI_DIR
set -euo pipefail
prefix=$1 pki=$2
here=$(cd "$(dirname "$0")" && pwd)
build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
flags=$(pkg-config --cflags --libs xmppdna)
cc -std=c11 -Wall -Wextra -Werror -o "$build/api_test" "$here/api_test.c" $flags -Wl,-rpath,"$prefix/lib"
cc -std=c11 -Wall -Wextra -Werror -o "$build/example" "$here/example.c" $flags -Wl,-rpath,"$prefix/lib"

grind=(valgrind --quiet --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,possible
       --errors-for-leak-kinds=definite,possible --suppressions="$here/valgrind.supp")
"${grind[@]}" "$build/api_test" "$pki"
"${grind[@]}" "$build/example" "$pki/host1-chain.pem" example.com "$pki/root.pem" 1893456000 >/dev/null && {
  echo "example: host1 accepted for example.com without delegation"; exit 1; } || [ $? = 1 ]
"${grind[@]}" "$build/example" "$pki/host1-chain.pem" example.com "$pki/root.pem" 1893456000 host1.example.net >/dev/null
echo "C tests: api_test and example clean under valgrind (0 errors, 0 definitely or possibly lost)"
