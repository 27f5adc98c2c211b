#!/usr/bin/env bash
# The proof of #5: two real Prosody 0.12 servers on loopback federate because
# of mod_s2s_auth_dna, and do not without it.
#
#   The world is Tests/Prosody/world.sh: server A hosts customer domains with
#   only host1.example.net's certificate; server B (b.example.net) has
#   s2s_secure_auth = true and writes to A's users, with and without
#   mod_s2s_auth_dna. Then `xmppdna check` runs against A's domains and its
#   JSON is asserted field by field. Last, the DANE veto (#17): A presents
#   CA certificates that Prosody accepts by PKI, while example.com's signed
#   TLSA still names host1's key.
#
# Everything runs in a private network namespace (unshare -n), so ports never
# clash with the machine's; every process is stopped by PID.
#   run.sh PREFIX        PREFIX holds an installed libxmppdna
set -euo pipefail
. "$(cd "$(dirname "$0")/../Prosody" && pwd)/namespace.sh"
dna_reenter_unshared "prosody federation test" "-n" "$@"
shift
prefix=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/world.sh"
trap dna_stop_all EXIT
dna_world_up "$prefix"
work=$dna_work
# b-dna's own resolver does not validate, as many servers' do not: the module alone sees bogus DNS.
dna_extra_config="unbound = { resolvconf = false; hoststxt = false; forward = \"$dna_authoritative\" }" \
  dna_prosody_config b-dna '"127.0.2.2"' true ', "s2s_auth_dna"' b.example.net=xmpp-b
dna_prosody_config b-plain '"127.0.2.2"' true '' b.example.net=xmpp-b
# Without s2s_secure_auth, so only the module can refuse what Prosody's PKI check accepted.
dna_prosody_config b-open '"127.0.2.2"' false '' b.example.net=xmpp-b
dna_prosody_config b-open-dna '"127.0.2.2"' false ', "s2s_auth_dna"' b.example.net=xmpp-b
dna_extra_config="s2s_auth_dna_always = true; dna_ca_file = \"$dna_pki/other-root.pem\"" \
  dna_prosody_config b-always '"127.0.2.2"' true ', "s2s_auth_dna"' b.example.net=xmpp-b
# The module fails closed: a trust store libxmppdna cannot load leaves it unable to judge anything.
dna_extra_config="dna_ca_file = \"$work/missing-root.pem\"" \
  dna_prosody_config b-broken '"127.0.2.2"' false ', "s2s_auth_dna"' b.example.net=xmpp-b
dna_config_a
for domain in example.com insecure.example unsigned.example.net bogus.example; do
  prosodyctl --config "$work/a.cfg.lua" register alice "$domain" secret >/dev/null
done
prosodyctl --config "$work/b-dna.cfg.lua" register bob b.example.net secret >/dev/null
for name in b-plain b-open b-open-dna b-always b-broken; do cp -r "$work/b-dna/data/." "$work/$name/data/"; done
cp -r "$work/a/data/." "$work/a-pki/data/"

pass=0 fail=0
client=$here/xmpp_client.py
# log_check NAME LOG-NAME REGEX [absent]: REGEX (grep -E) is in, or absent from, LOG-NAME's prosody.log.
log_check() {
  local name=$1 log=$2 regex=$3 want=${4:-present} got=absent
  grep -qE -- "$regex" "$work/$log/prosody.log" && got=present
  if [ "$got" = "$want" ]; then
    echo "ok - $name"; pass=$((pass + 1))
  else
    echo "not ok - $name: /$regex/ is $got in $log's log, wanted $want"
    grep -E "xmppdna|jit|Forbidding" "$work/$log/prosody.log" | tail -6 | cut -c 1-400 | sed 's/^/    log: /'
    fail=$((fail + 1))
  fi
}
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
environment=$(tr '\0' '\n' < "/proc/${dna_pids[-1]}/environ" | grep -E '^LUA_C?PATH' || true)
if [ -z "$environment" ] && grep -qE $'\tinfo\tlibxmppdna .* \\(c binding\\)' "$work/b-dna/prosody.log"; then
  echo "ok - Prosody loads the module and its binding from installer_plugin_path, without LUA_PATH or LUA_CPATH"; pass=$((pass + 1))
else
  echo "not ok - the module did not load from installer_plugin_path${environment:+ (environment: $environment)}"
  grep -E "s2s_auth_dna|xmppdna" "$work/b-dna/prosody.log" | head -5 | sed 's/^/    log: /'; fail=$((fail + 1))
fi
deliver "with mod_s2s_auth_dna: example.com's secure delegation to host1 federates" example.com arrives b-dna \
  "xmppdna: outbound example.com proven by dane"
deliver "with the module: unsigned insecure.example federates by its POSH document" insecure.example arrives b-dna \
  "xmppdna: outbound insecure.example proven by posh"
deliver "with the module: unsigned.example.net's unsigned delegation, without POSH, is refused" unsigned.example.net fails b-dna \
  "xmppdna: delegation of unsigned.example.net is insecure"
deliver "with the module: bogus.example's expired signatures are refused with the reason" bogus.example fails b-dna \
  "xmppdna: delegation of bogus.example is bogus (Signature Expired"
log_check "with the module: bogus.example's refusal is logged at warn with the verdict's reason" b-dna \
  $'\twarn\txmppdna: outbound bogus.example not proven: .*bogus \\(Signature Expired'
log_check "loading the module logs no strict-globals warning (no read of the global 'jit')" b-dna \
  "non-existent global 'jit'" absent
echo "  the module's diagnosis as server B logged it:"
grep -E "xmppdna: (delegation|outbound|inbound)" "$work/b-dna/prosody.log" | cut -f 2- | cut -c 1-220 | sed 's/^/    /'
dna_stop_last
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

# The DANE veto (RFC 7673): example.com now presents a CA certificate naming
# it, but its signed TLSA records still name host1's key.
dna_stop_last
dna_stop_last
dna_prosody_start a-pki 127.0.0.1
dna_prosody_start b-open 127.0.2.2
deliver "without the module: example.com's CA certificate is accepted by Prosody's PKI check" example.com arrives b-open ""
dna_stop_last
dna_prosody_start b-open-dna 127.0.2.2
deliver "with the module: the same certificate is refused, as example.com's secure TLSA names another key" example.com fails b-open-dna \
  "xmppdna: outbound example.com not proven (DANE vetoes Prosody's PKI acceptance)"
log_check "with the module: the veto is logged at warn with DANE's reason" b-open-dna \
  $'\twarn\txmppdna: outbound example.com not proven .*dane: rejected \\(_5269\\._tcp\\.host1\\.example\\.net'
log_check "with the module: the veto's log line carries the finding code's tag (XMPPDNA_FINDING_TLSA_MISMATCH)" b-open-dna \
  $'\twarn\txmppdna: outbound example.com not proven \\(DANE vetoes.*dane: rejected \\(.*\\) \\[[a-z_,]*tlsa_mismatch'
log_check "with the module: the accepting finding is logged (dane_matched)" b-dna \
  $'\tinfo\txmppdna: outbound example.com proven by dane: .*\\[[a-z_,]*dane_matched'
deliver "with the module: insecure.example's CA certificate, without TLSA, keeps Prosody's acceptance" insecure.example arrives b-open-dna ""
dna_stop_last
dna_prosody_start b-broken 127.0.2.2
deliver "a module that cannot configure libxmppdna refuses what Prosody accepted (fails closed)" insecure.example fails b-broken \
  "xmppdna: cannot judge insecure.example, refused: cannot configure libxmppdna"
log_check "the configuration failure is logged at error when the module loads" b-broken \
  $'\terror\txmppdna: cannot configure libxmppdna: .*every certificate this module would judge is refused'
dna_stop_last
dna_prosody_start b-always 127.0.2.2
deliver "s2s_auth_dna_always, with a dna_ca_file that lacks the peer's root: the verdict refuses what Prosody accepted" \
  insecure.example fails b-always \
  "xmppdna: outbound insecure.example not proven (overrides Prosody's PKI acceptance): dane: not_applicable"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
