-- string.gsub with a function as the replacement, in Lua so that the
-- function may yield (pull events, sleep) as CC allows. vm/lua/LibYield.cpp
-- calls this; string.find (moonbox's matcher, with a budget) does the
-- matching. The results are those of Lua's gsub, empty matches included.
local find, sub, concat, tostring, type, select = string.find, string.sub, table.concat, tostring, type, select

local function value_of(s, st, en, fn, ...)
  local v
  if select("#", ...) > 0 then v = fn(...) else v = fn(sub(s, st, en)) end
  if v == nil or v == false then return sub(s, st, en) end
  local t = type(v)
  if t == "string" or t == "number" then return tostring(v) end
  error("invalid replacement value (a " .. t .. ")", 3)
end

return function(s, pattern, fn, max)
  local anchored = sub(pattern, 1, 1) == "^"
  local out, n = {}, 0
  local count, pos, last = 0, 1, nil
  local len = #s
  while max == nil or count < max do
    local results = table.pack(find(s, pattern, pos))
    local st, en = results[1], results[2]
    if not st or (anchored and st ~= 1) then break end
    if en < st and st == last then
      -- an empty match right after the previous one: skip a character
      if st > len then break end
      n = n + 1
      out[n] = sub(s, pos, st)
      pos = st + 1
    else
      n = n + 1
      out[n] = sub(s, pos, st - 1)
      n = n + 1
      out[n] = value_of(s, st, en, fn, table.unpack(results, 3, results.n))
      count = count + 1
      last = en + 1
      if en >= st then
        pos = en + 1
      else
        if st <= len then
          n = n + 1
          out[n] = sub(s, st, st)
        end
        pos = st + 1
      end
    end
    if anchored or pos > len + 1 then break end
  end
  n = n + 1
  out[n] = sub(s, pos)
  return concat(out, "", 1, n), count
end
