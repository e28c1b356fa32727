-- The end of the main chunk is status 0; print writes one line per call.
-- expect-exit: 0
-- expect-out: one
-- expect-out: two	2	true	nil
-- expect-out: three
print("one")
print("two", 2, true, nil)
print("three")
