#!/usr/bin/env bash
# Builds the NIF and the Erlang modules against an installed xmppdna, in the
# layout ejabberd loads external modules from (NAME.spec, ebin/, priv/):
#   build.sh PREFIX OUTDIR            the xmppdna binding
#   build.sh PREFIX OUTDIR --tests    and its EUnit suite
# mod_s2s_dna is built too when ejabberd's headers are installed
# (EJABBERD_LIB, default: the Debian package's /usr/lib/<triplet>/ejabberd-*).
set -euo pipefail
prefix=$1 out=$2 tests=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
erts_include=$(erl -noshell -eval 'io:format("~s", [filename:join([code:root_dir(), "usr", "include"])]), halt().')
mkdir -p "$out/ebin" "$out/priv"
# A package build, whose library is not installed yet, says where it is
# (XMPPDNA_CFLAGS, XMPPDNA_LIBS) and wants no rpath.
cflags=${XMPPDNA_CFLAGS:-$(pkg-config --cflags xmppdna)}
libs=${XMPPDNA_LIBS:-$(pkg-config --libs xmppdna) -Wl,-rpath,$prefix/lib}
# shellcheck disable=SC2086
cc -std=c11 -Wall -Wextra -Werror -O2 -shared -fPIC -I"$erts_include" $cflags \
  -o "$out/priv/xmppdna_nif.so" "$here/c_src/xmppdna_nif.c" $libs
erlc -Werror -o "$out/ebin" "$here/src/xmppdna.erl" "$here/src/xmppdna_nif.erl"
[ "$tests" = --tests ] && erlc -Werror -o "$out/ebin" "$here/test/xmppdna_tests.erl"
ejabberd_lib=${EJABBERD_LIB:-$(ls -d /usr/lib/*/ejabberd-[0-9]* 2>/dev/null | sort | tail -1)}
if [ -n "$ejabberd_lib" ] && [ -f "$ejabberd_lib/include/logger.hrl" ]; then
  # The xmpp library's headers sit beside its ebin (Debian names the folder p1_xmpp-VERSION).
  xmpp_include=$(ERL_LIBS=$(dirname "$ejabberd_lib") erl -noshell -eval \
    'io:format("~s/include", [filename:dirname(filename:dirname(code:which(xmpp)))]), halt().')
  erlc -Werror -I "$xmpp_include" -I "$ejabberd_lib/include" -pa "$ejabberd_lib/ebin" -pa "$out/ebin" \
    -o "$out/ebin" "$here/src/mod_s2s_dna.erl"
  # ejabberd's ext_mod puts the ebin of every CONTRIB_MODULES_PATH/*/NAME.spec on the code path.
  printf '{summary, "RFC 7712 DNA verdicts (DANE, delegated PKI, POSH) for s2s certificates"}.\n{author, "xmppdna"}.\n' \
    > "$out/mod_s2s_dna.spec"
  echo "built mod_s2s_dna against $ejabberd_lib"
fi
