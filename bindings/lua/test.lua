-- One test file for both Lua bindings: run it with lua5.4 (the C module)
-- and with luajit (the FFI module). Needs XMPPDNA_TEST_PKI (a fixture PKI),
-- XMPPDNA_TEST_SERVER and XMPPDNA_TEST_ANCHOR (the loopback DNS world) and
-- XMPPDNA_HEADER (the installed xmppdna.h). With XMPPDNA_TEST_DUMP, writes
-- some verdicts and a name list in a canonical form to that file, so that
-- run-tests.sh can compare what the two backends made of the same handles.
local xmppdna = require "xmppdna"

local pki = assert(os.getenv("XMPPDNA_TEST_PKI"), "XMPPDNA_TEST_PKI")
local server = assert(os.getenv("XMPPDNA_TEST_SERVER"), "XMPPDNA_TEST_SERVER")
local anchor = assert(os.getenv("XMPPDNA_TEST_ANCHOR"), "XMPPDNA_TEST_ANCHOR")
local header_path = assert(os.getenv("XMPPDNA_HEADER"), "XMPPDNA_HEADER")
local interpreter = (jit and jit.version or _VERSION) .. " (" .. xmppdna.backend .. ")"
local passed, failed = 0, 0
local F = xmppdna.FINDING

local function check(ok, what)
  if ok then passed = passed + 1 else failed = failed + 1; print("not ok - " .. what) end
end

local function read(name)
  local file = assert(io.open(pki .. "/" .. name, "rb"))
  local data = file:read("*a")
  file:close()
  return data
end

-- Every finding of a verdict (or attempt), as "tag(code)" for messages.
local function codes(t)
  local list = {}
  for _, f in ipairs(t and t.findings or {}) do list[#list + 1] = tostring(f.tag) .. "(" .. f.code .. ")" end
  return table.concat(list, " ")
end

local host1, full = read("host1-chain.pem"), read("full-chain.pem")
check(xmppdna.version():match("^%d+%.%d+%.%d+$") ~= nil, "version")

-- The constants: every numeric #define of the header, with its value, in
-- both backends (the C module's are compiled in, the FFI's read from the header).
do
  local file = assert(io.open(header_path, "r"))
  local header = file:read("*a")
  file:close()
  local wanted, count, findings = {}, 0, 0
  for name, value in header:gmatch("\n#define (XMPPDNA_[%w_]+)[ \t]+(%-?%w+)") do
    value = tonumber((value:gsub("^(%-?[%dxXa-fA-F]+)[uU]$", "%1")))
    if value then wanted[name], count = value, count + 1 end
  end
  local same = true
  for name, value in pairs(wanted) do
    if xmppdna.const[name] ~= value then same = false; print("  constant " .. name .. ": " .. tostring(xmppdna.const[name])) end
  end
  for name, value in pairs(xmppdna.const) do
    if type(value) == "number" and wanted[name] == nil then same = false; print("  extra constant " .. name) end
  end
  check(same and count > 90, "the backend's constants are the header's " .. count)
  local tagged = true
  for name, value in pairs(wanted) do
    local suffix = name:match("^XMPPDNA_FINDING_(.+)$")
    if suffix then
      findings = findings + 1
      tagged = tagged and xmppdna.finding_tag(value) == suffix:lower() and F[suffix] == value
    end
  end
  check(tagged and findings >= 40, "all " .. findings .. " finding codes have their tag")
  check(F.TLSA_MISMATCH == 206 and F.PKI_NO_NAME_MATCHES == 102 and xmppdna.finding_tag(206) == "tlsa_mismatch",
        "FINDING.TLSA_MISMATCH is 206, PKI_NO_NAME_MATCHES 102")
  check(xmppdna.finding_tag(9999) == nil, "an unknown code has no tag")
end

-- Errors come back as nil, message, code; nothing raises.
local ctx, err, code = xmppdna.context { ca_file = pki .. "/missing.pem" }
check(ctx == nil and code == -6 and err:find("trust store"), "unloadable trust store is -6")
ctx, err, code = xmppdna.context { ca_dir = pki .. "/missing-dir" }
check(ctx == nil and code == -6, "unreadable CA directory is -6")
ctx, err, code = xmppdna.context { dns_deadline_ms = 50 }
check(ctx == nil and code == -2, "a lookup deadline under 100 ms is -2")
ctx, err, code = xmppdna.context { limits = { dns_in_flight = 8, dns_per_zone = 9 } }
check(ctx == nil and code == -2, "a per-zone limit above the context's is -2")
ctx, err, code = xmppdna.context { cache_limits = { verified_chains = 0 } }
check(ctx == nil and code == -2, "a cache bound of 0 is -2")
local ok
ok, err, code = xmppdna.set_certificate_cache_limit(0)
check(ok == nil and code == -2, "a certificate cache bound of 0 is -2")
check(xmppdna.set_certificate_cache_limit(2048) == true, "the certificate cache bound is set")
ctx, err, code = xmppdna.context { no_pkix = true }
check(ctx == nil and code == -2 and err:find("names_only"), "no_pkix is gone, and says what replaced it")
ctx, err, code = xmppdna.context { servers = { "not a server" } }
check(ctx == nil and code and code < 0, "a bad server address is refused: " .. tostring(code))
ctx = assert(xmppdna.context { ca_file = pki .. "/root.pem", ca_dir = pki .. "/cadir", servers = { server },
                               trusted_resolvers = { server }, anchor_file = anchor, dns_timeout_ms = 2000,
                               dns_retries = 1, dns_deadline_ms = 20000, cache_ttl_min = 1, cache_ttl_max = 600,
                               limits = { dns_in_flight = 64, dns_per_zone = 8, posh_in_flight = 8, posh_per_zone = 2 },
                               cache_limits = { dns_entries = 100, posh_documents = 10, verified_chains = 1 } })
check(ctx:flush_cache() == true, "flush_cache")
local result
result, err, code = ctx:names("exa mple.com")
check(result == nil and code == -3, "bad name is -3")
result, err, code = ctx:names("example.com\0.evil.test")
check(result == nil and code == -4, "NUL inside a name is refused, not cut short")
result, err, code = ctx:verify("not a certificate", "example.com")
check(result == nil and code == -5, "garbage chain is -5")
result, err, code = ctx:names("example.com", "smtp")
check(result == nil and code == -2, "unknown service")
result, err, code = ctx:verify(host1, "example.com", { prooftypes = { "dane", "pki" }, names_only = true })
check(result == nil and code == -2, "names_only with other prooftypes than {pki} is -2")
result, err, code = ctx:verify(host1, "example.com", { references = { { type = "cn", value = "example.com" } } })
check(result == nil and code == -2, "a CN is not a reference type")

-- Hostile sizes (#8): oversized names and labels, 10,000 SANs, a 1 MiB chain.
result, err, code = ctx:verify(full, string.rep("a", 1048576), { prooftypes = { "pki" } })
check(result == nil and code == -3, "a 1 MiB name is -3")
result, err, code = ctx:verify(full, string.rep("b", 64) .. ".example", { prooftypes = { "pki" } })
check(result == nil and code == -3, "a 64-octet label is -3")
result, err, code = ctx:verify(full, "\255.example", { prooftypes = { "pki" } })
check(result == nil and code == -4, "non-UTF-8 is -4")
result, err, code = ctx:verify(string.rep("\48", 1048576), "example.com", { prooftypes = { "pki" } })
check(result == nil and code == -5, "1 MiB of garbage is -5")
local many = read("many-sans-chain.pem")
check(ctx:verify(many, "example.com", { prooftypes = { "pki" } }).accepted == true, "10,000 SANs, the last matches")
result = ctx:verify(many, "nomatch.example", { prooftypes = { "pki" } })
check(result.accepted == false and xmppdna.finding(result, F.PKI_NO_NAME_MATCHES) ~= nil,
      "10,000 SANs, none matches: " .. codes(result))
local huge = string.rep(full, math.floor(1048576 / #full) + 1)
check(#huge > 1048576 and ctx:verify(huge, "example.com", { prooftypes = { "pki" } }).accepted == true,
      "a 1 MiB chain is judged")

-- Delegation on the loopback world.
local names = assert(ctx:names("example.com"))
check(names.status == "secure" and names.kind == "srv" and names.trust_mode == "validate",
      "example.com is a secure delegation")
check(names.domain == "example.com" and names.acceptable_names[1].status == "none",
      "the list starts with the domain itself, which needs no DNS")
local listed = {}
for _, entry in ipairs(names.acceptable_names) do listed[entry.name] = entry end
check(listed["host1.example.net"] and listed["host1.example.net"].status == "secure"
      and listed["host1.example.net"].type == "dns", "host1.example.net is acceptable")
check(#names.candidates >= 2 and names.candidates[1].host == "host1.example.net" and names.candidates[1].port == 5269
      and names.candidates[1].direct_tls == false and names.candidates[1].status == "secure", "candidates in order")
check(ctx:names("insecure.example").status == "insecure", "insecure.example")
local bogus = ctx:names("bogus.example")
check(bogus.status == "bogus" and bogus.reason:find("Signature Expired") and bogus.extended_error == 7,
      "bogus.example with its reason and Extended DNS Error 7")
check(#bogus.acceptable_names == 1 and #bogus.candidates == 0, "a bogus list is the domain alone")

-- The DNA verdict.
local verdict = assert(ctx:verify(host1, "example.com", { endpoint = { "host1.example.net", 5269 } }))
check(verdict.accepted == true and verdict.prooftype == "dane", "host1 accepted by DANE for example.com")
check(verdict.attempts[2].prooftype == "pki" and verdict.attempts[2].outcome == "not_tried", "attempts listed")
local matched = xmppdna.finding(verdict, F.DANE_MATCHED)
check(matched and matched.tag == "dane_matched" and matched.prooftype == "dane" and matched.outcome == "accepted"
      and matched.subject == "_5269._tcp.host1.example.net" and (matched.seen or ""):match("^3 1 1 ")
      and matched.depth == 0 and type(matched.text) == "string", "DANE_MATCHED: the TLSA owner and record: " .. codes(verdict))
check(xmppdna.finding(verdict.attempts[1], "dane_matched") == matched, "the attempt carries its own findings")
local pki_after = xmppdna.finding(verdict.attempts[2], F.ALREADY_ACCEPTED)
check(pki_after and (pki_after.seen or ""):lower():find("dane"), "PKI not tried: already accepted by DANE")
local consistent = true
for _, attempt in ipairs(verdict.attempts) do
  for _, f in ipairs(attempt.findings) do consistent = consistent and f.prooftype == attempt.prooftype end
end
check(consistent, "every finding belongs to its attempt's prooftype")
local tlsa_evidence = false
for _, item in ipairs(verdict.evidence) do
  tlsa_evidence = tlsa_evidence or (item.what:find("_5269._tcp.host1.example.net", 1, true) and item.status == "secure")
end
check(tlsa_evidence, "the secure TLSA RRset is evidence")

verdict = assert(ctx:verify(host1, "example.com", { prooftypes = { "pki" } }))
check(verdict.accepted and verdict.matches[1].reference.value == "host1.example.net"
      and verdict.matches[1].reference.type == "dns" and verdict.matches[1].presented.value == "host1.example.net",
      "PKI via delegation")
check(verdict.chain.status == "valid" and verdict.chain.openssl_code == 0 and verdict.chain.text == nil, "chain valid")
check(verdict.presented[1] and verdict.presented[1].value == "host1.example.net" and verdict.presented[1].usable == true,
      "presented identifiers")
local name_matched = xmppdna.finding(verdict, F.PKI_NAME_MATCHED)
check(name_matched and (name_matched.expected or ""):find("host1.example.net", 1, true)
      and (name_matched.seen or ""):find("host1.example.net", 1, true), "PKI_NAME_MATCHED: " .. codes(verdict))

verdict = assert(ctx:verify(host1, "insecure.example", { prooftypes = { "dane", "pki" } }))
check(verdict.accepted == false and verdict.attempts[2].reason:find("delegation via SRV is insecure"),
      "insecure delegation rejected with the reason")
local not_secure = xmppdna.finding(verdict.attempts[2], F.DELEGATION_NOT_SECURE)
check(not_secure and not_secure.dnssec == "insecure" and xmppdna.finding(verdict, F.PKI_NO_NAME_MATCHES),
      "DELEGATION_NOT_SECURE (insecure) and PKI_NO_NAME_MATCHES: " .. codes(verdict))
local dane_na = verdict.attempts[1].outcome == "not_applicable" and #verdict.attempts[1].findings > 0
for _, f in ipairs(verdict.attempts[1].findings) do dane_na = dane_na and f.outcome == "not_applicable" end
check(dane_na, "no DANE for an unsigned domain, and why: " .. codes(verdict.attempts[1]))

-- A TLSA mismatch rejects (206), even where PKI alone accepts: the DANE veto.
verdict = assert(ctx:verify(full, "example.com", { endpoint = { "host2.example.net", 5269 } }))
check(verdict.accepted == false and verdict.attempts[1].outcome == "rejected", "TLSA mismatch rejects")
local mismatch = xmppdna.finding(verdict, F.TLSA_MISMATCH)
check(mismatch and mismatch.code == 206 and mismatch.tag == "tlsa_mismatch" and mismatch.prooftype == "dane"
      and mismatch.outcome == "rejected" and mismatch.dnssec == "secure" and (mismatch.expected or ""):find("3 1 1 ", 1, true),
      "TLSA_MISMATCH (206) with the expected records: " .. codes(verdict))
check(verdict.attempts[2].outcome == "not_tried" and xmppdna.finding(verdict.attempts[2], F.AFTER_DANE_REJECTION),
      "PKI not tried after the DANE rejection: " .. codes(verdict.attempts[2]))
check(ctx:verify(full, "example.com", { prooftypes = { "pki" } }).accepted == true, "PKI alone accepts that chain")
verdict = assert(ctx:verify(full, "example.com", { prooftypes = { "pki", "dane" }, endpoint = { "host2.example.net", 5269 } }))
check(verdict.accepted == false and verdict.prooftype == nil and xmppdna.finding(verdict, "tlsa_mismatch"),
      "DANE vetoes wherever it is in the list: " .. codes(verdict))

-- PKI name mismatch (102), without lookups.
verdict = assert(ctx:verify(host1, "other.example", { prooftypes = { "pki" }, no_lookups = true }))
local no_match = xmppdna.finding(verdict, F.PKI_NO_NAME_MATCHES)
check(verdict.accepted == false and no_match and no_match.code == 102 and no_match.prooftype == "pki"
      and (no_match.expected or ""):find("other.example", 1, true) and (no_match.seen or ""):find("host1.example.net", 1, true),
      "PKI_NO_NAME_MATCHES (102) names the references and the presented ids: " .. codes(verdict))
verdict = assert(ctx:verify(host1, "other.example", { prooftypes = { "pki" }, no_lookups = true, names = { "host1.example.net" } }))
check(verdict.accepted and verdict.prooftype == "pki" and verdict.matches[1].reference.value == "host1.example.net",
      "an added name is a reference")
verdict = assert(ctx:verify(full, "other.example", { prooftypes = { "pki" }, no_lookups = true,
                                                     references = { { type = "srv", value = "_xmpp-server.example.com" } } }))
check(verdict.accepted and verdict.matches[1].reference.type == "srv", "an added SRV-ID reference")
verdict = assert(ctx:verify(read("wrong-ca-chain.pem"), "example.com", { prooftypes = { "pki" } }))
local invalid = xmppdna.finding(verdict, F.PKI_CHAIN_INVALID)
check(verdict.accepted == false and verdict.chain.status == "invalid" and verdict.chain.openssl_code > 0
      and invalid and invalid.openssl_code == verdict.chain.openssl_code, "PKI_CHAIN_INVALID with OpenSSL's code: " .. codes(verdict))

-- No chain: the request's presented identifiers, by names only.
verdict = assert(ctx:verify(nil, "example.com", { prooftypes = { "pki" }, names_only = true, no_lookups = true,
                                                 presented = { { type = "dns", value = "example.com" } } }))
check(verdict.accepted and verdict.chain.status == "not_checked" and xmppdna.finding(verdict, F.PKI_CHAIN_NOT_CHECKED),
      "names only: accepted, the chain not checked: " .. codes(verdict))
verdict = assert(ctx:verify(nil, "example.com", { prooftypes = { "pki" }, names_only = true, no_lookups = true,
                                                 presented = { { type = "dns", value = "exa\0mple.com" } } }))
check(verdict.accepted == false and verdict.presented[1] and verdict.presented[1].usable == false
      and verdict.presented[1].problem ~= nil, "a presented name with a NUL is unusable, never matched")
verdict = assert(ctx:verify(nil, "example.com", { prooftypes = { "pki" }, no_lookups = true,
                                                 presented = { { type = "dns", value = "example.com" } } }))
check(verdict.accepted == false, "without names_only, PKI without a chain does not accept")
verdict = assert(ctx:verify(nil, "example.com", { no_lookups = true }))
check(verdict.accepted == false and xmppdna.finding(verdict, F.NO_CERTIFICATE), "no certificate: " .. codes(verdict))

verdict = assert(ctx:verify(host1, "insecure.example", { prooftypes = { "dialback" }, dialback = "verified" }))
check(verdict.accepted and xmppdna.finding(verdict, F.DIALBACK_WEAK), "dialback over unsigned DNS is weak")
verdict = assert(ctx:verify(host1, "insecure.example", { prooftypes = { "dialback" }, dialback = "verified",
                                                        refuse_weak_dialback = true }))
check(verdict.accepted == false and xmppdna.finding(verdict, F.DIALBACK_WEAK_REFUSED), "weak dialback refused on request")

-- Async: callbacks only inside process/wait, cancelled ones never.
local got, ids = {}, {}
for i = 1, 200 do
  local domain = (i % 2 == 0) and "example.com" or "insecure.example"
  ids[i] = assert(ctx:names_async(domain, "xmpp-server", function(list, e)
    got[#got + 1] = list and list.status or e
  end))
end
local verdicts = {}
for i = 1, 20 do
  assert(ctx:verify_async(host1, "example.com", { prooftypes = { "pki" } }, function(v) verdicts[#verdicts + 1] = v end))
end
local async_mismatch
assert(ctx:verify_async(full, "example.com", { endpoint = { "host2.example.net", 5269 } }, function(v) async_mismatch = v end))
check(#got == 0, "no callback before process")
local cancelled = 0
for i = 1, 200, 2 do if ctx:cancel(ids[i]) then cancelled = cancelled + 1 end end
check(cancelled == 100, "cancelled 100")
check(ctx:fd() >= 0, "fd")
ctx:wait()
check(#got == 100 and #verdicts == 20, "exactly the uncancelled callbacks ran: " .. #got .. ", " .. #verdicts)
local all_secure = true
for _, status in ipairs(got) do all_secure = all_secure and status == "secure" end
check(all_secure, "only example.com queries survived the cancel")
check(verdicts[1].accepted == true and verdicts[1].prooftype == "pki", "async verdict")
check(async_mismatch and async_mismatch.accepted == false and xmppdna.finding(async_mismatch, F.TLSA_MISMATCH),
      "async verdict with its findings: " .. codes(async_mismatch))
check(ctx:process() == 0 and ctx:pending() == 0, "nothing left")
local _, cancel_err, cancel_code = ctx:cancel(ids[2])
check(cancel_code == -12, "cancel of a delivered query is -12")
check(ctx:names_async("example.com", "xmpp-server", "not a function") == nil, "callback must be a function")
local async_error
assert(ctx:verify_async(nil, "example.com", { prooftypes = { "pki" }, names_only = true,
                                              presented = { { type = "dns", value = "example.com" } } },
                        function(v, e) async_error = v and v.accepted or e end))
ctx:wait()
check(async_error == true, "async verdict without a chain")

-- A supplied TLSA record needs its DNSSEC status (#17): nothing defaults to secure.
local some_tlsa = "3 1 1 " .. string.rep("ab", 32)
for _, record in ipairs { some_tlsa, { rdata = some_tlsa }, { host = "host1.example.net", port = 5269, rdata = some_tlsa } } do
  result, err, code = ctx:verify(host1, "example.com", { prooftypes = { "dane", "pki" }, tlsa = { record } })
  check(result == nil and code == -1 and tostring(err):find("status"), "a TLSA record without a status is refused: " .. tostring(err))
end
result, err, code = ctx:verify(host1, "example.com", { tlsa = { { rdata = some_tlsa, status = "sure" } } })
check(result == nil and code == -2, "an unknown TLSA status is refused: " .. tostring(err))
result, err, code = ctx:verify(host1, "example.com", { tlsa = { { rdata = some_tlsa, status = "none" } } })
check(result == nil and code == -2, "NONE is not a TLSA record's status: " .. tostring(err))
result = ctx:verify(host1, "example.com", { prooftypes = { "dane" }, tlsa = { { rdata = some_tlsa, status = "secure" } } })
check(result and result.accepted == false and result.attempts[1].outcome == "rejected"
      and xmppdna.finding(result, F.TLSA_MISMATCH), "an explicit secure status counts: " .. codes(result))
result = ctx:verify(host1, "example.com", { prooftypes = { "dane", "pki" }, tlsa = { { rdata = some_tlsa, status = "bogus" } } })
local bogus_tlsa = result and xmppdna.finding(result, F.TLSA_BOGUS)
check(result and result.accepted == false and bogus_tlsa and bogus_tlsa.dnssec == "bogus",
      "a bogus TLSA record rejects (201): " .. codes(result))

-- Both backends read the same handles into the same tables (run-tests.sh diffs the dumps).
local dump_path = os.getenv("XMPPDNA_TEST_DUMP")
if dump_path then
  local function canonical(value, indent)
    if type(value) ~= "table" then return type(value) == "string" and ("%q"):format(value) or tostring(value) end
    local keys = {}
    for key in pairs(value) do keys[#keys + 1] = key end
    table.sort(keys, function(a, b)
      if type(a) == type(b) then return a < b end
      return type(a) == "number"
    end)
    local lines = {}
    for _, key in ipairs(keys) do
      lines[#lines + 1] = indent .. "  " .. tostring(key) .. " = " .. canonical(value[key], indent .. "  ")
    end
    return "{\n" .. table.concat(lines, "\n") .. "\n" .. indent .. "}"
  end
  local file = assert(io.open(dump_path, "w"))
  for _, case in ipairs {
    { host1, "example.com", { endpoint = { "host1.example.net", 5269 } } },
    { full, "example.com", { endpoint = { "host2.example.net", 5269 } } },
    { host1, "insecure.example", { prooftypes = { "dane", "pki", "dialback" }, dialback = "verified" } },
    { host1, "other.example", { prooftypes = { "pki" }, no_lookups = true } },
  } do
    file:write(canonical(assert(ctx:verify(case[1], case[2], case[3])), ""), "\n")
  end
  file:write(canonical(assert(ctx:names("example.com")), ""), "\n")
  file:write(canonical(assert(ctx:names("bogus.example")), ""), "\n")
  file:close()
end

-- Closing with queries pending: no callback, no crash.
for _ = 1, 10 do ctx:names_async("example.com", "xmpp-server", function() error("called after close") end) end
ctx:close()

print(("%s: %d passed, %d failed"):format(interpreter, passed, failed))
os.exit(failed == 0 and 0 or 1)
