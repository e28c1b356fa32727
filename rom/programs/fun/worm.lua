-- worm: the snake game. Arrow keys (or WASD) steer; eat the food, grow, and
-- stay off the walls and yourself. Enter starts, Q or Ctrl+T leaves.
local discard_char = require("cc.internal.event").discard_char
local w, h = term.getSize()
local colour = term.isColour()
local high = 0

local function centre(y, text, fg)
  term.setCursorPos(math.floor((w - #text) / 2) + 1, y)
  if fg and colour then term.setTextColour(fg) end
  term.write(text)
end

local function title()
  term.setBackgroundColour(colors.black)
  term.clear()
  centre(math.floor(h / 2) - 1, "W O R M", colors.lime)
  centre(math.floor(h / 2) + 1, "Press Enter to start, Q to quit", colors.white)
  if high > 0 then centre(math.floor(h / 2) + 3, "High score: " .. high, colors.yellow) end
  while true do
    local _, key = os.pullEvent("key")
    if key == keys.enter then return true end
    if key == keys.q then discard_char() return false end  -- its "q" is not the shell's
  end
end

local function play()
  term.setBackgroundColour(colors.black)
  term.clear()
  local top = 2
  local body = {{x = math.floor(w / 2), y = math.floor(h / 2)}}
  local length, dx, dy = 4, 1, 0
  local food
  local score = 0
  local function cell(x, y, ch, fg, bg)
    term.setCursorPos(x, y)
    if colour then
      term.setTextColour(fg)
      term.setBackgroundColour(bg or colors.black)
    end
    term.write(ch)
  end
  local function place_food()
    repeat
      food = {x = math.random(1, w), y = math.random(top, h)}
      local clash = false
      for _, p in ipairs(body) do if p.x == food.x and p.y == food.y then clash = true end end
    until not clash
    cell(food.x, food.y, "@", colors.red)
  end
  local function status()
    term.setCursorPos(1, 1)
    if colour then term.setTextColour(colors.black); term.setBackgroundColour(colors.lime) end
    term.clearLine()
    term.write(" Score: " .. score .. "   High: " .. high)
    term.setBackgroundColour(colors.black)
  end
  status()
  place_food()
  local timer = os.startTimer(0.12)
  while true do
    local event, p1 = os.pullEvent()
    if event == "key" then
      if (p1 == keys.up or p1 == keys.w) and dy == 0 then dx, dy = 0, -1
      elseif (p1 == keys.down or p1 == keys.s) and dy == 0 then dx, dy = 0, 1
      elseif (p1 == keys.left or p1 == keys.a) and dx == 0 then dx, dy = -1, 0
      elseif (p1 == keys.right or p1 == keys.d) and dx == 0 then dx, dy = 1, 0
      elseif p1 == keys.q then discard_char() return score end
    elseif event == "timer" and p1 == timer then
      local head = body[1]
      local nx, ny = head.x + dx, head.y + dy
      if nx < 1 or nx > w or ny < top or ny > h then return score end
      for _, p in ipairs(body) do if p.x == nx and p.y == ny then return score end end
      table.insert(body, 1, {x = nx, y = ny})
      cell(head.x, head.y, " ", colors.green, colors.green)
      cell(nx, ny, " ", colors.lime, colors.lime)
      if nx == food.x and ny == food.y then
        score = score + 1
        length = length + 2
        if score > high then high = score end
        status()
        place_food()
      end
      while #body > length do
        local tail = table.remove(body)
        cell(tail.x, tail.y, " ", colors.black)
      end
      timer = os.startTimer(math.max(0.05, 0.12 - score * 0.003))
    end
  end
end

while title() do
  local score = play()
  centre(math.floor(h / 2), " Game over: " .. score .. " ", colors.red)
  sleep(1.5)
end
term.setBackgroundColour(colors.black)
term.setTextColour(colors.white)
term.clear()
term.setCursorPos(1, 1)
