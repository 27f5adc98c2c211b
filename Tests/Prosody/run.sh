#!/usr/bin/env bash
# The proof of #5: two real Prosody 0.12 servers on loopback federate because
# of mod_s2s_auth_dna, and do not without it.
#
#   The world is Tests/Prosody/world.sh: server A hosts customer domains with
#   only host1.example.net's certificate; server B (b.example.net) has
#   s2s_secure_auth = true and writes to A's users, with and without
#   mod_s2s_auth_dna. Then `xmppdna check` runs against A's domains and its
#   JSON is asserted field by field.
#
# Everything runs in a private network namespace (unshare -n), so ports never
# clash with the machine's; every process is stopped by PID.
#   run.sh PREFIX        PREFIX holds an installed libxmppdna
set -euo pipefail
if [ "${1:-}" != --inside ]; then
  [ "$(id -u)" = 0 ] || { echo "Tests/Prosody/run.sh: needs root for unshare -n" >&2; exit 1; }
  start=$(date +%s.%N)
  unshare -n "$0" --inside "$@"
  printf 'prosody federation test: %.1f s in all\n' "$(echo "$(date +%s.%N) - $start" | bc)"
  exit 0
fi
shift
prefix=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/world.sh"
trap dna_stop_all EXIT
dna_world_up "$prefix"
work=$dna_work
dna_prosody_config b-dna '"127.0.2.2"' true ', "s2s_auth_dna"' b.example.net=xmpp-b
dna_prosody_config b-plain '"127.0.2.2"' true '' b.example.net=xmpp-b
dna_config_a
for domain in example.com insecure.example unsigned.example.net bogus.example; do
  prosodyctl --config "$work/a.cfg.lua" register alice "$domain" secret >/dev/null
done
prosodyctl --config "$work/b-dna.cfg.lua" register bob b.example.net secret >/dev/null
cp -r "$work/b-dna/data/." "$work/b-plain/data/"

pass=0 fail=0
client=$here/xmpp_client.py
# deliver NAME DOMAIN WANT(arrives|fails) LOG-NAME NEEDLE: bob@b.example.net writes to alice@DOMAIN.
deliver() {
  local name=$1 domain=$2 want=$3 log=$4 needle=$5 body="hello-$RANDOM-$2"
  local t0 got waiting=8
  [ "$want" = fails ] && waiting=4
  python3 "$client" receive 127.0.0.1 "alice@$domain" secret $waiting >"$work/received" 2>&1 &
  local receiver=$!
  for _ in $(seq 50); do grep -q ready "$work/received" 2>/dev/null && break; sleep 0.1; done
  t0=$(date +%s%N)
  python3 "$client" send 127.0.2.2 bob@b.example.net secret "alice@$domain" "$body" 3 >"$work/sent" 2>&1 || true
  if wait "$receiver" && grep -q "$body" "$work/received"; then got=arrives; else got=fails; fi
  if [ "$got" = "$want" ] && { [ -z "$needle" ] || grep -qF -- "$needle" "$work/$log/prosody.log"; }; then
    echo "ok - $name: message $got$( [ "$got" = arrives ] && printf ' (%d ms from login to delivery over a new s2s link)' \
      $(( ($(sed -n 's/.* at \([0-9]*\)$/\1/p' "$work/received") - t0) / 1000000 )) )"
    pass=$((pass + 1))
  else
    echo "not ok - $name: message $got, wanted $want${needle:+, log should show: $needle}"
    sed 's/^/    /' "$work/sent" | head -5
    grep -E "xmppdna|Forbidding|certificate" "$work/$log/prosody.log" | tail -8 | sed 's/^/    log: /'
    fail=$((fail + 1))
  fi
}

dna_prosody_start a 127.0.0.1
dna_prosody_start b-dna 127.0.2.2
deliver "with mod_s2s_auth_dna: example.com's secure delegation to host1 federates" example.com arrives b-dna \
  "xmppdna: outbound example.com proven by dane"
deliver "with the module: unsigned insecure.example federates by its POSH document" insecure.example arrives b-dna \
  "xmppdna: outbound insecure.example proven by posh"
deliver "with the module: unsigned.example.net's unsigned delegation, without POSH, is refused" unsigned.example.net fails b-dna \
  "xmppdna: delegation of unsigned.example.net is insecure"
deliver "with the module: bogus.example's expired signatures are refused with the reason" bogus.example fails b-dna \
  "xmppdna: delegation of bogus.example is bogus (Signature Expired"
echo "  the module's diagnosis as server B logged it:"
grep -E "xmppdna: (delegation|outbound|inbound)" "$work/b-dna/prosody.log" | cut -f 2- | cut -c 1-220 | sed 's/^/    /'
dna_prosody_stop_last
dna_prosody_start b-plain 127.0.2.2
deliver "without the module: the same message to example.com fails" example.com fails b-plain \
  "because its certificate is not valid for this name"
# xmppdna check against server A's domains; the JSON asserted field by field.
check_json() { # DOMAIN WANT-EXIT PYTHON-ASSERTIONS (d is the document)
  local domain=$1 want=$2 assertions=$3 code=0
  "$prefix/bin/xmppdna" check "$domain" --server "$dna_resolver" --anchor "$work/world/root-ds.key" \
    --ca-file "$dna_pki/root.pem" --timeout 2 --json >"$work/check.json" 2>"$work/check.err" || code=$?
  if [ "$code" = "$want" ] && python3 -c "import json,sys; d=json.load(open(sys.argv[1])); $assertions" "$work/check.json" 2>"$work/check.py"; then
    echo "ok - xmppdna check $domain: exit $code, JSON as expected"; pass=$((pass + 1))
  else
    echo "not ok - xmppdna check $domain: exit $code, wanted $want"
    python3 -c "import json,sys; d=json.load(open(sys.argv[1])); [print('   ', x['host'], x['port'], x['address'], x['verified'], x['diagnosis'][:2]) for x in d['endpoints']]; print('    dns_problem:', d['dns_problem'])" "$work/check.json" || head -c 600 "$work/check.json"
    cat "$work/check.py" "$work/check.err" 2>/dev/null | tail -5 | sed 's/^/    /'; fail=$((fail + 1))
  fi
}
check_json example.com 0 '
e = d["endpoints"]
assert d["domain"] == "example.com" and d["service"] == "xmpp-server" and d["exit_code"] == 0
assert d["dns"]["names"]["status"] == "secure" and d["dns_problem"] is None
assert sorted(t["owner"] for t in d["dns"]["tlsa"]) == ["_5269._tcp.host1.example.net", "_5269._tcp.host2.example.net", "_5270._tcp.host1.example.net"]
assert all(t["status"] == "secure" and len(t["records"]) == (3 if "host2" in t["owner"] else 2) for t in d["dns"]["tlsa"])
assert d["summary"] == {"endpoints": 6, "verified": 6, "failed": 0, "unreachable": 0}
assert sorted((x["host"], x["port"], x["direct_tls"], x["address"]) for x in e) == [("host1.example.net", 5269, False, "127.0.0.1"), ("host1.example.net", 5269, False, "::1"), ("host1.example.net", 5270, True, "127.0.0.1"), ("host1.example.net", 5270, True, "::1"), ("host2.example.net", 5269, False, "127.0.0.2"), ("host2.example.net", 5269, False, "::1")]
for x in e:
    assert x["reachable"] and x["verified"] and x["tls"]["version"].startswith("TLSv1.") and x["tls"]["cipher"]
    assert "DNS-ID host1.example.net" in x["certificate"]["names"] and x["certificate"]["chain_length"] == 2 and x["certificate"]["not_after"] == 2051222400
    assert x["verdict"]["accepted"] and x["verdict"]["prooftype"] == "dane" and x["verdict"]["tlsa_match"].startswith("3 1 1 ")
    assert x["diagnosis"][0].startswith("accepted by dane")
'
check_json insecure.example 0 '
assert d["dns"]["names"]["status"] == "insecure" and d["dns"]["tlsa"] == []
assert d["summary"] == {"endpoints": 2, "verified": 2, "failed": 0, "unreachable": 0}
for x in d["endpoints"]:
    assert x["verdict"]["prooftype"] == "posh"
    assert [a["outcome"] for a in x["verdict"]["attempts"]] == ["not_applicable", "rejected", "accepted"]
    assert any(v["what"].startswith("POSH https://insecure.example/.well-known/posh/xmpp-server.json") for v in x["verdict"]["evidence"])
'
check_json unsigned.example.net 1 '
assert d["summary"] == {"endpoints": 2, "verified": 0, "failed": 2, "unreachable": 0}
for x in d["endpoints"]:
    assert x["reachable"] and not x["verified"] and not x["verdict"]["accepted"]
    assert any("delegation via SRV is insecure (unsigned.example.net is not signed), so host1.example.net is not acceptable" in s for s in x["diagnosis"])
'
check_json bogus.example 3 '
assert d["dns"]["names"]["status"] == "bogus" and d["dns"]["names"]["extended_error"] == 7
assert d["endpoints"] == [] and "bogus" in d["dns_problem"] and d["summary"]["endpoints"] == 0
'
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
