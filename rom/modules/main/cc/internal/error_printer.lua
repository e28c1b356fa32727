--- Shows an error in source code as CC's cc.internal.error_printer does:
-- paragraphs of text, and for each annotated place the line number, the
-- line of code, a coloured underline, and the annotation's message joined
-- to its underline. An internal module: its API may change.
--
-- Called as (context, message), context = {get_pos = function(pos) ->
-- line, column, get_line = function(pos) -> text}, or as CC's other shape
-- (input, get_pos, message) where get_pos also returns where the line
-- starts. A message is a list of strings, cc.pretty documents, and
-- annotations {tag = "annotate", start_pos, end_pos, msg}; a string alone
-- is printed as an error.

local pretty = require("cc.pretty")

local accent = pretty.text("\x95", colours.cyan)     -- the bar left of code
local underline_colours = { colours.red, colours.green, colours.magenta, colours.orange }

local function is_annotation(part) return type(part) == "table" and part.tag == "annotate" end

-- The runs of text of msg (a string or a document): {text, colour} pairs.
local function runs_of(msg, out)
  out = out or {}
  if type(msg) ~= "table" then
    out[#out + 1] = { tostring(msg) }
  elseif msg.tag == "text" then
    out[#out + 1] = { msg.text, msg.colour }
  elseif msg.tag == "concat" then
    for i = 1, msg.n do runs_of(msg[i], out) end
  end
  return out
end

-- Writes msg (a string or a document, in its colours) from the cursor,
-- wrapped at spaces to the width left of it: each further line starts at
-- the same column, after margin(y) has drawn what is left of it.
local function write_here(msg, margin)
  local x = term.getCursorPos()
  local width, height = term.getSize()
  local default = term.getTextColour()
  local at = x  -- the column the next word goes to
  for _, run in ipairs(runs_of(msg)) do
    if run[2] then term.setTextColour(run[2]) end
    for space, word in run[1]:gmatch("(%s*)(%S*)") do
      if at > x and at + #space + #word - 1 > width and word ~= "" then
        local _, y = term.getCursorPos()
        if y >= height then term.scroll(1) else y = y + 1 end
        margin(y)
        term.setCursorPos(x, y)
        at, space = x, ""  -- a new line starts with the word
      end
      term.write(space .. word)
      at = at + #space + #word
    end
    term.setTextColour(default)
  end
  print()
end

-- Shows the annotations message[first..] that fit on one line of code;
-- returns the index after the last one shown.
local function show_line(context, message, first, next_colour)
  local width = term.getSize()
  local line_no, first_col = context.get_pos(message[first].start_pos)
  local contents = context.get_line(message[first].start_pos) or ""

  -- The columns one screen line can show: from the code's indent (or a
  -- little before the first mark), for as many marks as fit.
  local min_col = math.max(contents:find("%S") or 1, first_col - 5)
  local max_col = min_col + (width - 25)
  local marks, index = {}, first
  while is_annotation(message[index]) do
    local part = message[index]
    local line, col = context.get_pos(part.start_pos)
    if line ~= line_no or col > max_col then break end
    local end_line, end_col = context.get_pos(part.end_pos)
    marks[#marks + 1] = { msg = part.msg, colour = colours.toBlit(next_colour()), col = col,
      end_line = end_line, end_col = end_col }
    index = index + 1
  end

  -- The part of the line shown, with « and » where it is cut.
  local start_col = math.max(1, marks[#marks].col - (max_col - min_col))
  local str_start, str_end = start_col, start_col + width - 2
  local prefix, suffix = "", ""
  if start_col > 1 then
    str_end, start_col = str_end - 1, start_col - 1
    prefix = pretty.text("\xab", colours.grey)
  end
  if str_end < #contents then
    str_end = str_end - 1
    suffix = pretty.text("\xbb", colours.grey)
  end
  -- (pretty.concat, not `..` on documents: see cc.internal.syntax.errors)
  pretty.print(pretty.concat(accent, pretty.text("Line " .. line_no, colours.cyan)))
  pretty.print(pretty.concat(accent, prefix, pretty.text(contents:sub(str_start, str_end), colours.lightGrey), suffix))

  -- The underlines; a mark with a message gets a connector in its middle.
  local _, y = term.getCursorPos()
  pretty.write(accent)
  for _, mark in ipairs(marks) do
    local last = mark.end_col
    if mark.end_line ~= line_no or last > str_end then last = str_end end
    local len = math.max(1, last - mark.col + 1)
    local at = mark.col - start_col + 2
    local chars, fg, bg
    if mark.msg ~= "" then
      local offset = last == str_end and 0 or math.ceil(len / 2) - 1
      mark.connector = at + offset
      local before, after = offset, len - offset - 1
      chars = ("\x83"):rep(before) .. "\x94" .. ("\x83"):rep(after)
      fg = mark.colour:rep(before) .. "f" .. mark.colour:rep(after)
      bg = ("f"):rep(before) .. mark.colour .. ("f"):rep(after)
    else
      chars, fg, bg = ("\x83"):rep(len), mark.colour:rep(len), ("f"):rep(len)
    end
    term.setCursorPos(at, y)
    term.blit(chars, fg, bg)
  end
  print()

  -- The messages, each on a line of its own, joined to their underline;
  -- the connectors of the marks still to come run down beside them.
  local rightmost = 0
  for _, mark in ipairs(marks) do rightmost = math.max(rightmost, mark.connector or 0) end
  for i, mark in ipairs(marks) do
    if mark.msg ~= "" then
      local _, row = term.getCursorPos()
      pretty.write(accent)
      local len = math.max(2, rightmost - mark.connector + 2)
      term.setCursorPos(mark.connector, row)
      term.blit("\x8a" .. ("\x8c"):rep(len - 2) .. "\x84", mark.colour:rep(len), ("f"):rep(len))
      write_here(mark.msg, function(line)
        term.setCursorPos(1, line)
        pretty.write(accent)
        for j = i + 1, #marks do
          if marks[j].msg ~= "" then
            term.setCursorPos(marks[j].connector, line)
            term.blit("\x95", "f", marks[j].colour)
          end
        end
      end)
    end
  end
  return index
end

return function(context, message, third)
  if type(context) == "string" then  -- (input, get_pos, message)
    local input, get_pos = context, message
    message = third
    context = {
      get_pos = get_pos,
      get_line = function(pos) return input:match("[^\r\n]*", select(3, get_pos(pos))) end,
    }
  end
  if type(message) ~= "table" or getmetatable(message) ~= nil then
    printError(tostring(message))
    return
  end
  local colour = 0
  local function next_colour()
    colour = colour % #underline_colours + 1
    return underline_colours[colour]
  end
  local index = 1
  while message[index] ~= nil do
    if index > 1 then print() end
    local part = message[index]
    if is_annotation(part) then
      index = show_line(context, message, index, next_colour)
    else
      if type(part) == "table" then pretty.print(part) else print(part) end
      index = index + 1
    end
  end
end
