--- cc.pretty: a pretty printer (after Wadler's "A prettier printer"): build a
-- document from text, lines, nesting and groups, then render it to a width.
-- A group is laid out on one line when it fits, otherwise its lines break.
local expect = require("cc.expect").expect

local pretty = {}

local doc_mt = {__name = "doc"}

local function mk(t) return setmetatable(t, doc_mt) end

local function is_doc(v) return getmetatable(v) == doc_mt end

pretty.empty = mk({tag = "nil"})
pretty.space = mk({tag = "text", text = " "})
pretty.line = mk({tag = "line", flat = ""})
pretty.space_line = mk({tag = "line", flat = " "})

local text_cache = {}

--- A document of text (which may hold newlines) in an optional colour.
function pretty.text(text, colour)
  expect(1, text, "string")
  expect(2, colour, "number", "nil")
  if colour == nil then
    if text == "" then return pretty.empty end
    if text == " " then return pretty.space end
    local cached = text_cache[text]
    if cached then return cached end
  end
  local doc
  if text:find("\n", 1, true) then
    -- Each newline is a space_line (a space when the text fits on one line).
    local parts = {}
    local first = true
    for piece in (text .. "\n"):gmatch("(.-)\n") do
      if not first then parts[#parts + 1] = pretty.space_line end
      first = false
      if piece ~= "" then parts[#parts + 1] = mk({tag = "text", text = piece, colour = colour}) end
    end
    doc = pretty.concat(table.unpack(parts))
  else
    doc = mk({tag = "text", text = text, colour = colour})
  end
  if colour == nil then text_cache[text] = doc end
  return doc
end

--- Documents one after another (strings become text).
function pretty.concat(...)
  local args = table.pack(...)
  local parts = {}
  for i = 1, args.n do
    local d = args[i]
    if type(d) == "string" then d = pretty.text(d) end
    if not is_doc(d) then expect(i, d, "document") end
    if d.tag == "concat" then
      for j = 1, d.n do parts[#parts + 1] = d[j] end
    elseif d.tag ~= "nil" then
      parts[#parts + 1] = d
    end
  end
  if #parts == 0 then return pretty.empty end
  if #parts == 1 then return parts[1] end
  parts.tag, parts.n = "concat", #parts
  return mk(parts)
end

doc_mt.__concat = function(a, b) return pretty.concat(a, b) end
doc_mt.__tostring = function(doc) return pretty.render(doc) end

--- Indents the lines of doc (after the first) by depth more.
function pretty.nest(depth, doc)
  expect(1, depth, "number")
  if not is_doc(doc) then expect(2, doc, "document") end
  if depth <= 0 then error("depth must be a positive number", 2) end
  if doc.tag == "nil" or doc.tag == "text" then return doc end
  return mk({tag = "nest", depth = depth, doc})
end

--- Lays doc out on one line if it fits.
function pretty.group(doc)
  if not is_doc(doc) then expect(1, doc, "document") end
  if doc.tag == "nil" or doc.tag == "text" or doc.tag == "group" then return doc end
  return mk({tag = "group", doc})
end

-- The width of doc laid out flat, or math.huge when it holds a hard line.
local function flat_width(doc, limit)
  local tag = doc.tag
  if tag == "nil" then return 0
  elseif tag == "text" then return #doc.text
  elseif tag == "line" then return doc.hard and math.huge or #doc.flat
  elseif tag == "nest" or tag == "group" then return flat_width(doc[1], limit)
  elseif tag == "concat" then
    local w = 0
    for i = 1, doc.n do
      w = w + flat_width(doc[i], limit - w)
      if w > limit then return w end
    end
    return w
  end
  return 0
end

-- Calls out(kind, text, colour) for each piece: "text" or "newline".
local function layout(doc, width, ribbon, out)
  local column = 0
  local indent_stack = {}
  local function go(d, indent, flat)
    local tag = d.tag
    if tag == "text" then
      out("text", d.text, d.colour)
      column = column + #d.text
    elseif tag == "line" then
      if flat and not d.hard then
        out("text", d.flat)
        column = column + #d.flat
      else
        out("newline", (" "):rep(indent))
        column = indent
      end
    elseif tag == "nest" then
      go(d[1], indent + d.depth, flat)
    elseif tag == "group" then
      if flat then
        go(d[1], indent, true)
      else
        local room = math.min(width - column, ribbon - math.max(0, column - indent))
        go(d[1], indent, flat_width(d[1], room) <= room)
      end
    elseif tag == "concat" then
      for i = 1, d.n do go(d[i], indent, flat) end
    end
  end
  go(doc, 0, false)
  return indent_stack
end

--- Renders doc to a string of at most `width` columns (default: unlimited).
function pretty.render(doc, width, ribbon_frac)
  if not is_doc(doc) then expect(1, doc, "document") end
  expect(2, width, "number", "nil")
  expect(3, ribbon_frac, "number", "nil")
  width = width or math.huge
  local ribbon = width == math.huge and math.huge or math.floor(width * (ribbon_frac or 0.6))
  local parts = {}
  layout(doc, width, ribbon, function(kind, text)
    if kind == "newline" then
      -- trailing spaces of the line before are dropped, as CC does
      parts[#parts] = parts[#parts] and parts[#parts]:gsub(" +$", "") or nil
      parts[#parts + 1] = "\n" .. text
    else
      parts[#parts + 1] = text
    end
  end)
  return table.concat(parts)
end

--- Writes doc to the terminal, wrapping at its width.
function pretty.write(doc, ribbon_frac)
  if not is_doc(doc) then expect(1, doc, "document") end
  expect(2, ribbon_frac, "number", "nil")
  local width = term.getSize()
  local ribbon = math.floor(width * (ribbon_frac or 0.6))
  local previous = term.getTextColour()
  layout(doc, width, ribbon, function(kind, text, colour)
    if kind == "newline" then
      print()
      write(text)
    else
      term.setTextColour(colour or previous)
      write(text)
    end
  end)
  term.setTextColour(previous)
end

--- write, then a newline.
function pretty.print(doc, ribbon_frac)
  pretty.write(doc, ribbon_frac)
  print()
end

local keywords = {}
for word in ([[and break do else elseif end false for function goto if in local nil not or
               repeat return then true until while]]):gmatch("%a+") do keywords[word] = true end

local function key_compare(a, b)
  local ta, tb = type(a), type(b)
  if ta ~= tb then return ta < tb end
  if ta == "number" or ta == "string" then return a < b end
  return tostring(a) < tostring(b)
end

-- A function as CC's pretty shows it: with options.function_source, where it
-- was defined (function<file:line>); with options.function_args, its
-- parameters, for a Lua function (debug.getinfo and getlocal tell them).
local function describe_function(fn, options)
  local info = (options.function_source or options.function_args) and debug.getinfo(fn, "Su")
  local name = tostring(fn)
  if options.function_source and info and info.short_src and info.linedefined and info.linedefined >= 1 then
    name = "function<" .. info.short_src .. ":" .. info.linedefined .. ">"
  end
  if options.function_args and info and info.what ~= "C" and info.nparams then
    local args = {}
    for i = 1, info.nparams do args[i] = debug.getlocal(fn, i) or "?" end
    if info.isvararg then args[#args + 1] = "..." end
    name = name .. "(" .. table.concat(args, ", ") .. ")"
  end
  return name
end

local function pretty_value(obj, seen, options)
  local ty = type(obj)
  if ty == "string" then
    return pretty.text(string.format("%q", obj):gsub("\\\n", "\\n"), colours.red)
  elseif ty == "number" then
    local text = (math.type(obj) == "float" and obj == math.floor(obj) and obj > -2^53 and obj < 2^53)
      and string.format("%d", obj) or tostring(obj)
    return pretty.text(text, colours.magenta)
  elseif ty == "boolean" or ty == "nil" then
    return pretty.text(tostring(obj), colours.orange)
  elseif ty == "function" then
    return pretty.text(describe_function(obj, options), colours.lightGrey)
  elseif ty ~= "table" or getmetatable(obj) and getmetatable(obj).__tostring then
    return pretty.text(tostring(obj), colours.lightGrey)
  end
  if seen[obj] then return pretty.text("<recursion>", colours.lightGrey) end
  seen[obj] = true
  local n = #obj
  local keys = {}
  for k in pairs(obj) do
    if not (math.type(k) == "integer" and k >= 1 and k <= n) then keys[#keys + 1] = k end
  end
  table.sort(keys, key_compare)
  if n == 0 and #keys == 0 then
    seen[obj] = nil
    return pretty.text("{}")
  end
  local items = {}
  for i = 1, n do items[#items + 1] = pretty_value(obj[i], seen, options) end
  for _, k in ipairs(keys) do
    local key
    if type(k) == "string" and not keywords[k] and k:match("^[%a_][%w_]*$") then
      key = pretty.text(k .. " = ")
    else
      key = pretty.concat("[", pretty_value(k, seen, options), "] = ")
    end
    items[#items + 1] = pretty.group(pretty.concat(key, pretty_value(obj[k], seen, options)))
  end
  seen[obj] = nil
  local body = {}
  for i, item in ipairs(items) do
    if i > 1 then body[#body + 1] = pretty.concat(",", pretty.space_line) end
    body[#body + 1] = item
  end
  return pretty.group(pretty.concat("{", pretty.nest(2, pretty.concat(pretty.space_line, table.unpack(body))),
                                    pretty.space_line, "}"))
end

--- A document for any Lua value: tables nested and sorted, values coloured.
function pretty.pretty(obj, options)
  expect(2, options, "table", "nil")
  return pretty_value(obj, {}, options or {})
end

--- print(pretty(obj)).
function pretty.pretty_print(obj, options, ribbon_frac)
  expect(2, options, "table", "nil")
  expect(3, ribbon_frac, "number", "nil")
  return pretty.print(pretty.pretty(obj, options), ribbon_frac)
end

return pretty
