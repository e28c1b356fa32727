-- The shell as a person meets it, typed into on a terminal of its own (as
-- multishell runs one): Ctrl+T prints CC's "Terminated" alone and the next
-- prompt starts on a line of its own (issue 22, item 6); the key that ends
-- a program is not typed into the shell afterwards (item 7: worm's Q, edit's
-- "Press any key"); "command not found" names the command as typed.
-- expect-out: shell keys ok
local check = require("lib.check")
local terminal = require("system.terminal")

local id = terminal.create(51, 19)
assert(terminal.start(id, "/rom/programs/shell.lua"))

local function rows()
  local out = {}
  for y = 1, 19 do out[y] = (terminal.getLine(id, y)):gsub("%s+$", "") end
  return out
end
local function row_with(text)
  for y, row in ipairs(rows()) do if row:find(text, 1, true) then return y, row end end
end
local function wait_for(text)
  local ok, err = pcall(check.eventually, function() return row_with(text) ~= nil end, 10, "'" .. text .. "' on screen")
  if not ok then error(err .. "; the screen:\n" .. table.concat(rows(), "\n"), 2) end
end
local function cursor_row() return rows()[select(2, terminal.getCursor(id))] end
local function at_prompt() check.eventually(function() return cursor_row() == ">" end, 10, "an empty prompt") end
local function key(code)
  terminal.queueEvent(id, "key", code, false)
  terminal.queueEvent(id, "key_up", code)
end
-- as a keyboard types: the key, then its char
local function type(text)
  for c in text:gmatch(".") do
    if c == "\n" then key(keys.enter)
    else
      if keys[c] then terminal.queueEvent(id, "key", keys[c], false) end
      terminal.queueEvent(id, "char", c)
      if keys[c] then terminal.queueEvent(id, "key_up", keys[c]) end
    end
  end
end
local function terminate() terminal.queueEvent(id, "terminate") end
-- `clear`, and wait until it has run: an empty prompt alone on row 1
local function clear()
  type("clear")
  wait_for("> clear")  -- the shell is reading: then Enter
  type("\n")
  check.eventually(function()
    local r = rows()
    return r[1] == ">" and r[2] == "" and select(2, terminal.getCursor(id)) == 1
  end, 10, "a cleared screen")
end

at_prompt()

-- 6: Ctrl+T in a program in sleep, and at the lua prompt
local f = fs.open("/napper.lua", "w") f.write("write('napping') sleep(30)") f.close()
clear()
type("napper\n") wait_for("napping")
terminate()
wait_for("nappingTerminated")
at_prompt()
check.eq(row_with("traceback"), nil, "no traceback after Terminated")
local y = row_with("Terminated")
check.eq(rows()[y + 1], ">", "the prompt on the next line")

clear()
type("lua\n") wait_for("lua>")
type("1 +")
terminate()
wait_for("lua> 1 +Terminated")
at_prompt()

-- the prompt after a program that ends without a final newline
local g = fs.open("/nonl.lua", "w") g.write("write('no newline')") g.close()
clear()
type("nonl\n")
wait_for("no newline")
at_prompt()
check.eq(rows()[2], "no newline")
check.eq(rows()[3], ">", "the prompt on a line of its own")

-- 7: worm ends on Q; the shell does not get its "q"
clear()
type("worm\n") wait_for("W O R M")
-- as the window may deliver it: the key, and its text a frame later
terminal.queueEvent(id, "key", keys.q, false)
sleep(0.02)
terminal.queueEvent(id, "char", "q")
terminal.queueEvent(id, "key_up", keys.q)
check.eventually(function() return row_with("W O R M") == nil end, 10, "worm ended")
at_prompt()
sleep(0.2)
check.eq(cursor_row(), ">", "nothing typed at the prompt after worm")

-- edit's Run, then "Press any key": the key's char is not typed into the file
local h = fs.open("/hello.lua", "w") h.write("print('hi')") h.close()
clear()
type("edit hello.lua\n") wait_for("Press Ctrl for menu")
key(keys.leftCtrl)
key(keys.right)  -- Save, [Run], Exit
key(keys.enter)
wait_for("Press any key")
terminal.queueEvent(id, "key", keys.space, false)  -- a space, its text a frame later
sleep(0.02)
terminal.queueEvent(id, "char", " ")
terminal.queueEvent(id, "key_up", keys.space)
wait_for("Press Ctrl for menu")
key(keys.leftCtrl)
for _ = 1, 3 do  -- the menu keeps its choice between openings, as CC's edit
  if row_with("[Exit]") then break end
  key(keys.right)
  sleep(0.1)
end
key(keys.enter)
at_prompt()
local saved = fs.open("/hello.lua", "r") local text = saved.readAll() saved.close()
check.eq(text, "print('hi')\n", "the file after Run and a key (no space typed into it)")

-- a command that is not found is named as typed, quotes and all
clear()
type('"no such" thing\n')
wait_for('"no such": command not found')
terminal.close(id)
print("shell keys ok")
