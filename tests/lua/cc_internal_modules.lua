-- CC's internal modules that programs (CC's own lua program, edit's Run)
-- load: cc.internal.exception, syntax, error_printer, event (issue 23).
-- expect-out: internal modules ok
local check = require("lib.check")
local exception = require("cc.internal.exception")
local syntax = require("cc.internal.syntax")
check.eq(type(require("cc.internal.error_printer")), "function")
check.eq(type(require("cc.internal.event").discard_char), "function")

-- try: results on success; on error, false, the error and the coroutine
check.same(table.pack(exception.try(function(a, b) return a + b, "x" end, 1, 2)), {true, 3, "x", n = 3})
local ok, err, co = exception.try(function() error("boom at line") end)
check.eq(ok, false)
check.truthy(err:find("boom at line", 1, true), err)
check.eq(type(co), "thread")
-- the function may pull events (its yields pass through try)
os.queueEvent("for_try", 42)
local ok2, value = exception.try(function() local _, v = os.pullEvent("for_try") return v end)
check.eq(ok2, true)
check.eq(value, 42)

-- CC's exception protocol: an error in one of parallel's coroutines comes
-- out of try with that coroutine (nested parallels too), as its message;
-- under a pcall it stays the plain string, and try gives its own coroutine.
do
  local expected
  local ok4, msg4, thread4 = exception.try(parallel.waitForAny, function()
    expected = coroutine.running()
    error("Oh no")
  end)
  check.eq(ok4, false)
  check.truthy(msg4:find("cc_internal_modules.lua:%d+: Oh no$"), msg4)
  check.eq(thread4, expected)
  local _, msg5, thread5 = exception.try(parallel.waitForAll, function()
    parallel.waitForAny(function()
      expected = coroutine.running()
      error("Oh no")
    end)
  end)
  check.truthy(msg5:find("Oh no$"), msg5)
  check.eq(thread5, expected)
  local _, msg6, thread6 = exception.try(function()
    expected = coroutine.running()
    local ok, e = pcall(parallel.waitForAny, function() parallel.waitForAny(function() error("Oh no") end) end)
    check.eq(ok, false)
    check.eq(type(e), "string")
    error(e, 0)
  end)
  check.truthy(msg6:find("Oh no$"), msg6)
  check.eq(thread6, expected)
  local okp, ep = pcall(parallel.waitForAny, function() error("Test error") end)
  check.eq(okp, false)
  check.truthy(tostring(ep):find("Test error$"), ep)
  check.truthy(exception.is_exception(exception.make_exception("m", coroutine.create(print))))
  check.eq(exception.is_exception("m"), false)
end

-- report prints the line pointed at, from the chunks given
local printed = {}
local old = _G.print
_G.print = function(s) printed[#printed + 1] = s end
local fn = load("local x = 1\nerror('second line fails')", "@/demo.lua")
local ok3, err3, co3 = exception.try(fn)
exception.report(err3, co3, {["@/demo.lua"] = "local x = 1\nerror('second line fails')"})
_G.print = old
check.eq(ok3, false)
check.truthy(printed[1] and printed[1]:find("2 | error('second line fails')", 1, true), tostring(printed[1]))
-- a chunk loaded with a prefix on its first line (the lua program's
-- "return _echo("): the line shown is the input itself
printed = {}
_G.print = function(s) printed[#printed + 1] = s end
local ok4, err4, co4 = exception.try(load("return _echo(error('boom')\n)", "=lua[1]", "t", {_echo = function(...) return ... end, error = error}))
exception.report(err4, co4, {["=lua[1]"] = {contents = "error('boom')", offset = 13}})
_G.print = old
check.eq(ok4, false)
check.truthy(printed[1] and printed[1]:find("1 | error('boom')", 1, true), tostring(printed[1]))

-- the parser defers to the compiler's message
check.eq(syntax.parse_repl("1 +"), true)
check.eq(syntax.parse_program("x = = 1"), true)
check.raises("bad argument #1 (string expected, got nil)", syntax.parse_repl)
-- cc.require: the module's name and path passed to it; CC's words when a
-- module is not found
local fh = fs.open("/req_mod.lua", "w") fh.write("return {...}") fh.close()
local req = require("cc.require").make({}, "/")
check.same(req("req_mod"), {"req_mod", "req_mod.lua"})
local _, missing = pcall(req, "no.such")
check.eq(missing:match("^[^\n]*\n[^\n]*\n[^\n]*"), "module 'no.such' not found:\n  no field package.preload['no.such']\n  no file 'no/such'")
-- cc.internal.error_hints: "Did you mean" for a misspelt global, local or field
local error_hints = require("cc.internal.error_hints")
local function tip_for(code)
  local co = coroutine.create(assert(load(code, "=input.lua")))
  local ok, err = coroutine.resume(co)
  check.eq(ok, false)
  local tip = error_hints.get_tip(err:match("^[^:]+:%d+: (.*)"), co, 0)
  return tip and tostring(tip) or nil
end
check.eq(tip_for("pront()"), "Did you mean: print?")
check.eq(tip_for("local foo; fot()"), "Did you mean: foo?")
check.eq(tip_for("redstone.getinput()"), "Did you mean: getInput?")
check.eq(tip_for("redstone.getAnaloguInput()"), "Did you mean: getAnalogInput or getAnalogueInput?")
check.eq(tip_for("zzzzzzzzzzzz()"), nil, "nothing close")
check.eq(tip_for("error('x')"), nil, "not a nil value")
-- exception.report shows the hint under the source line
local report_lines = {}
local real_print = _G.print
_G.print = function(text) report_lines[#report_lines + 1] = text end
local _, err, co = exception.try(load("local x = 1\npront(x)", "=input"))
exception.report(err, co, { input = "local x = 1\npront(x)" })
_G.print = real_print
check.eq(report_lines[1], "    2 | pront(x)")
check.eq(report_lines[2], "Did you mean: print?")
print("internal modules ok")
