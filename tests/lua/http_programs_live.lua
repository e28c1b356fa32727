-- wget, wget run, pastebin get/run/put and gist get/run/info/put against a
-- local stand-in for the web, which moonbox's configuration file (--config)
-- names as the pastebin and gist services.
-- http-stand-in
-- moonbox-options: --http-allow 127.0.0.1 --config {config}
-- args: {port}
-- expect-out: http programs live ok
local check = require("lib.check")
local function capture(command)  -- what it printed, errors after output
  local r = require("lib.capture").capture(command)
  return r.output .. r.error
end
local port = ...
local base = "http://127.0.0.1:" .. port

check.eq(settings.get("pastebin.url"), base, "the configuration's pastebin address")
check.eq(settings.get("gist.url"), base, "the configuration's gist address")

-- wget saves, refuses to overwrite, and runs with arguments
local out = capture("wget " .. base .. "/hello")
check.eq(out, "Connecting to " .. base .. "/hello... Success.\nDownloaded as hello\n", "wget")
local f = fs.open("hello", "r")
check.eq(f.readAll(), "Hello, world!\n", "the downloaded file")
f.close()
check.eq(capture("wget " .. base .. "/hello"), "File already exists\n", "wget again")
check.eq(capture("wget " .. base .. "/binary bin"), "Connecting to " .. base .. "/binary... Success.\nDownloaded as bin\n", "binary")
check.eq(fs.getSize("bin"), 256, "a binary download keeps its bytes")
check.eq(capture("wget run " .. base .. "/raw/x a b"), "Connecting to " .. base .. "/raw/x... Success.\nHello a b\n", "wget run")
out = capture("wget " .. base .. "/missing nothing")
check.truthy(out:find("Failed.", 1, true), "wget of a 404: " .. out)
check.eq(fs.exists("nothing"), false, "nothing saved for a 404")

-- pastebin against the stand-in
check.eq(capture("pastebin get abcde paste"), "Connecting to 127.0.0.1:" .. port .. "... Success.\nDownloaded as paste\n", "pastebin get")
f = fs.open("paste", "r")
check.eq(f.readAll(), 'print("Hello", ...)\n', "the paste")
f.close()
check.eq(capture("pastebin run abcde x y"), "Connecting to 127.0.0.1:" .. port .. "... Success.\nHello x y\n", "pastebin run")
out = capture("pastebin put paste")
check.truthy(out:find("Uploaded as " .. base .. "/abcde", 1, true), "pastebin put: " .. out)

-- gist against the stand-in
check.eq(capture("gist get 1234abcd g.lua"), "Connecting to 127.0.0.1:" .. port .. "... Success.\nDownloaded as g.lua\n", "gist get")
check.eq(capture("gist run 1234abcd 1 2"), "Connecting to 127.0.0.1:" .. port .. "... Success.\nHello 1 2\n", "gist run")
check.eq(capture("gist info 1234abcd"), "Connecting to 127.0.0.1:" .. port .. "... Success.\nhello.lua\n", "gist info")
out = capture("gist put paste g.lua -- two files")
check.truthy(out:find("Uploaded as http://127.0.0.1/gist/c0ffee", 1, true), "gist put: " .. out)
check.truthy(capture("gist"):find("gist get <id> <filename>", 1, true), "gist's usage")
print("http programs live ok")
