-- An uncaught error: exit status 1, message and traceback on stderr.
-- expect-exit: 1
-- expect-out: before
-- expect-err: exit_error.lua:7: kaboom
-- expect-err: stack traceback
print("before")
error("kaboom")
