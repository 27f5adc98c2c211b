-- xmppdna.ffi_core: the low-level interface of the Lua binding on LuaJIT's
-- FFI. The declarations come from the installed xmppdna.h itself: the
-- preprocessor lines are stripped here (keeping the branches a C compiler
-- would take) and the #define constants become xmppdna.ffi_core.const.
-- Header: XMPPDNA_HEADER, else pkg-config's includedir, else /usr/local/include.
-- Library: XMPPDNA_LIBRARY, else pkg-config's libdir, else the linker's path.
local ffi = require "ffi"

local function pkg_config(variable)
  local pipe = io.popen("pkg-config --variable=" .. variable .. " xmppdna 2>/dev/null")
  if not pipe then return nil end
  local value = pipe:read("*l")
  pipe:close()
  return value ~= "" and value or nil
end

local function read_header()
  local path = os.getenv("XMPPDNA_HEADER")
  if not path then
    local includedir = pkg_config("includedir")
    path = (includedir or "/usr/local/include") .. "/xmppdna.h"
  end
  local file = assert(io.open(path, "r"), "xmppdna: cannot read the header " .. path)
  local text = file:read("*a")
  file:close()
  return text, path
end

--- Declarations for ffi.cdef and the numeric #defines, from the header text.
--- Conditionals follow the C compiler's view: __cplusplus and
--- XMPPDNA_HANDLES_AS_VOID are undefined, the include guard is taken.
local function declarations(text)
  text = text:gsub("/%*.-%*/", " ")
  local kept, constants, defined, stack = {}, {}, {}, {}
  local function active()
    for _, on in ipairs(stack) do if not on then return false end end
    return true
  end
  for line in text:gmatch("[^\n]*") do
    local directive, rest = line:match("^%s*#%s*(%a+)%s*(.-)%s*$")
    if directive == "ifdef" then
      stack[#stack + 1] = defined[rest] == true
    elseif directive == "ifndef" then
      stack[#stack + 1] = defined[rest] ~= true
    elseif directive == "else" then
      stack[#stack] = not stack[#stack]
    elseif directive == "endif" then
      stack[#stack] = nil
    elseif directive == "define" then
      if active() then
        local name, value = rest:match("^([%w_]+)%s*(.*)$")
        defined[name] = true
        value = value:gsub("u$", "")
        constants[name] = tonumber(value) or (value:match('^"(.*)"$'))
      end
    elseif directive == nil and active() then
      kept[#kept + 1] = line
    end
  end
  return table.concat(kept, "\n"), constants
end

local header, header_path = read_header()
local cdef, constants = declarations(header)
constants.XMPPDNA_TIME_NOW = nil -- INT64_MIN: not a Lua number; use ffi's int64 instead
constants.XMPPDNA_VERSION = nil  -- a string: the library's own is version()
ffi.cdef(cdef)

local function library_path()
  local explicit = os.getenv("XMPPDNA_LIBRARY")
  if explicit then return explicit end
  local libdir = pkg_config("libdir")
  local soname = "libxmppdna.so." .. assert(constants.XMPPDNA_SOVERSION, "XMPPDNA_SOVERSION")
  return libdir and (libdir .. "/" .. soname) or soname
end
local C = ffi.load(library_path())

-- The same low-level interface as xmppdna/core.c: every function returns
-- its result, or nil, message, code; verdicts and name lists are raw tables
-- of the accessors' C values.
local M = { const = constants, header = header_path, cdef = cdef, C = C }

local OK = constants.XMPPDNA_OK
local EENCODING, EINVAL, EINTERNAL = constants.XMPPDNA_EENCODING, constants.XMPPDNA_EINVAL,
                                     constants.XMPPDNA_EINTERNAL

local function failure(rc)
  return nil, ffi.string(C.xmppdna_strerror(rc)), rc
end

local function success(rc)
  if rc ~= OK then return failure(rc) end
  return true
end

-- A Lua string with a NUL inside would be cut short by the C API.
local function name(text)
  if type(text) ~= "string" or text:find("\0", 1, true) then return nil end
  return text
end

-- nil stays NULL; a string with a NUL inside is refused (false).
local function optname(text)
  if text == nil then return nil end
  return name(text) or false
end

local unpack = table.unpack or unpack

local function owned(pointer_type, constructor, free, ...)
  local out = ffi.new(pointer_type .. "[1]")
  local count = select("#", ...)
  local args = { ... }
  args[count + 1] = out
  local rc = constructor(unpack(args, 1, count + 1))
  if rc ~= OK then return failure(rc) end
  return ffi.gc(out[0], free)
end

-- A borrowed C string as a Lua string; NULL is nil.
local function str(pointer)
  if pointer == nil then return nil end
  return ffi.string(pointer)
end

function M.version() return ffi.string(C.xmppdna_version()) end
function M.version_number() return C.xmppdna_version_number() end
function M.strerror(code) return ffi.string(C.xmppdna_strerror(code)) end
function M.certificate_cache_limit(n) return success(C.xmppdna_set_certificate_cache_limit(n)) end

function M.context() return owned("xmppdna_ctx *", C.xmppdna_ctx_new, C.xmppdna_ctx_free) end

function M.close(ctx)
  ffi.gc(ctx, nil)
  C.xmppdna_ctx_free(ctx)
end

local setters = {
  ca = function(ctx, file, dir)
    file, dir = optname(file), optname(dir)
    if file == false or dir == false then return EENCODING end
    return C.xmppdna_ctx_set_ca(ctx, file, dir)
  end,
  time = function(ctx, t)
    if t == nil then return C.xmppdna_ctx_set_time(ctx, ffi.new("int64_t", -2 ^ 63)) end
    return C.xmppdna_ctx_set_time(ctx, t)
  end,
  flags = function(ctx, flags) return C.xmppdna_ctx_set_flags(ctx, flags) end,
  server = function(ctx, server, flags)
    if not name(server) then return EENCODING end
    return C.xmppdna_ctx_add_server(ctx, server, flags or 0)
  end,
  clear_servers = function(ctx) return C.xmppdna_ctx_clear_servers(ctx) end,
  trust_mode = function(ctx, mode) return C.xmppdna_ctx_set_trust_mode(ctx, mode) end,
  anchor_file = function(ctx, path)
    path = optname(path)
    if path == false then return EENCODING end
    return C.xmppdna_ctx_set_anchor_file(ctx, path)
  end,
  dns_timeout = function(ctx, query_ms, retries, deadline_ms)
    return C.xmppdna_ctx_set_dns_timeout(ctx, query_ms, retries, deadline_ms)
  end,
  cache_ttl = function(ctx, min, max)
    if min < 0 or max < 0 or min > 0xffffffff or max > 0xffffffff then return EINVAL end
    return C.xmppdna_ctx_set_cache_ttl(ctx, min, max)
  end,
  flush_cache = function(ctx) return C.xmppdna_ctx_flush_cache(ctx) end,
  posh = function(ctx, base, timeout_ms)
    base = optname(base)
    if base == false then return EENCODING end
    return C.xmppdna_ctx_set_posh(ctx, base, timeout_ms)
  end,
  limits = function(ctx, a, b, c, d) return C.xmppdna_ctx_set_limits(ctx, a, b, c, d) end,
  cache_limits = function(ctx, a, b, c) return C.xmppdna_ctx_set_cache_limits(ctx, a, b, c) end,
}

function M.configure(ctx, key, a, b, c, d)
  local set = setters[key] or error("xmppdna: unknown setting " .. tostring(key))
  return success(set(ctx, a, b, c, d))
end

function M.chain(data)
  local chain, err, code = owned("xmppdna_chain *", C.xmppdna_chain_new, C.xmppdna_chain_free)
  if not chain then return nil, err, code end
  local b1, b2 = data:byte(1, 2)
  local der = b1 == 0x30 and b2 and b2 >= 0x81 and b2 <= 0x84
  local rc = der and C.xmppdna_chain_add_der(chain, data, #data) or C.xmppdna_chain_add_pem(chain, data, #data)
  if rc ~= OK then return failure(rc) end
  return chain
end

function M.chain_count(chain) return tonumber(C.xmppdna_chain_count(chain)) end

function M.request(domain, service, direction)
  if not name(domain) then return failure(EENCODING) end
  return owned("xmppdna_request *", C.xmppdna_request_new, C.xmppdna_request_free, domain, service, direction)
end

local request_setters = {
  endpoint = function(req, host, port)
    if not name(host) then return EENCODING end
    return C.xmppdna_request_set_endpoint(req, host, port)
  end,
  prooftypes = function(req, list)
    if #list > 4 then return EINVAL end
    return C.xmppdna_request_set_prooftypes(req, ffi.new("int[?]", math.max(#list, 1), list), #list)
  end,
  ref = function(req, id_type, value) return C.xmppdna_request_add_ref(req, id_type, value, #value) end,
  presented = function(req, id_type, value) return C.xmppdna_request_add_presented(req, id_type, value, #value) end,
  tlsa = function(req, host, port, rdata, status)
    host = optname(host)
    if host == false or not name(rdata) then return EENCODING end
    return C.xmppdna_request_add_tlsa(req, host, port, rdata, status)
  end,
  posh = function(req, document) return C.xmppdna_request_set_posh(req, document, #document) end,
  dialback = function(req, value) return C.xmppdna_request_set_dialback(req, value) end,
  flags = function(req, value) return C.xmppdna_request_set_flags(req, value) end,
}

function M.request_set(req, key, a, b, c, d)
  local set = request_setters[key] or error("xmppdna: unknown request setting " .. tostring(key))
  return success(set(req, a, b, c, d))
end

-- ------------------------------------------------ handles to raw tables

local i1, i2, i3, i4 = ffi.new("int[1]"), ffi.new("int[1]"), ffi.new("int[1]"), ffi.new("int[1]")
local s1, s2, s3 = ffi.new("const char *[1]"), ffi.new("const char *[1]"), ffi.new("const char *[1]")
local finding = ffi.new("xmppdna_finding")

-- Reads a names handle like push_names() in core.c; nil, rc on failure.
local function raw_names(names)
  s1[0] = nil
  local rc = C.xmppdna_names_status(names, i1, i2, i3, i4, s1)
  if rc ~= OK then return nil, rc end
  local raw = { status = i1[0], kind = i2[0], trust_mode = i3[0], extended_error = i4[0], reason = str(s1[0]),
                names = {}, candidates = {} }
  for i = 0, tonumber(C.xmppdna_names_count(names)) - 1 do
    s1[0], s2[0] = nil, nil
    rc = C.xmppdna_names_get(names, i, i1, s1, i2, s2)
    if rc ~= OK then return nil, rc end
    raw.names[i + 1] = { type = i1[0], value = str(s1[0]), status = i2[0], source = str(s2[0]) }
  end
  for i = 0, tonumber(C.xmppdna_names_candidate_count(names)) - 1 do
    s1[0] = nil
    rc = C.xmppdna_names_candidate_get(names, i, s1, i1, i2, i3)
    if rc ~= OK then return nil, rc end
    raw.candidates[i + 1] = { host = str(s1[0]), port = i1[0], direct_tls = i2[0], status = i3[0] }
  end
  return raw
end

-- Reads a verdict handle like push_verdict() in core.c; nil, rc on failure.
local function raw_verdict(v)
  local accepted, prooftype = C.xmppdna_verdict_accepted(v), C.xmppdna_verdict_prooftype(v)
  if accepted < 0 then return nil, accepted end
  if prooftype < 0 then return nil, prooftype end
  local raw = { accepted = accepted, prooftype = prooftype, summary = str(C.xmppdna_verdict_summary(v)),
                attempts = {}, findings = {}, matches = {}, presented = {}, evidence = {} }
  local rc
  for i = 0, tonumber(C.xmppdna_verdict_attempt_count(v)) - 1 do
    s1[0] = nil
    rc = C.xmppdna_verdict_attempt_get(v, i, i1, i2, s1)
    if rc ~= OK then return nil, rc end
    raw.attempts[i + 1] = { prooftype = i1[0], outcome = i2[0], reason = str(s1[0]) }
  end
  for i = 0, tonumber(C.xmppdna_verdict_finding_count(v)) - 1 do
    ffi.fill(finding, ffi.sizeof(finding))
    rc = C.xmppdna_verdict_finding_get(v, i, finding)
    if rc ~= OK then return nil, rc end
    local f = finding
    raw.findings[i + 1] = {
      code = f.code, prooftype = f.prooftype, outcome = f.outcome, dnssec = f.dnssec,
      extended_error = f.extended_error, openssl_code = f.openssl_code, depth = f.depth,
      subject = str(f.subject), expected = str(f.expected), seen = str(f.seen), detail = str(f.detail),
      text = str(f.text),
    }
  end
  s1[0] = nil
  rc = C.xmppdna_verdict_chain(v, i1, i2, i3, s1)
  if rc ~= OK then return nil, rc end
  raw.chain = { status = i1[0], openssl_code = i2[0], depth = i3[0], text = str(s1[0]) }
  for i = 0, tonumber(C.xmppdna_verdict_match_count(v)) - 1 do
    s1[0], s2[0] = nil, nil
    rc = C.xmppdna_verdict_match_get(v, i, i1, s1, i2, s2)
    if rc ~= OK then return nil, rc end
    raw.matches[i + 1] = { ref_type = i1[0], ref_value = str(s1[0]), presented_type = i2[0],
                           presented_value = str(s2[0]) }
  end
  for i = 0, tonumber(C.xmppdna_verdict_presented_count(v)) - 1 do
    s1[0], s3[0] = nil, nil
    rc = C.xmppdna_verdict_presented_get(v, i, i1, s1, i2, s3)
    if rc ~= OK then return nil, rc end
    raw.presented[i + 1] = { type = i1[0], value = str(s1[0]), usable = i2[0], problem = str(s3[0]) }
  end
  for i = 0, tonumber(C.xmppdna_verdict_evidence_count(v)) - 1 do
    s1[0] = nil
    rc = C.xmppdna_verdict_evidence_get(v, i, s1, i1)
    if rc ~= OK then return nil, rc end
    raw.evidence[i + 1] = { what = str(s1[0]), status = i1[0] }
  end
  return raw
end

-- Reads a handle, frees it at once, returns the raw table or nil, message, code.
local function read(handle, reader, free)
  ffi.gc(handle, nil)
  local ok, raw, rc = pcall(reader, handle)
  free(handle)
  if not ok then error(raw, 0) end
  if not raw then return failure(rc) end
  return raw
end

function M.names(ctx, domain, service)
  if not name(domain) then return failure(EENCODING) end
  local names, err, code = owned("xmppdna_names *", C.xmppdna_names_lookup, C.xmppdna_names_free,
                                 ctx, domain, service)
  if not names then return nil, err, code end
  return read(names, raw_names, C.xmppdna_names_free)
end

function M.verify(ctx, chain, req)
  local verdict, err, code = owned("xmppdna_verdict *", C.xmppdna_verify, C.xmppdna_verdict_free, ctx, chain, req)
  if not verdict then return nil, err, code end
  return read(verdict, raw_verdict, C.xmppdna_verdict_free)
end

-- ------------------------------------------------------------------ async

-- Callbacks run only inside xmppdna_process/xmppdna_wait, called from
-- drain() below; they keep the handles, which drain() reads once the run
-- has returned, as core.c does.
local collected = {}

local on_names = ffi.cast("xmppdna_names_callback", function(userdata, rc, names)
  collected[#collected + 1] = { token = tonumber(ffi.cast("intptr_t", userdata)), rc = rc, names = names }
end)
local on_verdict = ffi.cast("xmppdna_verdict_callback", function(userdata, rc, verdict)
  collected[#collected + 1] = { token = tonumber(ffi.cast("intptr_t", userdata)), rc = rc, verdict = verdict }
end)

local id_out = ffi.new("int[1]")

function M.names_async(ctx, domain, service, token)
  if not name(domain) then return failure(EENCODING) end
  local rc = C.xmppdna_names_lookup_async(ctx, domain, service, on_names, ffi.cast("void *", token), id_out)
  if rc ~= OK then return failure(rc) end
  return id_out[0]
end

function M.verify_async(ctx, chain, req, token)
  local rc = C.xmppdna_verify_async(ctx, chain, req, on_verdict, ffi.cast("void *", token), id_out)
  if rc ~= OK then return failure(rc) end
  return id_out[0]
end

local function drain(run, ctx)
  collected = {}
  local rc = run(ctx)
  local items = collected
  collected = {}
  local finished = {}
  for i, item in ipairs(items) do
    local entry, item_rc = { token = item.token }, item.rc
    local names = item.names ~= nil and item.names or nil
    local verdict = item.verdict ~= nil and item.verdict or nil
    if item_rc == OK then
      local raw
      if verdict then
        raw, item_rc = raw_verdict(verdict)
      elseif names then
        raw, item_rc = raw_names(names)
      else
        item_rc = EINTERNAL
      end
      entry.result = raw
      if raw then item_rc = OK end
    end
    if names then C.xmppdna_names_free(names) end
    if verdict then C.xmppdna_verdict_free(verdict) end
    if item_rc ~= OK then entry.error, entry.code = ffi.string(C.xmppdna_strerror(item_rc)), item_rc end
    finished[i] = entry
  end
  if rc < 0 then return failure(rc) end
  return finished
end
-- A C function that calls back into Lua must not be called from compiled code.
if jit then jit.off(drain) end

function M.process(ctx) return drain(C.xmppdna_process, ctx) end
function M.wait(ctx) return drain(C.xmppdna_wait, ctx) end
if jit then jit.off(M.process); jit.off(M.wait) end

function M.fd(ctx)
  local fd = C.xmppdna_fd(ctx)
  if fd < 0 then return failure(fd) end
  return fd
end

function M.cancel(ctx, id) return success(C.xmppdna_cancel(ctx, id)) end

return M
