-- term: the terminal API as programs see it; it forwards each call to the
-- current redirect target (term.redirect / current / native), as CC's does.
-- The native terminal (C, vm/lib/LibTerm.cpp) is the argument.
local native = ...
local current = native
local redirecting = {}
for name, fn in pairs(native) do
  redirecting[name] = function(...) return current[name](...) end
end
function redirecting.redirect(target)
  if type(target) ~= "table" then
    error("bad argument #1 to 'redirect' (table expected, got " .. type(target) .. ")", 2)
  end
  local old = current
  current = target
  return old
end
function redirecting.current() return current end
function redirecting.native() return native end
return redirecting
