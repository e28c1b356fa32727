-- read(replaceChar, history, completeFn, default): a line editor with
-- history (up/down), completion (tab; completeFn(text) gives suffixes) and
-- the usual keys. A background process that reads gets SIGTTIN.
local expect = require("cc.expect").expect
return function(replace, history, complete, default)
  expect(1, replace, "string", "nil")
  expect(2, history, "table", "nil")
  expect(3, complete, "function", "nil")
  expect(4, default, "string", "nil")
  local process = require("system.process")
  if process.getforeground() ~= process.getpid() then
    local ipc = require("system.ipc")
    ipc.kill(process.getpid(), ipc.signal.SIGTTIN)
  end
  local line = default or ""
  local pos = #line
  local hist_index
  local start_x, start_y = term.getCursorPos()
  local width = term.getSize()
  local completions, completion_index

  local function refresh_completions()
    completions, completion_index = nil, nil
    if complete and pos == #line then
      completions = complete(line)
      if completions and #completions > 0 then completion_index = 1 else completions = nil end
    end
  end

  local function redraw(clear)
    local scroll = math.max(0, start_x + pos - width)
    term.setCursorPos(start_x, start_y)
    local shown = replace and string.rep(replace:sub(1, 1), #line) or line
    local text = shown:sub(scroll + 1)
    term.write(clear and string.rep(" ", #text + 20) or text)
    if not clear and completion_index then
      local fg = term.getTextColour()
      term.setTextColour(colors.gray)
      term.write(completions[completion_index])
      term.setTextColour(fg)
    elseif not clear then
      term.write(string.rep(" ", 20))
    end
    term.setCursorPos(start_x + pos - scroll, start_y)
  end

  term.setCursorBlink(true)
  refresh_completions()
  redraw()
  while true do
    local event, a = os.pullEvent()
    if event == "char" then
      line = line:sub(1, pos) .. a .. line:sub(pos + 1)
      pos = pos + 1
      refresh_completions()
      redraw()
    elseif event == "paste" then
      line = line:sub(1, pos) .. a .. line:sub(pos + 1)
      pos = pos + #a
      refresh_completions()
      redraw()
    elseif event == "key" then
      if a == keys.enter or a == keys.numPadEnter then
        if completion_index then redraw(true); completion_index = nil; redraw() end
        break
      elseif a == keys.left and pos > 0 then
        pos = pos - 1
        refresh_completions(); redraw()
      elseif a == keys.right then
        if pos < #line then pos = pos + 1; refresh_completions(); redraw()
        elseif completion_index then
          redraw(true)
          line = line .. completions[completion_index]
          pos = #line
          refresh_completions(); redraw()
        end
      elseif a == keys.tab and completion_index then
        redraw(true)
        line = line .. completions[completion_index]
        pos = #line
        refresh_completions(); redraw()
      elseif (a == keys.up or a == keys.down) and completion_index then
        redraw(true)
        completion_index = (completion_index + (a == keys.up and -2 or 0)) % #completions + 1
        redraw()
      elseif (a == keys.up or a == keys.down) and history and #history > 0 then
        redraw(true)
        if a == keys.up then
          hist_index = hist_index and math.max(1, hist_index - 1) or #history
        elseif hist_index then
          hist_index = hist_index < #history and hist_index + 1 or nil
        end
        line = hist_index and history[hist_index] or ""
        pos = #line
        refresh_completions(); redraw()
      elseif a == keys.backspace and pos > 0 then
        redraw(true)
        line = line:sub(1, pos - 1) .. line:sub(pos + 1)
        pos = pos - 1
        refresh_completions(); redraw()
      elseif a == keys.delete and pos < #line then
        redraw(true)
        line = line:sub(1, pos) .. line:sub(pos + 2)
        refresh_completions(); redraw()
      elseif a == keys.home then
        pos = 0; refresh_completions(); redraw()
      elseif a == keys["end"] then
        pos = #line; refresh_completions(); redraw()
      end
    elseif event == "term_resize" then
      -- as CC's: the line is drawn again where the cursor now is (a program
      -- that printed over the prompt, such as the shell's import, moves it)
      width = term.getSize()
      start_y = select(2, term.getCursorPos())
      redraw()
    end
  end
  term.setCursorBlink(false)
  local _, y = term.getCursorPos()
  local _, height = term.getSize()
  if y >= height then
    term.scroll(1)
    term.setCursorPos(1, height)
  else
    term.setCursorPos(1, y + 1)
  end
  return line
end
