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
ffi.cdef(cdef)

local function library_path()
  local explicit = os.getenv("XMPPDNA_LIBRARY")
  if explicit then return explicit end
  local libdir = pkg_config("libdir")
  return libdir and (libdir .. "/libxmppdna.so.1") or "xmppdna"
end
local C = ffi.load(library_path())

local M = { const = constants, header = header_path, cdef = cdef, C = C }

local function failure(rc)
  return nil, ffi.string(C.xmppdna_strerror(rc)), rc
end

-- A Lua string with a NUL inside would be cut short by the C API.
local function name(text)
  if type(text) ~= "string" or text:find("\0", 1, true) then return nil end
  return text
end

local unpack = table.unpack or unpack

local function owned(pointer_type, constructor, free, ...)
  local out = ffi.new(pointer_type .. "[1]")
  local count = select("#", ...)
  local args = { ... }
  args[count + 1] = out
  local rc = constructor(unpack(args, 1, count + 1))
  if rc ~= 0 then return failure(rc) end
  return ffi.gc(out[0], free)
end

function M.version() return ffi.string(C.xmppdna_version()) end
function M.version_number() return C.xmppdna_version_number() end

function M.context() return owned("xmppdna_ctx *", C.xmppdna_ctx_new, C.xmppdna_ctx_free) end

function M.close(ctx)
  ffi.gc(ctx, nil)
  C.xmppdna_ctx_free(ctx)
end

local setters = {
  ca_file = function(ctx, a) return C.xmppdna_ctx_set_ca_file(ctx, a) end,
  ca_dir = function(ctx, a) return C.xmppdna_ctx_set_ca_dir(ctx, a) end,
  time = function(ctx, a) return C.xmppdna_ctx_set_time(ctx, a) end,
  flags = function(ctx, a) return C.xmppdna_ctx_set_flags(ctx, a) end,
  server = function(ctx, a) return C.xmppdna_ctx_add_server(ctx, a) end,
  trust_mode = function(ctx, a) return C.xmppdna_ctx_set_trust_mode(ctx, a) end,
  trusted_resolver = function(ctx, a) return C.xmppdna_ctx_add_trusted_resolver(ctx, a) end,
  anchor_file = function(ctx, a) return C.xmppdna_ctx_set_anchor_file(ctx, a) end,
  dns_timeout = function(ctx, a, b) return C.xmppdna_ctx_set_dns_timeout(ctx, a, b) end,
  posh = function(ctx, a, b) return C.xmppdna_ctx_set_posh(ctx, a, b) end,
  threads = function(ctx, a) return C.xmppdna_ctx_set_threads(ctx, a) end,
}

function M.configure(ctx, key, a, b)
  local set = setters[key] or error("xmppdna: unknown setting " .. tostring(key))
  local rc = set(ctx, a, b)
  if rc ~= 0 then return failure(rc) end
  return true
end

function M.chain(data)
  local chain, err, code = owned("xmppdna_chain *", C.xmppdna_chain_new, C.xmppdna_chain_free)
  if not chain then return nil, err, code end
  local b1, b2 = data:byte(1, 2)
  local der = b1 == 0x30 and b2 and b2 >= 0x81 and b2 <= 0x84
  local rc = der and C.xmppdna_chain_add_der(chain, data, #data) or C.xmppdna_chain_add_pem(chain, data, #data)
  if rc ~= 0 then return failure(rc) end
  return chain
end

function M.request(domain, service, direction)
  if not name(domain) then return failure(constants.XMPPDNA_EENCODING) end
  return owned("xmppdna_dna_request *", C.xmppdna_dna_request_new, C.xmppdna_dna_request_free,
               domain, service, direction)
end

local request_setters = {
  endpoint = function(req, host, port)
    if not name(host) then return constants.XMPPDNA_EENCODING end
    return C.xmppdna_dna_request_set_endpoint(req, host, port)
  end,
  prooftypes = function(req, list)
    if #list > 4 then return constants.XMPPDNA_EINVAL end
    return C.xmppdna_dna_request_set_prooftypes(req, ffi.new("int[?]", math.max(#list, 1), list), #list)
  end,
  name = function(req, text)
    if not name(text) then return constants.XMPPDNA_EENCODING end
    return C.xmppdna_dna_request_add_name(req, text)
  end,
  tlsa = function(req, host, port, rdata, status)
    if host ~= nil and not name(host) then return constants.XMPPDNA_EENCODING end
    return C.xmppdna_dna_request_add_tlsa(req, host, port, rdata, status)
  end,
  posh = function(req, document) return C.xmppdna_dna_request_set_posh(req, document, #document) end,
  dialback = function(req, value) return C.xmppdna_dna_request_set_dialback(req, value) end,
  flags = function(req, value) return C.xmppdna_dna_request_set_flags(req, value) end,
}

function M.request_set(req, key, a, b, c, d)
  local set = request_setters[key] or error("xmppdna: unknown request setting " .. tostring(key))
  local rc = set(req, a, b, c, d)
  if rc ~= 0 then return failure(rc) end
  return true
end

-- Copies a library-owned string and frees it.
local function take(pointer)
  local text = ffi.string(pointer)
  C.xmppdna_free(pointer)
  return text
end

local json_out = ffi.new("char *[1]")

function M.names(ctx, domain, service)
  if not name(domain) then return failure(constants.XMPPDNA_EENCODING) end
  local names, err, code = owned("xmppdna_names *", C.xmppdna_names_lookup, C.xmppdna_names_free,
                                 ctx, domain, service)
  if not names then return nil, err, code end
  local rc = C.xmppdna_names_json(names, json_out)
  if rc ~= 0 then return failure(rc) end
  return take(json_out[0])
end

function M.verify(ctx, chain, req)
  local verdict, err, code = owned("xmppdna_dna *", C.xmppdna_verify_dna, C.xmppdna_dna_free, ctx, chain, req)
  if not verdict then return nil, err, code end
  local rc = C.xmppdna_dna_json(verdict, json_out)
  if rc ~= 0 then return failure(rc) end
  return take(json_out[0])
end

-- Callbacks run only inside xmppdna_process/xmppdna_wait, called from
-- drain() below, so they can append to the list drain() is building.
local collected = {}

local function collect(userdata, rc, handle, to_json, free)
  local entry = { token = tonumber(ffi.cast("intptr_t", userdata)) }
  if rc == 0 then
    local out = ffi.new("char *[1]")
    rc = to_json(handle, out)
    if rc == 0 then entry.json = take(out[0]) end
  end
  if handle ~= nil then free(handle) end
  if not entry.json then entry.error, entry.code = ffi.string(C.xmppdna_strerror(rc)), rc end
  collected[#collected + 1] = entry
end

local on_names = ffi.cast("xmppdna_names_callback", function(userdata, rc, names)
  collect(userdata, rc, names, C.xmppdna_names_json, C.xmppdna_names_free)
end)
local on_dna = ffi.cast("xmppdna_dna_callback", function(userdata, rc, verdict)
  collect(userdata, rc, verdict, C.xmppdna_dna_json, C.xmppdna_dna_free)
end)

local id_out = ffi.new("int[1]")

function M.names_async(ctx, domain, service, token)
  if not name(domain) then return failure(constants.XMPPDNA_EENCODING) end
  local rc = C.xmppdna_names_lookup_async(ctx, domain, service, on_names, ffi.cast("void *", token), id_out)
  if rc ~= 0 then return failure(rc) end
  return id_out[0]
end

function M.verify_async(ctx, chain, req, token)
  local rc = C.xmppdna_verify_dna_async(ctx, chain, req, on_dna, ffi.cast("void *", token), id_out)
  if rc ~= 0 then return failure(rc) end
  return id_out[0]
end

local function drain(run, ctx)
  collected = {}
  local rc = run(ctx)
  local finished = collected
  collected = {}
  if rc < 0 then return failure(rc) end
  return finished
end

function M.process(ctx) return drain(C.xmppdna_process, ctx) end
function M.wait(ctx) return drain(C.xmppdna_wait, ctx) end

function M.fd(ctx)
  local fd = C.xmppdna_fd(ctx)
  if fd < 0 then return failure(fd) end
  return fd
end

function M.cancel(ctx, id)
  local rc = C.xmppdna_cancel(ctx, id)
  if rc ~= 0 then return failure(rc) end
  return true
end

return M
