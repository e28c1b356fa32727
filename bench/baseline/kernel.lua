-- A single-state coroutine kernel in the style of Phoenix and CraftOS: every
-- process is a coroutine of one Lua state. It offers the same system.ipc and
-- system.process calls the workloads use, with the same semantics (deep-copied
-- messages, a bounded queue, filtered receive that keeps the rest queued in
-- order, services), so that moonbox can be measured against it side by side.
-- It has no isolation at all: that is the point of the comparison.
--
-- kernel.mode chooses how a message travels:
--   "copy"  a deep copy, as fast as it honestly can be: a flat message (no
--           table inside) is copied without a `seen` table, and a blocked
--           process reuses its wait record (what moonbox's semantics need);
--   "naive" the first version of this baseline: a `seen` table for every
--           message, a recursive call per scalar, a new wait record per block;
--   "ref"   by reference, as CraftOS's os.queueEvent passes tables: the
--           fastest thing a single-state system can do, with no copy at all.
local kernel = {mode = "copy"}

local procs = {}       -- pid -> {co=, queue=, qh=, qn=, wait=, dead=, status=, parent=}
local run_queue = {}   -- pids ready to run
local rq_head, rq_tail = 1, 0
local services = {}
local next_pid = 1
local current           -- the running process
local QUEUE_MAX = 4096
local clock = os.clock

local function naive_copy(v, seen)
  if type(v) ~= "table" then return v end
  seen = seen or {}
  if seen[v] then return seen[v] end
  local t = {}
  seen[v] = t
  for k, x in next, v do t[naive_copy(k, seen)] = naive_copy(x, seen) end
  return t
end

-- A deep copy that keeps shared subtables shared and cycles cyclic; it
-- recurses into tables only.
local function deep_copy(v, seen)
  local done = seen[v]
  if done then return done end
  local t = {}
  seen[v] = t
  for k, x in next, v do
    if type(k) == "table" then k = deep_copy(k, seen) end
    if type(x) == "table" then x = deep_copy(x, seen) end
    t[k] = x
  end
  return t
end

local function copy(v)
  if type(v) ~= "table" then return v end
  local t = {}
  for k, x in next, v do
    if type(x) == "table" or type(k) == "table" then return deep_copy(v, {}) end
    t[k] = x
  end
  return t
end

local function pass(v) return v end

local function make_ready(p)
  if p.queued_to_run or p.dead then return end
  p.queued_to_run = true
  rq_tail = rq_tail + 1
  run_queue[rq_tail] = p.pid
end

local function matches(w, e)
  return (w.pid == nil or w.pid == e.sender) and (w.name == nil or w.name == e.name)
end

local ipc = {signal = {SIGKILL = 9, SIGTERM = 15}}

-- Each queue is an array from qh to qn; taking the first event is O(1),
-- taking one from the middle shifts the rest (so order is kept).
function ipc.sendEvent(pid, name, param)
  local p = procs[pid]
  if not p or p.dead or p.qn - p.qh + 1 >= QUEUE_MAX then return false end
  local e = {name = name, param = kernel.transfer(param or {}), sender = current.pid}
  p.qn = p.qn + 1
  p.queue[p.qn] = e
  if p.wait and matches(p.wait, e) then make_ready(p) end
  return true
end

function ipc.receiveEvent(pid, name, timeout)
  local p = current
  local deadline = timeout and clock() + timeout
  while true do
    local q = p.queue
    for i = p.qh, p.qn do
      local e = q[i]
      if (pid == nil or pid == e.sender) and (name == nil or name == e.name) then
        if i == p.qh then
          q[i] = nil
          p.qh = i + 1
        else
          table.move(q, i + 1, p.qn, i)
          q[p.qn] = nil
          p.qn = p.qn - 1
        end
        return e.name, e.param, e.sender
      end
    end
    if deadline and clock() >= deadline then return nil end
    if kernel.mode == "naive" then
      p.wait = {pid = pid, name = name, deadline = deadline}
    else
      local w = p.wait_record or {}
      p.wait_record = w
      w.pid, w.name, w.deadline = pid, name, deadline
      p.wait = w
    end
    coroutine.yield()
    p.wait = nil
  end
end

function ipc.register(name)
  if services[name] and services[name] ~= current.pid and not procs[services[name]].dead then return false end
  services[name] = current.pid
  return true
end

function ipc.lookup(name) return services[name] end

function ipc.sendServiceEvent(name, event, param)
  local pid = services[name]
  if not pid then return false end
  return ipc.sendEvent(pid, event, param)
end

local process = {}
local modules = {["system.ipc"] = ipc, ["system.process"] = process}

function process.startString(source, name, ...)
  local env = setmetatable({require = function(m) return modules[m] or require(m) end}, {__index = _G})
  local fn, err = load(source, "=" .. (name or "string"), "t", env)
  if not fn then return nil, err end
  local pid = next_pid
  next_pid = next_pid + 1
  local p = {pid = pid, queue = {}, qh = 1, qn = 0, parent = current and current.pid, args = table.pack(...)}
  p.co = coroutine.create(function(...)
    local ok, e = pcall(fn, ...)
    p.status = ok and 0 or 1
    p.error = (not ok) and e or nil
  end)
  procs[pid] = p
  make_ready(p)
  return pid
end

function process.getpid() return current.pid end

function process.wait(pid)
  local p = procs[pid]
  while not p.dead do
    current.wait = {child = pid}
    p.waiter = current
    coroutine.yield()
    current.wait = nil
  end
  procs[pid] = nil
  return p.status
end

function process.sleep()
  make_ready(current)
  coroutine.yield()
end

-- Runs until no process can run.
function kernel.run(source, ...)
  kernel.transfer = ({copy = copy, naive = naive_copy, ref = pass})[kernel.mode]
  current = nil
  local main = process.startString(source, "main", ...)
  while rq_head <= rq_tail do
    local pid = run_queue[rq_head]
    run_queue[rq_head] = nil
    rq_head = rq_head + 1
    local p = procs[pid]
    if p and not p.dead then
      p.queued_to_run = false
      current = p
      local args = p.args
      p.args = nil
      local ok, err
      if args then ok, err = coroutine.resume(p.co, table.unpack(args, 1, args.n))
      else ok, err = coroutine.resume(p.co) end
      if not ok then error(err) end
      if coroutine.status(p.co) == "dead" then
        p.dead = true
        if p.waiter then make_ready(p.waiter) end
        for k, owner in pairs(services) do if owner == pid then services[k] = nil end end
      elseif p.wait and p.wait.deadline then
        make_ready(p)  -- a timed wait polls
      end
    end
  end
  local m = procs[main]
  if not m or not m.dead then return nil, "the workload did not finish (deadlock)" end
  return m.status, m.error
end

return kernel
