-- One test file for both Lua bindings: run it with lua5.4 (the C module)
-- and with luajit (the FFI module). Needs XMPPDNA_TEST_PKI (a fixture PKI),
-- XMPPDNA_TEST_SERVER and XMPPDNA_TEST_ANCHOR (the loopback DNS world).
local xmppdna = require "xmppdna"

local pki = assert(os.getenv("XMPPDNA_TEST_PKI"), "XMPPDNA_TEST_PKI")
local server = assert(os.getenv("XMPPDNA_TEST_SERVER"), "XMPPDNA_TEST_SERVER")
local anchor = assert(os.getenv("XMPPDNA_TEST_ANCHOR"), "XMPPDNA_TEST_ANCHOR")
local interpreter = (jit and jit.version or _VERSION) .. " (" .. xmppdna.backend .. ")"
local passed, failed = 0, 0

local function check(ok, what)
  if ok then passed = passed + 1 else failed = failed + 1; print("not ok - " .. what) end
end

local function read(name)
  local file = assert(io.open(pki .. "/" .. name, "rb"))
  local data = file:read("*a")
  file:close()
  return data
end

local host1, full = read("host1-chain.pem"), read("full-chain.pem")
check(xmppdna.version():match("^%d+%.%d+%.%d+$") ~= nil, "version")

-- Errors come back as nil, message, code; nothing raises.
local ctx, err, code = xmppdna.context { ca_file = pki .. "/missing.pem" }
check(ctx == nil and code == -6 and err:find("trust store"), "unloadable trust store is -6")
ctx = assert(xmppdna.context { ca_file = pki .. "/root.pem", servers = { server }, anchor_file = anchor, threads = 2 })
local result
result, err, code = ctx:names("exa mple.com")
check(result == nil and code == -3, "bad name is -3")
result, err, code = ctx:names("example.com\0.evil.test")
check(result == nil and code == -4, "NUL inside a name is refused, not cut short")
result, err, code = ctx:verify("not a certificate", "example.com")
check(result == nil and code == -5, "garbage chain is -5")
result, err, code = ctx:names("example.com", "smtp")
check(result == nil and code == -2, "unknown service")

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
check(ctx:verify(many, "nomatch.example", { prooftypes = { "pki" } }).accepted == false, "10,000 SANs, none matches")
local huge = string.rep(full, math.floor(1048576 / #full) + 1)
check(#huge > 1048576 and ctx:verify(huge, "example.com", { prooftypes = { "pki" } }).accepted == true,
      "a 1 MiB chain is judged")

-- Delegation on the loopback world.
local names = assert(ctx:names("example.com"))
check(names.status == "secure" and names.kind == "srv", "example.com is a secure delegation")
local listed = {}
for _, entry in ipairs(names.acceptable_names) do listed[entry.name] = entry.status end
check(listed["host1.example.net"] == "secure", "host1.example.net is acceptable")
check(ctx:names("insecure.example").status == "insecure", "insecure.example")
local bogus = ctx:names("bogus.example")
check(bogus.status == "bogus" and bogus.reason:find("Signature Expired"), "bogus.example with its reason")

-- The DNA verdict.
local verdict = assert(ctx:verify(host1, "example.com", { endpoint = { "host1.example.net", 5269 } }))
check(verdict.accepted == true and verdict.prooftype == "dane", "host1 accepted by DANE for example.com")
check(verdict.attempts[2].prooftype == "pki" and verdict.attempts[2].outcome == "not_tried", "attempts listed")
verdict = assert(ctx:verify(host1, "example.com", { prooftypes = { "pki" } }))
check(verdict.accepted and verdict.pki.matches[1].reference.value == "host1.example.net", "PKI via delegation")
verdict = assert(ctx:verify(host1, "insecure.example", { prooftypes = { "dane", "pki" } }))
check(verdict.accepted == false and verdict.attempts[2].reason:find("delegation via SRV is insecure"),
      "insecure delegation rejected with the reason")
verdict = assert(ctx:verify(full, "example.com", { endpoint = { "host2.example.net", 5269 } }))
check(verdict.accepted == false and verdict.attempts[1].outcome == "rejected", "TLSA mismatch rejects")
verdict = assert(ctx:verify(host1, "insecure.example", { prooftypes = { "dialback" }, dialback = "verified" }))
check(verdict.accepted and verdict.dialback == "weak", "dialback over unsigned DNS is weak")

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
check(verdicts[1].accepted == true, "async verdict")
check(ctx:process() == 0 and ctx:pending() == 0, "nothing left")
local _, cancel_err, cancel_code = ctx:cancel(ids[2])
check(cancel_code == -12, "cancel of a delivered query is -12")
check(ctx:names_async("example.com", "xmpp-server", "not a function") == nil, "callback must be a function")

-- A supplied TLSA record needs its DNSSEC status (#17): nothing defaults to secure.
local some_tlsa = "3 1 1 " .. string.rep("ab", 32)
for _, record in ipairs { some_tlsa, { rdata = some_tlsa }, { host = "host1.example.net", port = 5269, rdata = some_tlsa } } do
  result, err, code = ctx:verify(host1, "example.com", { prooftypes = { "dane", "pki" }, tlsa = { record } })
  check(result == nil and code == -1 and tostring(err):find("status"), "a TLSA record without a status is refused: " .. tostring(err))
end
result, err, code = ctx:verify(host1, "example.com", { tlsa = { { rdata = some_tlsa, status = "sure" } } })
check(result == nil and code == -2, "an unknown TLSA status is refused: " .. tostring(err))
result = ctx:verify(host1, "example.com", { prooftypes = { "dane" }, tlsa = { { rdata = some_tlsa, status = "secure" } } })
check(result and result.accepted == false and result.attempts[1].outcome == "rejected", "an explicit secure status counts")

-- Closing with queries pending: no callback, no crash.
for _ = 1, 10 do ctx:names_async("example.com", "xmpp-server", function() error("called after close") end) end
ctx:close()

print(("%s: %d passed, %d failed"):format(interpreter, passed, failed))
os.exit(failed == 0 and 0 or 1)
