-- xmppdna for Lua: one API over two backends with the same low-level
-- interface: xmppdna.ffi_core (LuaJIT FFI, declarations read from the
-- installed xmppdna.h) and xmppdna.core (a Lua 5.4 C module, for Prosody).
-- XMPPDNA_LUA_BACKEND=ffi|c picks one; by default LuaJIT uses FFI.
--
-- The backends read verdicts and name lists through the library's accessors
-- into tables of C values; this file names those values (prooftypes,
-- outcomes, DNSSEC statuses, finding tags) from the XMPPDNA_* constants,
-- the same for both backends.

local function load_core()
  local wanted = os.getenv("XMPPDNA_LUA_BACKEND")
  if wanted == "c" then return require "xmppdna.core", "c" end
  -- rawget: Prosody's strict globals log a traceback when an absent global is read.
  if wanted == "ffi" or (wanted == nil and rawget(_G, "jit")) then return require "xmppdna.ffi_core", "ffi" end
  return require "xmppdna.core", "c"
end
local core, backend = load_core()
local const = core.const

local M = { backend = backend, const = const }

--- Lowercase names for the constants XMPPDNA_<PREFIX>_<NAME>: {[value] = "name"}.
local function named(prefix, overrides)
  local names = {}
  for key, value in pairs(const) do
    local suffix = key:match("^XMPPDNA_" .. prefix .. "_(.+)$")
    if suffix and type(value) == "number" then names[value] = suffix:lower() end
  end
  for value, text in pairs(overrides or {}) do names[value] = text end
  return names
end

local function inverse(names)
  local values = {}
  for value, text in pairs(names) do values[text] = value end
  return values
end

local SERVICE_NAMES = named("SERVICE")                       -- xmpp_server, ...
local SERVICES = {}
for value, text in pairs(SERVICE_NAMES) do SERVICES[(text:gsub("_", "-"))] = value end
local DIRECTIONS = inverse(named("DIR"))                     -- outbound, inbound
local PROOFTYPE_NAMES = named("PROOF")                       -- dane, pki, posh, dialback
local PROOFTYPES = inverse(PROOFTYPE_NAMES)
local OUTCOMES = named("ATTEMPT")                            -- rejected, not_tried, not_applicable, accepted
local DNSSEC_NAMES = named("DNSSEC")                         -- bogus, indeterminate, insecure, secure, none
local TLSA_STATUSES = inverse(DNSSEC_NAMES)
TLSA_STATUSES.none = nil                                     -- never a record's status
local ID_NAMES = named("ID")                                 -- name, dns, srv, xmpp, uri, ip, cn
local ID_TYPES = inverse(ID_NAMES)
local CHAIN_NAMES = named("CHAIN")                           -- not_checked, valid, invalid
local KIND_NAMES = named("NAMES")                            -- srv, no_srv, unavailable
local TRUST_NAMES = named("TRUST", { [const.XMPPDNA_TRUST_AD] = "trust-ad" }) -- validate, trust-ad, caller
local TRUST_MODES = inverse(TRUST_NAMES)
TRUST_MODES.caller = nil                                     -- never set: it marks xmppdna_names_build()
local DIALBACK = { verified = const.XMPPDNA_DIALBACK_VERIFIED, failed = const.XMPPDNA_DIALBACK_FAILED }
local FINDING_TAGS = named("FINDING")                        -- {[206] = "tlsa_mismatch", ...}

--- The finding codes by their C name without the prefix:
--- xmppdna.FINDING.TLSA_MISMATCH == 206.
M.FINDING = {}
for value, tag in pairs(FINDING_TAGS) do M.FINDING[tag:upper()] = value end

--- The JSON tag of a finding code ("tlsa_mismatch" for 206); nil for a
--- code this header does not know (a newer library's).
function M.finding_tag(code) return FINDING_TAGS[code] end

local EINVAL, EMISUSE = const.XMPPDNA_EINVAL, const.XMPPDNA_EMISUSE

function M.version() return core.version() end

local function lookup(table_, key, what)
  local value = table_[key]
  if value == nil then return nil, ("unknown %s %s"):format(what, tostring(key)), EINVAL end
  return value
end

-- ------------------------------------------------- raw tables to Lua tables

-- A number the header does not name (a newer library's) stays a number.
local function name_of(names, value) return names[value] or value end

local function dress_names(raw)
  local names = {
    status = name_of(DNSSEC_NAMES, raw.status),
    kind = name_of(KIND_NAMES, raw.kind),
    trust_mode = name_of(TRUST_NAMES, raw.trust_mode),
    extended_error = raw.extended_error,
    reason = raw.reason,
    acceptable_names = {},
    candidates = {},
  }
  for i, entry in ipairs(raw.names) do
    names.acceptable_names[i] = { name = entry.value, type = name_of(ID_NAMES, entry.type),
                                  status = name_of(DNSSEC_NAMES, entry.status), source = entry.source }
  end
  -- The list starts with the domain itself.
  names.domain = names.acceptable_names[1] and names.acceptable_names[1].name
  for i, candidate in ipairs(raw.candidates) do
    names.candidates[i] = { host = candidate.host, port = candidate.port, direct_tls = candidate.direct_tls == 1,
                            status = name_of(DNSSEC_NAMES, candidate.status) }
  end
  return names
end

local function dress_finding(raw)
  return {
    code = raw.code,
    tag = FINDING_TAGS[raw.code],
    prooftype = name_of(PROOFTYPE_NAMES, raw.prooftype),
    outcome = name_of(OUTCOMES, raw.outcome),
    dnssec = name_of(DNSSEC_NAMES, raw.dnssec),
    extended_error = raw.extended_error,
    openssl_code = raw.openssl_code,
    depth = raw.depth,
    subject = raw.subject,
    expected = raw.expected,
    seen = raw.seen,
    detail = raw.detail,
    text = raw.text,
  }
end

local function dress_verdict(raw)
  local verdict = {
    -- Fail closed: only the library's 1 is an acceptance.
    accepted = raw.accepted == 1,
    prooftype = raw.prooftype ~= 0 and name_of(PROOFTYPE_NAMES, raw.prooftype) or nil,
    summary = raw.summary,
    attempts = {},
    findings = {},
    chain = { status = name_of(CHAIN_NAMES, raw.chain.status), openssl_code = raw.chain.openssl_code,
              depth = raw.chain.depth, text = raw.chain.text },
    matches = {},
    presented = {},
    evidence = {},
  }
  local by_prooftype = {}
  for i, attempt in ipairs(raw.attempts) do
    local dressed = { prooftype = name_of(PROOFTYPE_NAMES, attempt.prooftype),
                      outcome = name_of(OUTCOMES, attempt.outcome), reason = attempt.reason, findings = {} }
    verdict.attempts[i] = dressed
    by_prooftype[attempt.prooftype] = dressed
  end
  for i, finding in ipairs(raw.findings) do
    local dressed = dress_finding(finding)
    verdict.findings[i] = dressed
    -- Prooftypes do not repeat in a request: the prooftype names the attempt.
    local attempt = by_prooftype[finding.prooftype]
    if attempt then attempt.findings[#attempt.findings + 1] = dressed end
  end
  for i, match in ipairs(raw.matches) do
    verdict.matches[i] = {
      reference = { type = name_of(ID_NAMES, match.ref_type), value = match.ref_value },
      presented = { type = name_of(ID_NAMES, match.presented_type), value = match.presented_value },
    }
  end
  for i, id in ipairs(raw.presented) do
    verdict.presented[i] = { type = name_of(ID_NAMES, id.type), value = id.value, usable = id.usable == 1,
                             problem = id.problem }
  end
  for i, item in ipairs(raw.evidence) do
    verdict.evidence[i] = { what = item.what, status = name_of(DNSSEC_NAMES, item.status) }
  end
  return verdict
end

--- The first finding of a verdict (or of one attempt) with this code or
--- tag: xmppdna.finding(verdict, xmppdna.FINDING.TLSA_MISMATCH) or
--- xmppdna.finding(verdict, "tlsa_mismatch"). nil if there is none.
function M.finding(verdict_or_attempt, code)
  for _, finding in ipairs(verdict_or_attempt.findings or {}) do
    if finding.code == code or (finding.tag ~= nil and finding.tag == code) then return finding end
  end
  return nil
end

local function dressed(dress, raw, err, code)
  if not raw then return nil, err, code end
  return dress(raw)
end

-- ----------------------------------------------------------------- context

local Context = {}
Context.__index = Context

local function integer(value, what)
  if type(value) ~= "number" or value ~= math.floor(value) then
    error({ what .. " must be an integer", EINVAL })
  end
  return value
end

--- Bounds the decoded certificates the whole process keeps (default 2048).
--- Returns true, or nil, message, code.
function M.set_certificate_cache_limit(certificates)
  local ok, failure = pcall(integer, certificates, "certificates")
  if not ok then return nil, failure[1], failure[2] end
  return core.certificate_cache_limit(certificates)
end

--- Makes a context. options: ca_file, ca_dir, time, cn_fallback,
--- servers = {"ADDR@PORT"...}, trusted_resolvers = {...} (those of servers
--- whose AD bit may be believed in trust-ad mode although not on loopback),
--- trust_mode ("validate"|"trust-ad"), anchor_file, dns_timeout_ms,
--- dns_retries, dns_deadline_ms (a whole lookup), cache_ttl_min,
--- cache_ttl_max, posh_url_base, posh_timeout_ms, limits = {dns_in_flight
--- =, dns_per_zone =, posh_in_flight =, posh_per_zone =}, cache_limits =
--- {dns_entries =, posh_documents =, verified_chains =}. Returns ctx, or
--- nil, message, code.
function M.context(options)
  options = options or {}
  if options.no_pkix then
    return nil, "no_pkix is gone: verify with the request option names_only = true instead", EINVAL
  end
  local handle, err, code = core.context()
  if not handle then return nil, err, code end
  local self = setmetatable({ handle = handle, callbacks = {}, next_token = 0 }, Context)
  local function set(key, a, b, c, d)
    local ok, e, c2 = core.configure(handle, key, a, b, c, d)
    if not ok then error({ e, c2 }) end
  end
  local ok, failure = pcall(function()
    if options.ca_file or options.ca_dir then set("ca", options.ca_file, options.ca_dir) end
    if options.time then set("time", integer(options.time, "time")) end
    set("flags", options.cn_fallback and const.XMPPDNA_FLAG_CN_FALLBACK or 0)
    local trusted = {}
    for _, server in ipairs(options.trusted_resolvers or {}) do trusted[server] = true end
    for _, server in ipairs(options.servers or {}) do
      set("server", server, trusted[server] and const.XMPPDNA_SERVER_TRUST_AD or 0)
    end
    if options.trust_mode then
      local mode = TRUST_MODES[options.trust_mode]
      if not mode then error({ "trust_mode is validate or trust-ad", EINVAL }) end
      set("trust_mode", mode)
    end
    if options.anchor_file then set("anchor_file", options.anchor_file) end
    if options.dns_timeout_ms or options.dns_retries or options.dns_deadline_ms then
      set("dns_timeout", integer(options.dns_timeout_ms or 2000, "dns_timeout_ms"),
          integer(options.dns_retries or 1, "dns_retries"), integer(options.dns_deadline_ms or 30000, "dns_deadline_ms"))
    end
    if options.cache_ttl_min or options.cache_ttl_max then
      set("cache_ttl", integer(options.cache_ttl_min or 5, "cache_ttl_min"),
          integer(options.cache_ttl_max or 3600, "cache_ttl_max"))
    end
    if options.posh_url_base or options.posh_timeout_ms then
      set("posh", options.posh_url_base, integer(options.posh_timeout_ms or 5000, "posh_timeout_ms"))
    end
    if options.limits then
      local l = options.limits
      set("limits", integer(l.dns_in_flight or 256, "dns_in_flight"), integer(l.dns_per_zone or 16, "dns_per_zone"),
          integer(l.posh_in_flight or 64, "posh_in_flight"), integer(l.posh_per_zone or 4, "posh_per_zone"))
    end
    if options.cache_limits then
      local l = options.cache_limits
      set("cache_limits", integer(l.dns_entries or 10000, "dns_entries"),
          integer(l.posh_documents or 1000, "posh_documents"), integer(l.verified_chains or 1024, "verified_chains"))
    end
  end)
  if not ok then
    core.close(handle)
    if type(failure) == "table" then return nil, failure[1], failure[2] end
    return nil, tostring(failure), EINVAL
  end
  return self
end

function Context:close()
  if self.handle then core.close(self.handle) end
  self.handle, self.callbacks = nil, {}
end

--- Empties the DNS and POSH caches.
function Context:flush_cache() return core.configure(self.handle, "flush_cache") end

--- The DNSSEC name list: { domain, status, kind, trust_mode, extended_error,
--- reason?, acceptable_names = {{name, type, status, source}...},
--- candidates = {{host, port, direct_tls, status}...} }.
function Context:names(domain, service)
  local svc, err, code = lookup(SERVICES, service or "xmpp-server", "service")
  if not svc then return nil, err, code end
  return dressed(dress_names, core.names(self.handle, domain, svc))
end

-- Builds the low-level request for verify/verify_async.
local function request(domain, options)
  options = options or {}
  local service, err, code = lookup(SERVICES, options.service or "xmpp-server", "service")
  if not service then return nil, err, code end
  local direction
  direction, err, code = lookup(DIRECTIONS, options.direction or "outbound", "direction")
  if not direction then return nil, err, code end
  local req
  req, err, code = core.request(domain, service, direction)
  if not req then return nil, err, code end
  local steps = {}
  if options.endpoint then steps[#steps + 1] = { "endpoint", options.endpoint[1], options.endpoint[2] } end
  if options.prooftypes then
    local codes = {}
    for i, name in ipairs(options.prooftypes) do
      codes[i] = PROOFTYPES[name]
      if not codes[i] then return nil, "unknown prooftype " .. tostring(name), EINVAL end
    end
    steps[#steps + 1] = { "prooftypes", codes }
  end
  for _, name in ipairs(options.names or {}) do steps[#steps + 1] = { "ref", const.XMPPDNA_ID_NAME, name } end
  for _, ref in ipairs(options.references or {}) do
    local id_type
    id_type, err, code = lookup(ID_TYPES, type(ref) == "table" and ref.type, "reference type")
    if not id_type then return nil, err, code end
    steps[#steps + 1] = { "ref", id_type, ref.value }
  end
  for _, id in ipairs(options.presented or {}) do
    local id_type
    id_type, err, code = lookup(ID_TYPES, type(id) == "table" and id.type, "presented identifier type")
    if not id_type then return nil, err, code end
    steps[#steps + 1] = { "presented", id_type, id.value }
  end
  for _, record in ipairs(options.tlsa or {}) do
    -- The DNSSEC status is never assumed: a record without one is refused.
    if type(record) ~= "table" or record.status == nil then
      return nil, "a TLSA record is { host =, port =, rdata =, status = } with its DNSSEC status", EMISUSE
    end
    local status
    status, err, code = lookup(TLSA_STATUSES, record.status, "TLSA status")
    if not status then return nil, err, code end
    steps[#steps + 1] = { "tlsa", record.host, record.port or 0, record.rdata, status }
  end
  if options.posh then steps[#steps + 1] = { "posh", options.posh } end
  if options.dialback then
    local value = DIALBACK[options.dialback]
    if not value then return nil, "dialback is verified or failed", EINVAL end
    steps[#steps + 1] = { "dialback", value }
  end
  local flags = (options.refuse_weak_dialback and const.XMPPDNA_REQUEST_REFUSE_WEAK_DIALBACK or 0)
    + (options.no_lookups and const.XMPPDNA_REQUEST_NO_LOOKUPS or 0)
    + (options.names_only and const.XMPPDNA_REQUEST_NAMES_ONLY or 0)
  if flags ~= 0 then steps[#steps + 1] = { "flags", flags } end
  for _, step in ipairs(steps) do
    local ok
    ok, err, code = core.request_set(req, step[1], step[2], step[3], step[4], step[5])
    if not ok then return nil, err, code end
  end
  return req
end

-- The chain (PEM or DER) parsed, or nil for none.
local function parse_chain(chain)
  if chain == nil then return nil end
  if type(chain) ~= "string" then return nil, "a chain is a PEM or DER string, or nil", EMISUSE end
  return core.chain(chain)
end

--- The RFC 7712 verdict for a chain (PEM or DER string; nil for a peer
--- without a certificate, or with options.presented): { accepted,
--- prooftype, summary, attempts = {{prooftype, outcome, reason, findings}...},
--- findings = {{code, tag, prooftype, outcome, dnssec, extended_error,
--- openssl_code, depth, subject, expected, seen, detail, text}...}, chain =
--- {status, openssl_code, depth, text}, matches = {{reference = {type,
--- value}, presented = {type, value}}...}, presented = {{type, value,
--- usable, problem}...}, evidence = {{what, status}...} }.
--- options: service, direction, endpoint = {host, port}, prooftypes = {...},
--- names = {"host1.example.net", "192.0.2.1"...}, references = {{type =
--- "srv", value = "_xmpp-server.example.com"}...}, presented = {{type =
--- "dns", value = "..."}...} (with no chain), tlsa = {{ host =, port =,
--- rdata =, status = }...} (host and port nil for every location; the
--- DNSSEC status is required), posh, dialback, refuse_weak_dialback,
--- no_lookups, names_only.
function Context:verify(chain, domain, options)
  local req, err, code = request(domain, options)
  if not req then return nil, err, code end
  local parsed
  parsed, err, code = parse_chain(chain)
  if chain ~= nil and not parsed then return nil, err, code end
  return dressed(dress_verdict, core.verify(self.handle, parsed, req))
end

function Context:_submit(callback, submit)
  if type(callback) ~= "function" then return nil, "a callback function is required", EMISUSE end
  self.next_token = self.next_token + 1
  local token = self.next_token
  local id, err, code = submit(token)
  if not id then return nil, err, code end
  self.callbacks[token] = { callback = callback, id = id }
  return id
end

--- names() as a query; callback(names, err, code) runs later inside
--- ctx:process() or ctx:wait(). Returns the query id.
function Context:names_async(domain, service, callback)
  local svc, err, code = lookup(SERVICES, service or "xmpp-server", "service")
  if not svc then return nil, err, code end
  return self:_submit(callback, function(token) return core.names_async(self.handle, domain, svc, token) end)
end

--- verify() as a query; callback(verdict, err, code).
function Context:verify_async(chain, domain, options, callback)
  local req, err, code = request(domain, options)
  if not req then return nil, err, code end
  local parsed
  parsed, err, code = parse_chain(chain)
  if chain ~= nil and not parsed then return nil, err, code end
  return self:_submit(callback, function(token) return core.verify_async(self.handle, parsed, req, token) end)
end

--- The fd to watch for readability (Prosody: server.watchfd).
function Context:fd() return core.fd(self.handle) end

local function deliver(self, finished, err, code)
  if not finished then return nil, err, code end
  for _, result in ipairs(finished) do
    local entry = self.callbacks[result.token]
    self.callbacks[result.token] = nil
    if entry then
      if result.result then
        local raw = result.result
        entry.callback((raw.attempts and dress_verdict or dress_names)(raw))
      else
        entry.callback(nil, result.error, result.code)
      end
    end
  end
  return #finished
end

--- Runs the callbacks of finished queries; returns how many ran.
function Context:process() return deliver(self, core.process(self.handle)) end

--- Blocks until no query is pending, running callbacks as they finish.
function Context:wait() return deliver(self, core.wait(self.handle)) end

--- Cancels a query: its callback will never run.
function Context:cancel(id)
  for token, entry in pairs(self.callbacks) do
    if entry.id == id then self.callbacks[token] = nil end
  end
  return core.cancel(self.handle, id)
end

--- How many async queries have not called back yet.
function Context:pending()
  local count = 0
  for _ in pairs(self.callbacks) do count = count + 1 end
  return count
end

return M
