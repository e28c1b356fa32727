-- table.sort with a comparator, in Lua so that the comparator may yield (and
-- be preempted) as CC allows; without one (nil), with `<`, whose __lt may
-- yield here. vm/lua/LibYield.cpp calls this. A merge sort: stable, and
-- never reads outside 1..n whatever the comparator answers.
return function(t, lt)
  lt = lt or function(x, y) return x < y end
  local n = #t
  if n < 2 then return end
  local a, b = {}, {}
  for i = 1, n do a[i] = t[i] end
  local width = 1
  while width < n do
    local i = 1
    while i <= n do
      local mid = math.min(i + width, n + 1)
      local hi = math.min(i + 2 * width, n + 1)
      local l, r, k = i, mid, i
      while l < mid and r < hi do
        if lt(a[r], a[l]) then
          b[k] = a[r]
          r = r + 1
        else
          b[k] = a[l]
          l = l + 1
        end
        k = k + 1
      end
      while l < mid do b[k] = a[l]; l = l + 1; k = k + 1 end
      while r < hi do b[k] = a[r]; r = r + 1; k = k + 1 end
      i = hi
    end
    a, b = b, a
    width = width * 2
  end
  for i = 1, n do t[i] = a[i] end
end
