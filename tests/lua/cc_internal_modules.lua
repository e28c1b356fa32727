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

-- cc.internal.syntax: CC's parser-based messages, shown by
-- cc.internal.error_printer (read back from a window wide enough not to wrap)
local function shown(fn, ...)
  local w = window.create(term.current(), 1, 1, 100, 40, false)
  local previous = term.redirect(w)
  local result = fn(...)
  term.redirect(previous)
  local _, y = w.getCursorPos()
  local lines = {}
  for i = 1, y - 1 do lines[i] = (w.getLine(i):gsub("%s+$", "")) end
  return result, lines
end
local function says(source, ...)
  local ok, lines = shown(syntax.parse_program, source)
  check.eq(ok, false, source)
  local all = table.concat(lines, "\n")
  for _, words in ipairs({...}) do check.truthy(all:find(words, 1, true), source .. " should say " .. words .. ":\n" .. all) end
  return lines
end
local lines = says("if x = 1 then end", "Unexpected = in expression.",
  "Tip: Replace this with == to check if two values are equal.", "\x95Line 1", "\x95if x = 1 then end")
check.eq(lines[5]:sub(7, 7), "\x83", "the = is underlined")
says("if x print(1) end", "Expected then after if condition.", "If statement started here.",
  "Expected then before here.")
says("while true do", "Unexpected end of file. Expected end or another statement.", "Block started here.",
  "Expected end of block here.")
says("function f()\n  if x then\n    print(1)\n  end\n", "Unexpected end of file. Expected end or another statement.",
  "\x95Line 1", "\x95function f()", "\x95Line 5")
says("end", "Unexpected end.", "Your program contains more ends than needed.")
says('x = "abc', 'This string is not finished. Are you missing a closing quote (")?', "String started here.",
  "Expected a closing quote here.")
says("x = [[abc", "This string was never finished.", "We expected a closing delimiter (]])")
says("local function a.b() end", "Cannot use local function with a table key.", ". appears here.",
  "Tip: Try removing this local keyword.")
says("f(1, )", "Unexpected ) in function call.", "Tip: Try removing this ,.")
says("x = 1 && 2", "Unexpected character.", "Tip: Replace this with and to check if both values are true.")
says("x = 1 != 2", "Tip: Replace this with ~= to check if two values are not equal.")
says("local t = {1 2}", "Unexpected number in table.", "Are you missing a comma here?")
says("local t = {a.b = 1}", "Tip: Wrap the preceding expression in [ and ] to use it as a table key.")
says("x.y z", "Unexpected identifier after name.", "Did you mean to assign this or call it as a function?")
says("print", "Unexpected end of file after name.", "Tip: Use () to call with no arguments.")
says("a, b", "Did you mean to assign this?")
says("x = (1 + 2", "Unexpected end of file. Are you missing a closing bracket?", "Brackets were opened here.")
says("x = 3 +", "Unexpected end of file. Expected an expression.")
says("for 1 = 1, 2 do end", "Unexpected number. Expected a variable name.")
says("function f x", "Unexpected identifier. Expected ( to start function arguments.")
says("::top x", "Label was started here.", "Tip: Try adding :: here.")
says("x = 2eee2", "This isn't a valid number.")
says("x = 1 @ 2", "Unexpected character.", "This character isn't usable in Lua code.")
-- the words and marked places of CC's parser (its golden spec): the first
-- paragraph, then each annotation as "first-last message"
local parser = require("cc.internal.syntax.parser")
local function marks(source, mode)
  local ok, message = parser.parse(source, mode or "program")
  check.eq(ok, false, source)
  local out = { tostring(message[1]) }
  for _, part in ipairs(message) do
    if type(part) == "table" and part.tag == "annotate" then
      out[#out + 1] = (part.start_pos .. "-" .. part.end_pos .. " " .. tostring(part.msg)):gsub(" $", "")
    end
  end
  return out
end
check.same(marks("return { x = \"abc\" = }"), { "Unexpected = in expression.", "20-20" })
check.same(marks("print({ 1, )"), { "Unexpected ). Are you missing a closing bracket?",
  "7-7 Brackets were opened here.", "12-12 Unexpected ) here." })
check.same(marks("print({ [\"x\"] = 1 [\"y\"] = 2 })"), { "Unexpected [ in table.", "19-19",
  "18-18 Are you missing a comma here?" })
check.same(marks("local function f(a"), { "Unexpected end of file. Are you missing a closing bracket?",
  "17-17 Brackets were opened here.", "19-19 Unexpected end of file here." })
check.same(marks("local function f()"), { "Unexpected end of file. Expected end or another statement.",
  "1-14 Block started here.", "19-19 Expected end of block here." })
check.same(marks("if true then\nelse\n  print(1)"), { "Unexpected end of file. Expected end or another statement.",
  "14-17 Block started here.", "29-29 Expected end of block here." })
check.same(marks("x 1"), { "Unexpected number after name.", "3-3" })
check.same(marks("goto 2"), { "Unexpected number after name.", "6-6" })
check.same(marks("::"), { "Unexpected end of file.", "3-3" })
check.eq(marks("repeat\n  end\nuntil true")[1], "Unexpected end.")
check.same(marks("--[=["), { "This comment was never finished.", "1-5 Comment was started here." })
check.same(marks("return [="), { "Incorrect start of a long string.", "8-10" })
check.same(marks("return \"abc\\z\n"), { "This string is not finished. Are you missing a closing quote (\")?",
  "8-8 String started here.", "14-14 Expected a closing quote here." })
check.same(marks("return 2..3"), { "This isn't a valid number.", "8-11" })
-- (its exhaustive spec: each error state's words)
check.same(marks("function xyz : while"), { "Unexpected while.", "16-20" })
check.same(marks("xyz , xyz while"), { "Unexpected while after name.", "11-11" })
check.same(marks("( xyz ) while"), { "Unexpected while.", "9-13" })
check.same(marks("return while"), { "Unexpected while. Expected a statement.", "8-12" })
check.same(marks("return xyz )"), { "Unexpected ). Expected a statement.", "12-12" })
check.same(marks("function ( while", "exprs"), { "Unexpected while. Are you missing a closing bracket?",
  "10-10 Brackets were opened here.", "12-16 Unexpected while here." })
check.same(marks("xyz ( while", "exprs"), { "Unexpected while. Are you missing a closing bracket?",
  "5-5 Brackets were opened here.", "7-11 Unexpected while here." })
check.same(marks("xyz : xyz while", "exprs"), { "Unexpected while.", "11-15" })
check.same(marks("{ [ xyz ] while", "exprs"), { "Unexpected while.", "11-15" })
check.same(marks("... true", "exprs"), { "Unexpected true.", "5-8" })

-- CC's internal API, which CC's own specs drive: lex_one with a context
-- (lines, reports that let lexing go on), parse(context, get_token, start)
do
  local lex_one = require("cc.internal.syntax.lexer").lex_one
  local tokens = parser.tokens
  local function run(input, start)
    local lines, reports, seen = { 1 }, {}, {}
    local context = { line = function(pos) lines[#lines + 1] = pos end }
    function context.get_pos(pos)
      for i = #lines, 1, -1 do if pos >= lines[i] then return i, pos - lines[i] + 1 end end
    end
    function context.report(message) reports[#reports + 1] = tostring(message[1]) end
    local pos = 1
    parser.parse(context, function()
      while true do
        local token, first, last = lex_one(context, input, pos)
        if not token then return tokens.EOF, #input + 1, #input + 1 end
        pos = last + 1
        if token ~= tokens.COMMENT then
          seen[#seen + 1] = token
          return token, first, last
        end
      end
    end, start)
    return reports, seen, lines
  end
  local reports, seen = run("if a != b then end")
  check.same(reports, { "Unexpected character." })  -- reported, and lexing went on
  check.same(seen, { tokens.IF, tokens.IDENT, tokens.NE, tokens.IDENT, tokens.THEN, tokens.END })
  check.same(run("x 1"), { "Unexpected number after name." })
  check.same(run("x +", parser.repl_exprs), { "Unexpected end of file. Expected an expression." })
  check.same(run("return 1"), {})
  check.same(select(3, run("a = 1\n--[[\n]]\nb = 2")), { 1, 7, 12, 15 })
  check.truthy(tokens.COMMENT > tokens.WHILE and tokens.ERROR > tokens.COMMENT)
end

-- nothing to say about what Lua 5.4 accepts: every file of the rom
check.eq(syntax.parse_program("x = y // 2 & 3 | ~4 << 1 >> 2 ~ 5\nlocal k <const> = 1\ngoto e ::e::"), true)
local rom_files = fs.find("/rom/*/*.lua")
for _, pattern in ipairs({"/rom/*.lua", "/rom/*/*/*.lua", "/rom/*/*/*/*.lua", "/rom/*/*/*/*/*.lua"}) do
  for _, file in ipairs(fs.find(pattern)) do rom_files[#rom_files + 1] = file end
end
check.truthy(#rom_files > 100, #rom_files)
for _, file in ipairs(rom_files) do
  local handle = fs.open(file, "r")
  local source = handle.readAll()
  handle.close()
  local ok, said = shown(syntax.parse_program, source)
  check.eq(ok, true, file .. ": " .. table.concat(said, "\n"))
end
-- the REPL: an expression or statements; the reading that got further speaks
check.eq(syntax.parse_repl("1 + 1"), true)
check.eq(syntax.parse_repl("x = 1"), true)
local repl_ok, repl_lines = shown(syntax.parse_repl, "x = ")
check.eq(repl_ok, false)
check.eq(repl_lines[1], "Unexpected end of file. Expected an expression.")
check.eq(select(2, shown(syntax.parse_repl, "for"))[1], "Unexpected end of file. Expected a variable name.")
check.raises("bad argument #1 (string expected, got nil)", syntax.parse_repl)
-- a program with a syntax error, run by shell.run or os.run: CC's message
local bad = fs.open("/bad_syntax.lua", "w") bad.write("print('a')\nif x = 1 then\nend\n") bad.close()
local ran, ran_lines = shown(shell.run, "/bad_syntax.lua")
check.eq(ran, false)
check.eq(ran_lines[1], "Unexpected = in expression.")
check.eq(ran_lines[3], "\x95Line 2")
check.eq(select(2, shown(os.run, {}, "/bad_syntax.lua"))[1], "Unexpected = in expression.")
fs.delete("/bad_syntax.lua")

-- cc.exception (CC's public module): try turns an error into an Exception
-- that keeps its coroutine; anything but a string passes as it is
local cc_exception = require("cc.exception")
local eok, exn = cc_exception.try(function() error("deep", 0) end)
check.eq(eok, false)
check.truthy(cc_exception.is_exception(exn))
check.eq(tostring(exn), "deep")
check.eq(type(exn.thread), "thread")
check.eq(exn.root_cause, exn)
local again = cc_exception.wrap_error(exn, coroutine.create(print))
check.eq(again.cause, exn)
check.eq(again.root_cause, exn)
check.eq(again.message, "deep")
local plain_error = {}
check.eq(select(2, cc_exception.try(function() error(plain_error) end)), plain_error)
check.same(table.pack(cc_exception.try(function(a) return a, 2 end, 1)), {true, 1, 2, n = 3})
-- cc.internal.exception.report takes CC's later form (exception, chunks)
printed = {}
_G.print = function(s) printed[#printed + 1] = s end
local _, exn2 = cc_exception.try(load("local a = 1\nerror('second')", "=chunk"))
exception.report(exn2, {chunk = "local a = 1\nerror('second')"})
_G.print = old
check.truthy(printed[1] and printed[1]:find("2 | error('second')", 1, true), tostring(printed[1]))
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
-- where it happened: the program's frames, none of try's own
report_lines = {}
_G.print = function(text) report_lines[#report_lines + 1] = text end
local _, err1, co1 = exception.try(load("error('at the top')", "=top"))
exception.report(err1, co1)
local _, err2, co2 = exception.try(load("local function inner() error('deeper') end\ninner()", "=deep"))
exception.report(err2, co2)
_G.print = real_print
local shown_report = table.concat(report_lines, "\n")
check.eq(#report_lines, 3, shown_report)  -- no traceback for the first: one frame
check.eq(report_lines[1], "stack traceback:")
check.truthy(report_lines[2]:find("^  deep:1:"), shown_report)
check.truthy(report_lines[3]:find("^  deep:2:"), shown_report)
check.eq(shown_report:find("exception.lua", 1, true), nil, shown_report)
print("internal modules ok")
