--- Prints a syntax error with the line it is on and a marker under the
-- place, as CC's cc.internal.error_printer. An internal module.
--
-- The context is {get_pos = function(pos) -> line, column, get_line =
-- function(pos) -> text}; the message is a string, or a list of strings and
-- annotations {pos, end_pos, message} (their positions are marked).

return function(context, message)
  if type(message) == "string" then
    printError(message)
    return
  end
  for _, part in ipairs(message) do
    if type(part) == "string" then
      printError(part)
    elseif type(part) == "table" and part.pos and context then
      local line, column = context.get_pos(part.pos)
      local text = context.get_line(part.pos) or ""
      local width = part.end_pos and select(2, context.get_pos(part.end_pos)) - column + 1 or 1
      print(("%5d | %s"):format(line, text))
      print(("      | %s%s %s"):format((" "):rep(column - 1), ("^"):rep(math.max(width, 1)), part[1] or part.message or ""))
    end
  end
end
