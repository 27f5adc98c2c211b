#!/usr/bin/env bash
# Builds xmppdna-fuzz with libFuzzer and AddressSanitizer and runs the targets.
#   fuzz/run.sh build
#   fuzz/run.sh smoke SECONDS [TARGET...]   each target SECONDS from the seeds and
#                                           regressions, two at a time; any finding fails
#   fuzz/run.sh long RUNS [TARGET...]       each target RUNS executions on a kept
#                                           working corpus (.build-fuzz/corpus), one
#                                           line per target appended to fuzz/results.log;
#                                           FUZZ_MAX_SECONDS caps each target's time
# Findings land in .build-fuzz/findings/TARGET/; once fixed, copy each input to
# fuzz/regressions/TARGET/, which the Swift tests replay.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
scratch=${FUZZ_SCRATCH:-$root/.build-fuzz}
swift=${SWIFT:-$(command -v swift || echo /opt/swift/usr/bin/swift)}
bin=$scratch/release/xmppdna-fuzz
all_targets="chain match match-openssl tlsa posh dns names http"
export SWIFT_BACKTRACE=enable=no   # libFuzzer reports crashes itself
# A small quarantine: the default 256 MB made RSS look like growth and cost a third of the speed.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1:quarantine_size_mb=32}

build() {
  local toolchain_lib libfuzzer
  toolchain_lib=$(dirname "$(dirname "$(readlink -f "$swift")")")/lib
  libfuzzer=$(ls "$toolchain_lib"/clang/*/lib/linux/libclang_rt.fuzzer_no_main-x86_64.a | head -1)
  # Coverage and ASan on every Swift module; the libFuzzer driver without its
  # main, because SwiftPM already names the program's entry point.
  "$swift" build -c release --scratch-path "$scratch" --product xmppdna-fuzz \
    -Xswiftc -sanitize=address -Xswiftc -sanitize-coverage=edge,trace-cmp,inline-8bit-counters,pc-table \
    -Xswiftc -DXMPPDNA_LIBFUZZER -Xlinker "$libfuzzer" -Xlinker -lstdc++ 2>&1 | grep -v -e '^warning:' -e 'Cannot export local symbol' || true
  [ -x "$bin" ] || { echo "fuzz/run.sh: build failed" >&2; exit 1; }
}

seeds_of() { # target -> directories that exist
  for d in "$here/corpus/$1" "$here/regressions/$1"; do [ -d "$d" ] && echo "$d"; done
}

# match slowed from 1,360 to 782 execs/s as its inputs grew to the 4 KiB default, with no more
# coverage; 512 bytes hold a 253-octet reference and a 252-octet SAN (match-openssl
# pairs two longest names). http: 1 KiB reaches every limit below it (100 fields, the 64-byte
# body limit of flag bit 0) at twice the speed of 4 KiB, which reaches no more of the 4 KiB line
# and 16 KiB header limits (the unit tests cover those). Measurements: RESULTS.md.
target_flags() {
  case $1 in
    match) echo -max_len=512 ;;
    http) echo -max_len=1024 ;;
  esac
}

# run_one TARGET WORKDIR LOG libFuzzer-flags...
run_one() {
  local target=$1 work=$2 log=$3; shift 3
  mkdir -p "$work" "$scratch/findings/$target"
  # shellcheck disable=SC2046
  "$bin" "$target" $(target_flags "$target") "$@" -artifact_prefix="$scratch/findings/$target/" -rss_limit_mb=2048 -timeout=20 \
    -print_final_stats=1 "$work" $(seeds_of "$target") >"$log" 2>&1
}

execs_of() { # log -> executions libFuzzer reported at the end
  sed -n 's/^stat::number_of_executed_units: *//p' "$1" | tail -1 || true
}

summary() { # target log -> "target execs cov ft corpus"
  local execs cov
  execs=$(execs_of "$2")
  cov=$(grep -Eo 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+' "$2" | tail -1 || true)
  echo "$1 execs=${execs:-?} ${cov:-no coverage line}"
}

mode=${1:-}
case "$mode" in
  build) build ;;
  smoke)
    seconds=${2:?seconds}; shift 2
    targets=${*:-$all_targets}
    build
    logs=$(mktemp -d)
    failed=0
    set -- $targets
    while [ $# -gt 0 ]; do
      pids=""
      for t in "$1" ${2:-}; do
        run_one "$t" "$logs/$t.corpus" "$logs/$t.log" -max_total_time="$seconds" & pids="$pids $!"
      done
      shift; [ $# -gt 0 ] && shift
      for p in $pids; do wait "$p" || failed=1; done
    done
    for t in $targets; do
      summary "$t" "$logs/$t.log"
      if grep -q -e 'ERROR: ' -e 'deadly signal' -e 'fuzz invariant' "$logs/$t.log"; then
        failed=1; echo "--- $t finding:"; grep -A25 -e 'ERROR: ' -e 'fuzz invariant' "$logs/$t.log" | head -60
      fi
    done
    rm -rf "$logs"
    [ "$failed" = 0 ] || { echo "fuzz smoke: FINDINGS (inputs under $scratch/findings)"; exit 1; }
    echo "fuzz smoke: no findings"
    ;;
  long)
    runs=${2:?runs}; shift 2
    targets=${*:-$all_targets}
    build
    mkdir -p "$scratch/logs"
    for t in $targets; do
      log=$scratch/logs/$t.log
      start=$(date +%s)
      rc=0
      run_one "$t" "$scratch/corpus/$t" "$log" -runs="$runs" ${FUZZ_MAX_SECONDS:+-max_total_time=$FUZZ_MAX_SECONDS} || rc=$?
      # libFuzzer exits 0 at the end of its runs or its time, 72 on SIGINT,
      # anything else on a finding.
      case $rc in
        0) status=ok ;;
        72) status="stopped by SIGINT" ;;
        *) status=FINDING ;;
      esac
      [ "$rc" = 0 ] && [ "$(execs_of "$log")" != "$runs" ] && status="stopped at the time limit"
      echo "$(date -u +%F) $(summary "$t" "$log") seconds=$(( $(date +%s) - start )) $status" | tee -a "$here/results.log"
    done
    ;;
  *) sed -n '2,11p' "$0"; exit 2 ;;
esac
