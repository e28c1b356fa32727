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
  require("cc.expect").expect(1, target, "table")
  if target == redirecting or target == _G.term then
    error("term is not a recommended redirect target, try term.current() instead", 2)
  end
  for name, fn in pairs(native) do
    if type(fn) == "function" and type(target[name]) ~= "function" then
      target[name] = function() error("Redirect object is missing method " .. name .. ".", 2) end
    end
  end
  local old = current
  current = target
  return old
end
function redirecting.current() return current end
function redirecting.native() return native end
return redirecting
