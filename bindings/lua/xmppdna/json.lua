-- A JSON reader for the documents libxmppdna itself writes (verdicts and
-- name lists): objects, arrays, strings with escapes, numbers, booleans,
-- null (as xmppdna.json.null). Not a general-purpose parser for hostile
-- input; POSH documents are parsed strictly inside the library.
local json = { null = setmetatable({}, { __tostring = function() return "null" end }) }

local byte, sub, find, char = string.byte, string.sub, string.find, string.char
local utf8char = utf8 and utf8.char or function(code)
  if code < 0x80 then return char(code) end
  if code < 0x800 then return char(0xC0 + math.floor(code / 0x40), 0x80 + code % 0x40) end
  if code < 0x10000 then
    return char(0xE0 + math.floor(code / 0x1000), 0x80 + math.floor(code / 0x40) % 0x40, 0x80 + code % 0x40)
  end
  return char(0xF0 + math.floor(code / 0x40000), 0x80 + math.floor(code / 0x1000) % 0x40,
              0x80 + math.floor(code / 0x40) % 0x40, 0x80 + code % 0x40)
end

local escapes = { ['"'] = '"', ['\\'] = '\\', ['/'] = '/', b = '\b', f = '\f', n = '\n', r = '\r', t = '\t' }
local value

local function skip(text, at)
  return (find(text, "[^ \t\r\n]", at)) or #text + 1
end

local function decode_string(text, at)
  local parts, i = {}, at + 1
  while true do
    local stop = find(text, '["\\]', i)
    if not stop then error("unterminated string at " .. at) end
    parts[#parts + 1] = sub(text, i, stop - 1)
    if sub(text, stop, stop) == '"' then return table.concat(parts), stop + 1 end
    local letter = sub(text, stop + 1, stop + 1)
    if letter == "u" then
      local code = tonumber(sub(text, stop + 2, stop + 5), 16)
      i = stop + 6
      if code >= 0xD800 and code <= 0xDBFF and sub(text, i, i + 1) == "\\u" then
        local low = tonumber(sub(text, i + 2, i + 5), 16)
        code = 0x10000 + (code - 0xD800) * 0x400 + (low - 0xDC00)
        i = i + 6
      end
      parts[#parts + 1] = utf8char(code)
    else
      parts[#parts + 1] = escapes[letter] or error("bad escape at " .. stop)
      i = stop + 2
    end
  end
end

function value(text, at)
  at = skip(text, at)
  local c = sub(text, at, at)
  if c == "{" then
    local object = {}
    at = skip(text, at + 1)
    if sub(text, at, at) == "}" then return object, at + 1 end
    while true do
      local key
      key, at = decode_string(text, skip(text, at))
      at = skip(text, at)
      if sub(text, at, at) ~= ":" then error("expected ':' at " .. at) end
      object[key], at = value(text, at + 1)
      at = skip(text, at)
      c = sub(text, at, at)
      if c == "}" then return object, at + 1 end
      if c ~= "," then error("expected ',' at " .. at) end
      at = at + 1
    end
  elseif c == "[" then
    local array = {}
    at = skip(text, at + 1)
    if sub(text, at, at) == "]" then return array, at + 1 end
    while true do
      array[#array + 1], at = value(text, at)
      at = skip(text, at)
      c = sub(text, at, at)
      if c == "]" then return array, at + 1 end
      if c ~= "," then error("expected ',' at " .. at) end
      at = at + 1
    end
  elseif c == '"' then
    return decode_string(text, at)
  elseif sub(text, at, at + 3) == "true" then
    return true, at + 4
  elseif sub(text, at, at + 4) == "false" then
    return false, at + 5
  elseif sub(text, at, at + 3) == "null" then
    return json.null, at + 4
  end
  local number = text:match("^-?%d+%.?%d*[eE]?[-+]?%d*", at)
  if not number or number == "" then error("unexpected '" .. c .. "' at " .. at) end
  return tonumber(number), at + #number
end

function json.decode(text)
  local result, at = value(text, 1)
  if skip(text, at) <= #text then error("trailing data at " .. at) end
  return result
end

return json
