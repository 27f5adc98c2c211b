-- xmppdna for Lua: one API over two backends with the same low-level
-- interface: xmppdna.ffi_core (LuaJIT FFI, declarations read from the
-- installed xmppdna.h) and xmppdna.core (a Lua 5.4 C module, for Prosody).
-- XMPPDNA_LUA_BACKEND=ffi|c picks one; by default LuaJIT uses FFI.
local json = require "xmppdna.json"

local function load_core()
  local wanted = os.getenv("XMPPDNA_LUA_BACKEND")
  if wanted == "c" then return require "xmppdna.core", "c" end
  -- rawget: Prosody's strict globals log a traceback when an absent global is read.
  if wanted == "ffi" or (wanted == nil and rawget(_G, "jit")) then return require "xmppdna.ffi_core", "ffi" end
  return require "xmppdna.core", "c"
end
local core, backend = load_core()

local M = { backend = backend, json = json }

local SERVICES = { ["xmpp-client"] = 1, ["xmpp-server"] = 2, ["xmpps-client"] = 3, ["xmpps-server"] = 4 }
local DIRECTIONS = { outbound = 0, inbound = 1 }
local PROOFTYPES = { dane = 1, pki = 2, posh = 3, dialback = 4 }
local STATUSES = { bogus = 0, indeterminate = 1, insecure = 2, secure = 3 }
local DIALBACK = { verified = 1, failed = 2 }

function M.version() return core.version() end

local function lookup(table_, key, what)
  local value = table_[key]
  if value == nil then return nil, ("unknown %s %s"):format(what, tostring(key)), -2 end
  return value
end

local Context = {}
Context.__index = Context

--- Makes a context. options: ca_file, ca_dir, time, servers = {"ADDR@PORT"...},
--- trust_mode ("validate"|"trust-ad"), trusted_resolvers, anchor_file,
--- dns_timeout_ms, dns_retries, posh_url_base, posh_timeout_ms, threads,
--- cn_fallback, no_pkix. Returns ctx, or nil, message, code.
function M.context(options)
  options = options or {}
  local handle, err, code = core.context()
  if not handle then return nil, err, code end
  local self = setmetatable({ handle = handle, callbacks = {}, next_token = 0 }, Context)
  local function set(key, a, b)
    local ok, e, c = core.configure(handle, key, a, b)
    if not ok then error({ e, c }) end
  end
  local ok, failure = pcall(function()
    if options.ca_file then set("ca_file", options.ca_file) end
    if options.ca_dir then set("ca_dir", options.ca_dir) end
    if options.time then set("time", options.time) end
    set("flags", (options.cn_fallback and 1 or 0) + (options.no_pkix and 2 or 0))
    for _, server in ipairs(options.servers or {}) do set("server", server) end
    if options.trust_mode then
      set("trust_mode", assert(({ validate = 0, ["trust-ad"] = 1 })[options.trust_mode], "trust_mode"))
    end
    for _, server in ipairs(options.trusted_resolvers or {}) do set("trusted_resolver", server) end
    if options.anchor_file then set("anchor_file", options.anchor_file) end
    if options.dns_timeout_ms then set("dns_timeout", options.dns_timeout_ms, options.dns_retries or 1) end
    if options.posh_url_base or options.posh_timeout_ms then
      set("posh", options.posh_url_base, options.posh_timeout_ms or 5000)
    end
    if options.threads then set("threads", options.threads) end
  end)
  if not ok then
    core.close(handle)
    if type(failure) == "table" then return nil, failure[1], failure[2] end
    return nil, tostring(failure), -2
  end
  return self
end

function Context:close()
  if self.handle then core.close(self.handle) end
  self.handle, self.callbacks = nil, {}
end

local function decode(document, err, code)
  if not document then return nil, err, code end
  return json.decode(document)
end

--- The DNSSEC name list: a table shaped like xmppdna_names_json().
function Context:names(domain, service)
  local svc, err, code = lookup(SERVICES, service or "xmpp-server", "service")
  if not svc then return nil, err, code end
  return decode(core.names(self.handle, domain, svc))
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
      if not codes[i] then return nil, "unknown prooftype " .. tostring(name), -2 end
    end
    steps[#steps + 1] = { "prooftypes", codes }
  end
  for _, name in ipairs(options.names or {}) do steps[#steps + 1] = { "name", name } end
  for _, record in ipairs(options.tlsa or {}) do
    -- The DNSSEC status is never assumed: a record without one is refused.
    if type(record) ~= "table" or record.status == nil then
      return nil, "a TLSA record is { host =, port =, rdata =, status = } with its DNSSEC status", -1
    end
    local status
    status, err, code = lookup(STATUSES, record.status, "TLSA status")
    if not status then return nil, err, code end
    steps[#steps + 1] = { "tlsa", record.host, record.port or 0, record.rdata, status }
  end
  if options.posh then steps[#steps + 1] = { "posh", options.posh } end
  if options.dialback then
    local value = DIALBACK[options.dialback]
    if not value then return nil, "dialback is verified or failed", -2 end
    steps[#steps + 1] = { "dialback", value }
  end
  if options.refuse_weak_dialback then steps[#steps + 1] = { "flags", 1 } end
  for _, step in ipairs(steps) do
    local ok
    ok, err, code = core.request_set(req, step[1], step[2], step[3], step[4], step[5])
    if not ok then return nil, err, code end
  end
  return req
end

--- The RFC 7712 verdict for a chain (PEM or DER string): a table shaped
--- like xmppdna_dna_json(). options: service, direction, endpoint = {host,
--- port}, prooftypes = {...}, names, tlsa = {{ host =, port =, rdata =,
--- status = }...} (host and port nil for every location; the DNSSEC status is
--- required), posh, dialback, refuse_weak_dialback.
function Context:verify(chain, domain, options)
  local req, err, code = request(domain, options)
  if not req then return nil, err, code end
  local parsed
  parsed, err, code = core.chain(chain)
  if not parsed then return nil, err, code end
  return decode(core.verify(self.handle, parsed, req))
end

function Context:_submit(callback, submit)
  if type(callback) ~= "function" then return nil, "a callback function is required", -1 end
  self.next_token = self.next_token + 1
  local token = self.next_token
  local id, err, code = submit(token)
  if not id then return nil, err, code end
  self.callbacks[token] = { callback = callback, id = id }
  return id
end

--- names() on the context's worker threads; callback(result, err, code)
--- runs later inside ctx:process(). Returns the query id.
function Context:names_async(domain, service, callback)
  local svc, err, code = lookup(SERVICES, service or "xmpp-server", "service")
  if not svc then return nil, err, code end
  return self:_submit(callback, function(token) return core.names_async(self.handle, domain, svc, token) end)
end

--- verify() on the worker threads; callback(verdict, err, code).
function Context:verify_async(chain, domain, options, callback)
  local req, err, code = request(domain, options)
  if not req then return nil, err, code end
  local parsed
  parsed, err, code = core.chain(chain)
  if not parsed then return nil, err, code end
  return self:_submit(callback, function(token) return core.verify_async(self.handle, parsed, req, token) end)
end

--- The fd to watch for readability (Prosody: server.watchfd).
function Context:fd() return core.fd(self.handle) end

local function deliver(self, finished)
  for _, result in ipairs(finished) do
    local entry = self.callbacks[result.token]
    self.callbacks[result.token] = nil
    if entry then
      if result.json then
        entry.callback(json.decode(result.json))
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
