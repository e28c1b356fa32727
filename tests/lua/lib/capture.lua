-- Runs a command with shell.run, in the caller's process, capturing what it
-- prints through stubbed print, printError and write, as CC's own test
-- helpers do: capture(command) -> {ok =, output =, error =}. expect_run
-- checks all three (error defaults to "").
local check = require("lib.check")

local M = {}

function M.capture(command)
  local out, err = {}, {}
  local saved = { print = _G.print, printError = _G.printError, write = _G.write }
  local function joined(...)
    local t = table.pack(...)
    for i = 1, t.n do t[i] = tostring(t[i]) end
    return table.concat(t, " ", 1, t.n) .. "\n"
  end
  _G.print = function(...) out[#out + 1] = joined(...) end
  _G.printError = function(...) err[#err + 1] = joined(...) end
  _G.write = function(text) out[#out + 1] = tostring(text) end
  local ok = shell.run(command)
  _G.print, _G.printError, _G.write = saved.print, saved.printError, saved.write
  return { ok = ok, output = table.concat(out), error = table.concat(err) }
end

function M.expect_run(command, output, error)
  check.same(M.capture(command), { ok = true, output = output, error = error or "" }, command)
end

return M
