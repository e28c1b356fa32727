-- The least a single-state kernel can do to pass a message: every process a
-- coroutine of one Lua state, a message one table queued by reference, one
-- resume to deliver it. No filters (receiveEvent takes the next message,
-- whatever it asks for), no services, no bounded queue, no copy: the
-- floor that moonbox's ping-pong is measured against (issue 26). It runs
-- the workloads whose receives take whatever comes next (ping-pong, the
-- stream).
local kernel = {}

local procs = {}     -- pid -> {co=, queue=, qh=, qn=, waiting=, dead=, waiter=}
local ready = {}
local rh, rt = 1, 0
local next_pid = 1
local current

local function make_ready(p)
  rt = rt + 1
  ready[rt] = p
end

local ipc = {}

function ipc.sendEvent(pid, name, param)
  local p = procs[pid]
  if not p or p.dead then return false end
  local qn = p.qn + 1
  p.qn = qn
  p.queue[qn] = {name, param, current.pid}
  if p.waiting then
    p.waiting = false
    make_ready(p)
  end
  return true
end

function ipc.receiveEvent()
  local p = current
  while p.qh > p.qn do
    p.waiting = true
    coroutine.yield()
  end
  local e = p.queue[p.qh]
  p.queue[p.qh] = nil
  p.qh = p.qh + 1
  return e[1], e[2], e[3]
end

local process = {}
local modules = {["system.ipc"] = ipc, ["system.process"] = process}

function process.startString(source, name, ...)
  local env = setmetatable({require = function(m) return modules[m] or require(m) end}, {__index = _G})
  local fn = assert(load(source, "=" .. (name or "string"), "t", env))
  local pid = next_pid
  next_pid = next_pid + 1
  local p = {pid = pid, queue = {}, qh = 1, qn = 0}
  local args = table.pack(...)
  p.co = coroutine.create(function() fn(table.unpack(args, 1, args.n)) end)
  procs[pid] = p
  make_ready(p)
  return pid
end

function process.getpid() return current.pid end

function process.wait(pid)
  local p = procs[pid]
  while not p.dead do
    p.waiter = current
    coroutine.yield()
  end
  return 0
end

function kernel.run(source, ...)
  local main = process.startString(source, "main", ...)
  while rh <= rt do
    local p = ready[rh]
    ready[rh] = nil
    rh = rh + 1
    current = p
    local ok, err = coroutine.resume(p.co)
    if not ok then error(err) end
    if coroutine.status(p.co) == "dead" then
      p.dead = true
      if p.waiter then make_ready(p.waiter) end
    end
  end
  if not procs[main].dead then return nil, "the workload did not finish (deadlock)" end
  return 0
end

return kernel
