-- wget and pastebin, as CC's, against a stubbed http API (as CC's own specs
-- test them): downloads, runs with arguments, uploads, CC's words, usage
-- and completion; without http they say so.
-- expect-out: http programs ok
local check = require("lib.check")
local capture, expect_run = require("lib.capture").capture, require("lib.capture").expect_run

local function stub_http(body)
  _G.http = {
    checkURL = function() return true end,
    get = function()
      return {
        readAll = function() return body end,
        close = function() end,
        getResponseHeaders = function() return { ["Content-Type"] = "text/plain; charset=utf-8" } end,
      }
    end,
    post = function(url, form)
      _G.posted = { url, form }
      return { readAll = function() return "https://pastebin.com/abcde" end, close = function() end }
    end,
  }
end
local program = [[print("Hello", ...)]]

stub_http(program)
fs.delete("/example.com")
expect_run("wget https://example.com", "Connecting to https://example.com... Success.\nDownloaded as example.com\n")
check.eq(fs.exists("/example.com"), true)
expect_run("wget https://example.com", "File already exists\n")
fs.delete("/test-files/download")
stub_http(nil)
capture("wget https://example.com /test-files/download")
check.eq(fs.getSize("/test-files/download"), 0, "an empty body makes an empty file")
stub_http(program)
expect_run("wget https://example.com /rom/a-file.txt", "Connecting to https://example.com... Success.\n",
  "Cannot save file: /rom/a-file.txt: Access denied\n")
expect_run("wget run http://test.com a b c", "Connecting to http://test.com... Success.\nHello a b c\n")
expect_run("wget", "Usage:\nwget <url> [filename]\nwget run <url>\n")
check.same(shell.getCompletionInfo()["rom/programs/http/wget.lua"].fnComplete(shell, 1, "", {}), { "run " })

fs.delete("/testdown")
expect_run("pastebin get abcde testdown", "Connecting to pastebin.com... Success.\nDownloaded as testdown\n")
check.eq(fs.exists("/testdown"), true)
expect_run("pastebin run abcde a b c", "Connecting to pastebin.com... Success.\nHello a b c\n")
local f = fs.open("testup", "w")
f.write("x = 1")
f.close()
expect_run("pastebin put testup",
  "Connecting to pastebin.com... Success.\nUploaded as https://pastebin.com/abcde\nRun \"pastebin get abcde\" to download anywhere\n")
check.eq(_G.posted[1], "https://pastebin.com/api/api_post.php")
check.truthy(_G.posted[2]:find("api_paste_code=x+%3D+1", 1, true), _G.posted[2])
expect_run("pastebin put nothing", "No such file\n")
expect_run("pastebin", "Usages:\npastebin put <filename>\npastebin get <code> <filename>\npastebin run <code> <arguments>\n")
check.same(shell.getCompletionInfo()["rom/programs/http/pastebin.lua"].fnComplete(shell, 1, "", {}), { "put ", "get ", "run " })

_G.http = nil
expect_run("wget https://example.com", "", "wget requires the http API, but it is not enabled\n")
expect_run("pastebin get abcde x", "", "Pastebin requires the http API, but it is not enabled\n")
print("http programs ok")
