-- Headless output of other computers is line-buffered per computer (issue
-- 26): computer 1 writes "one-", computer 2 "two-", then each ends its line;
-- the lines never join ("[1] one-[2] two-done").
-- expect-out: lines ok
-- expect-err: [1] one-done
-- expect-err: [2] two-done
-- computer-file: 1 startup.lua partial_one.lua
-- computer-file: 2 startup.lua partial_two.lua
assert(periphemu.create(1, "computer"))
assert(periphemu.create(2, "computer"))
sleep(1)
print("lines ok")
