#!/usr/bin/env bash
# `make bench`: runs every benchmark, each beside its peer in the same run,
# and writes bench/RESULTS.md (machine, date, command, table per row, then
# bench/GOALS.md). bench/HISTORY.md keeps the earlier runs.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=$root/bench/RESULTS.md
tmp=$(mktemp) goals=$(mktemp)
trap 'rm -f "$tmp" "$goals"' EXIT
# Each script prints its tables (lines starting with "|") and its goals as
# goal|CASE|GOAL|MEASURED|met-or-missed lines, judged from its own numbers.
section() { # TITLE COMMAND...
  local title=$1 out; shift
  printf '\n## %s\n\n`%s`\n\n' "$title" "$*" >> "$tmp"
  out=$("$@")
  # The tables, a blank line between two of them.
  awk '/^\|/ { if (gap && seen) print ""; print; seen = 1; gap = 0; next } { gap = 1 }' <<<"$out" >> "$tmp"
  grep -E '^goal\|' <<<"$out" >> "$goals" || true
}
{
  echo "# Benchmark results"
  echo
  echo "Written by \`make bench\` ($(date -u +%Y-%m-%d), $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //');"
  echo "$(openssl version | cut -d' ' -f1-2), libunbound $(dpkg-query -W -f='${Version}' libunbound8 2>/dev/null || echo '?'))."
  echo "Every peer is measured in the same run, interleaved where the script says so; these machines are"
  echo "noisy (medians move up to 1.5x between runs), so read the ratios. The goals and their status are"
  echo "at the end; earlier runs and what changed between them: bench/HISTORY.md."
} > "$tmp"
section "Name match; PKI and DANE-EE verdicts, chains seen and never seen (C ABI, OpenSSL, pyca/service-identity)" bench/run-match-verdict.sh 21
section "Delegation name list, cold and warm (libunbound sync and async, drill -S)" bench/run-namelist.sh 30
section "1,000,000 verdicts and async throughput" bench/run-memory-throughput.sh
section "10,000 concurrent lookups, a tenth slow, beside libunbound async (issue #23)" bench/run-slow-lookups.sh
section "Call overhead through each binding" bench/run-call-overhead.sh
section "The Erlang NIF beside a trivial NIF (issue #19)" bench/run-erlang-nif.sh 200
section "A server's load: async DNA verdicts over many peers (issue #20)" bench/run-server-load.sh
{
  echo
  echo "## Goals, judged from this run"
  echo
  echo "| case | goal | measured | status |"
  echo "|---|---|---|---|"
  awk -F'|' '{ printf "| %s | %s | %s | %s |\n", $2, $3, $4, ($5 == "met" ? "met" : "**" $5 "**") }' "$goals"
  echo
  sed 's/^# /## /' "$root/bench/GOALS.md"
} >> "$tmp"
mv "$tmp" "$out"
trap - EXIT
echo "wrote $out"
