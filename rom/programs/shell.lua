-- shell: the command line. Each command runs as its own process (its own Lua
-- state); `&` runs it in the background. Ctrl+Z stops the foreground job and
-- gives the terminal back to the shell; `jobs`, `fg` and `bg` manage jobs.
local process = require("system.process")
local ipc = require("system.ipc")

local history = {}
local jobs = {}        -- number -> {pid=, command=, state="running"|"stopped"}
local next_job = 1
local last_status = 0
local me = process.getpid()

-- Words of a command line: spaces split, "double quotes" group. A trailing
-- & asks for the background.
local function parse(line)
  local words, current, quoted = {}, nil, false
  for c in line:gmatch(".") do
    if c == '"' then
      quoted = not quoted
      current = current or ""
    elseif c:match("%s") and not quoted then
      if current then words[#words + 1] = current; current = nil end
    else
      current = (current or "") .. c
    end
  end
  if current then words[#words + 1] = current end
  local background = false
  if words[#words] == "&" then
    background = true
    words[#words] = nil
  elseif words[#words] and words[#words]:sub(-1) == "&" then
    background = true
    words[#words] = words[#words]:sub(1, -2)
  end
  return words, background
end

-- Every program name on the path (and alias), for completion.
local function program_names()
  local names, seen = {}, {}
  for _, name in ipairs(shell.programs()) do seen[name] = true; names[#names + 1] = name end
  for alias in pairs(shell.aliases()) do
    if not seen[alias] then seen[alias] = true; names[#names + 1] = alias end
  end
  for _, b in ipairs({"jobs", "fg", "bg"}) do
    if not seen[b] then names[#names + 1] = b end
  end
  table.sort(names)
  return names
end

-- Tab completion: program names for the first word, paths after it.
local function complete(line)
  local words = parse(line)
  local partial = line:match("(%S*)$")
  local results = {}
  if line == "" then return results end
  if #words <= 1 and not line:find("%s") then
    for _, name in ipairs(program_names()) do
      if name:sub(1, #partial) == partial and #name > #partial then
        results[#results + 1] = name:sub(#partial + 1) .. " "
      end
    end
    return results
  end
  local dir, base = partial:match("^(.*/)([^/]*)$")
  if not dir then dir, base = "", partial end
  local list_dir = dir == "" and "." or dir
  if not fs.isDir(list_dir) then return results end
  for _, file in ipairs(fs.list(list_dir)) do
    if file:sub(1, #base) == base and #file > #base then
      local full = (dir == "" and "" or dir) .. file
      results[#results + 1] = file:sub(#base + 1) .. (fs.isDir(full) and "/" or "")
    end
  end
  table.sort(results)
  return results
end

local function job_of(pid)
  for n, job in pairs(jobs) do
    if job.pid == pid then return n, job end
  end
end

local function report_done(info)
  local n, job = job_of(info.id)
  if not n then return false end
  print(("[%d] Done (%d)  %s"):format(n, info.status, job.command))
  jobs[n] = nil
  pcall(process.wait, info.id, 0)
  return true
end

-- Waits for the foreground job: it ends, or it stops (Ctrl+Z) and becomes a
-- job. Other events are handled on the way.
local function wait_foreground(pid, command)
  -- (a command started in the foreground has the terminal already, and may
  -- have ended by now; `fg` hands it over here)
  pcall(process.setforeground, pid)
  while true do
    local event, info = os.pullEventRaw()
    if event == "process_complete" then
      if info.id == pid then
        pcall(process.wait, pid, 0)
        shell.applyUpdates(pid)
        local n = job_of(pid)
        if n then jobs[n] = nil end
        last_status = info.status
        if info.signal and info.signal ~= ipc.signal.SIGINT and info.signal ~= ipc.signal.SIGPIPE then
          printError("Terminated by signal " .. info.signal)
        end
        break
      else
        report_done(info)
      end
    elseif event == "process_stopped" and info.id == pid then
      local n = job_of(pid)
      if not n then
        n = next_job
        next_job = next_job + 1
        jobs[n] = {pid = pid, command = command}
      end
      jobs[n].state = "stopped"
      print()
      print(("[%d]+ Stopped  %s"):format(n, command))
      last_status = 128 + (info.signal or ipc.signal.SIGSTOP)
      break
    end
  end
  process.setforeground(me)
end

local function find_job(arg)
  if arg then
    local n = tonumber((arg:gsub("^%%", "")))
    return n, n and jobs[n]
  end
  local best
  for n in pairs(jobs) do if not best or n > best then best = n end end
  return best, best and jobs[best]
end

local builtins = {}

function builtins.cd(args)
  local target = args[1] or "/"
  local ok, err = process.chdir(target)
  if not ok then printError(err); return 1 end
  return 0
end

function builtins.exit() return "exit" end

function builtins.jobs()
  local numbers = {}
  for n in pairs(jobs) do numbers[#numbers + 1] = n end
  table.sort(numbers)
  for _, n in ipairs(numbers) do
    local job = jobs[n]
    local state = process.getpinfo(job.pid) and job.state or "done"
    print(("[%d] %-8s %5d  %s"):format(n, state, job.pid, job.command))
  end
  return 0
end

-- fg and bg: job control with a job number (%N or N), or with none while
-- there are jobs; otherwise CC's: open a multishell tab running PROGRAM (a
-- new shell when none is given), fg in front, bg behind.
local function job_spec(args)
  if args[1] then
    local n = tonumber((args[1]:gsub("^%%", "")))
    return n and jobs[n] and n or nil
  end
  return next(jobs) ~= nil and find_job(nil) or nil
end

local function open_tab(name, args, in_front)
  if not shell.openTab then printError("Requires multishell") return 1 end
  local tab = shell.openTab(table.unpack(args))  -- no program: a shell tab
  if not tab then printError(name .. ": cannot open a tab") return 1 end
  if in_front then shell.switchTab(tab) end
  return 0
end

-- The job fg or bg names; when it names none, what it does instead (opens a
-- tab, or says there is no such job): nil and that status.
local function job_for(name, args, in_front)
  local n = job_spec(args)
  if n then return n end
  if args[1] and args[1]:match("^%%?%d+$") then
    printError(name .. ": no such job")
    return nil, 1
  end
  return nil, open_tab(name, args, in_front)
end

function builtins.fg(args)
  local n, status = job_for("fg", args, true)
  if not n then return status end
  local job = jobs[n]
  print(job.command)
  job.state = "running"
  pcall(process.setforeground, job.pid)  -- (a job may have just ended: wait reports it)
  pcall(ipc.kill, job.pid, ipc.signal.SIGCONT)
  wait_foreground(job.pid, job.command)
  return last_status
end

function builtins.bg(args)
  local n, status = job_for("bg", args, false)
  if not n then return status end
  local job = jobs[n]
  job.state = "running"
  ipc.kill(job.pid, ipc.signal.SIGCONT)
  print(("[%d] %s &"):format(n, job.command))
  return 0
end

local function run(line)
  local words, background = parse(line)
  if #words == 0 then return end
  local name = table.remove(words, 1)
  if builtins[name] then
    local result = builtins[name](words)
    if result == "exit" then return "exit" end
    last_status = result or 0
    return
  end
  local start = background and shell.start or shell.startForeground
  local pid, err = start(name, table.unpack(words))
  if not pid then
    if err == "No such program" then
      -- named as it was typed, quotes and all
      printError((line:match('^%s*(".-")') or line:match("^%s*(%S+)") or name) .. ": command not found")
      last_status = 127
    else
      -- A syntax error is explained as CC's shell explains it.
      local file = shell.resolveProgram(name)
      if file then require("cc.internal.syntax").print_load_error("/" .. file, err) else printError(err) end
      last_status = 126
    end
    return
  end
  if background then
    local n = next_job
    next_job = next_job + 1
    jobs[n] = {pid = pid, command = line:gsub("%s*&%s*$", ""), state = "running"}
    print(("[%d] %d"):format(n, pid))
    last_status = 0
  else
    -- In a multishell tab, the tab is named after the program while it
    -- runs, as CC's shell does.
    local function title(text) return pcall(function() multishell.setTitle(multishell.getCurrent(), text) end) end
    local titled = multishell and title((fs.getName(name):gsub("%.lua$", "")))
    wait_foreground(pid, line)
    if titled then title("shell") end
  end
end

-- The prompt and the loop -------------------------------------------------------
term.setBackgroundColour(colors.black)
-- The shell init starts at boot is the process's main chunk (nothing calls
-- it); a shell that a program runs with shell.run (CC's nested shell) is not.
local at_boot = process.getppid() == 1 and debug.getinfo(2, "S") == nil

-- The banner, for an interactive shell only (`shell PROGRAM` goes straight
-- to the program, as CC's): moonbox's on a fresh screen at boot, CC's
-- version line for a nested shell.
if select("#", ...) == 0 then
  if at_boot and term.getCursorPos() == 1 and select(2, term.getCursorPos()) == 1 then
    term.clear()
    term.setTextColour(colors.yellow)
    print("moonbox " .. (_HOST:match("moonbox ([%w%.]+)") or "") .. " (" .. os.version() .. ")")
  elseif not at_boot then
    term.setTextColour(colors.yellow)
    print(os.version())
  end
  term.setTextColour(colors.white)
end

-- At boot (the shell init starts), startup.lua or the files of startup/
-- run first, as in CC; without them, those of the first floppy that has
-- some (shell.allow_disk_startup).
local function find_startups(dir)
  local files = {}
  for _, name in ipairs({"startup.lua", "startup"}) do
    local path = fs.combine(dir, name)
    if fs.exists(path) and not fs.isDir(path) then files[#files + 1] = path end
  end
  local folder = fs.combine(dir, "startup")
  if fs.isDir(folder) then
    local names = fs.list(folder)
    table.sort(names)
    for _, name in ipairs(names) do files[#files + 1] = fs.combine(folder, name) end
  end
  return #files > 0 and files or nil
end

if at_boot then
  -- As CC's shell at the top: the rom's startup (its autorun files), a
  -- message of the day, then the user's startup files.
  shell.run("/rom/startup.lua")
  if settings.get("motd.enable") then shell.run("motd") end
  local files = settings.get("shell.allow_startup") and find_startups("/") or nil
  if not files and settings.get("shell.allow_disk_startup") then
    for _, name in ipairs(peripheral.getNames()) do
      if disk.isPresent(name) and disk.hasData(name) then
        files = find_startups(disk.getMountPath(name))
        if files then break end
      end
    end
  end
  for _, file in ipairs(files or {}) do
    run('"/' .. file .. '"')
    if shell.exitRequested() then return end
  end
end

if select("#", ...) > 0 then  -- `shell PROGRAM ARGS`: runs the program, then ends, as CC's
  local words = {...}
  for i, word in ipairs(words) do
    if word:find('[%s"]') then words[i] = '"' .. word:gsub('"', "") .. '"' end
  end
  run(table.concat(words, " "))
  return
end

-- The prompt, as CC's: the directory relative to the root, then "> ".
local function prompt()
  term.setTextColour(colors.yellow)
  write(shell.dir() .. "> ")
  term.setTextColour(colors.white)
end

-- Reads a command line. Files dropped on the window meanwhile (a
-- file_transfer event) are saved with cc.internal.import, and the prompt
-- comes back with what was typed, as CC's shell does.
local function read_command()
  local co = coroutine.create(read)
  local ok, result = coroutine.resume(co, nil, history, complete)
  while coroutine.status(co) ~= "dead" do
    local event = table.pack(os.pullEventRaw())
    if event[1] == "file_transfer" and type(event[2]) == "table" and event[2].getFiles then
      local _, height = term.getSize()
      local _, y = term.getCursorPos()
      if y == height then
        term.scroll(1)
        term.setCursorPos(1, y)
      else
        term.setCursorPos(1, y + 1)
      end
      term.setCursorBlink(false)
      local saved, err = pcall(require("cc.internal.import"), event[2].getFiles())
      if not saved then printError(err) end
      prompt()
      term.setCursorBlink(true)
      event = { "term_resize", n = 1 }  -- read draws its line again, here
    end
    if result == nil or event[1] == result or event[1] == "terminate" then
      ok, result = coroutine.resume(co, table.unpack(event, 1, event.n))
    end
  end
  if not ok then error(result, 0) end
  return result
end

while true do
  -- Jobs that ended in the background are reported before the prompt.
  -- (Their process_complete events may have gone to read(), so the shell
  -- asks the kernel instead.)
  for n, job in pairs(jobs) do
    local info = process.getpinfo(job.pid)
    if info and info.state == "zombie" then
      report_done({id = job.pid, status = info.status})
    elseif not info then
      jobs[n] = nil
    end
  end
  -- A program that ended mid-line (no final newline, or Ctrl+T in read)
  -- leaves the cursor there: the prompt starts on a line of its own.
  if term.getCursorPos() ~= 1 then print() end
  prompt()
  local line = read_command()
  if line:match("%S") then
    if history[#history] ~= line then history[#history + 1] = line end
    if run(line) == "exit" or shell.exitRequested() then break end
  end
end
