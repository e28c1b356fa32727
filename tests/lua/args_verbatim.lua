-- Everything after PROGRAM is passed to it verbatim and in order, in ... and
-- in arg, options that look like moonbox's and "--" included (issue 23).
-- args: -f x --help -- y --data-dir
-- expect-out: 6	-f x --help -- y --data-dir
-- expect-out: arg -f x --help -- y --data-dir
local n = select("#", ...)
print(n, table.concat({...}, " "))
print("arg " .. table.concat(arg, " ", 1, #arg))
