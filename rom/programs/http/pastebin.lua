-- pastebin: shares programs through pastebin.com, as CC's.
--   pastebin put <filename>          uploads a file, says its code
--   pastebin get <code> <filename>   downloads a paste
--   pastebin run <code> [args]       runs a paste as a program
-- The service's address is the pastebin.url setting, and uploads use the
-- pastebin.key setting (a pastebin.com developer key).
local args = { ... }
local name = fs.getName(arg[0] or shell.getRunningProgram())

local function usage()
  print("Usages:")
  print(name .. " put <filename>")
  print(name .. " get <code> <filename>")
  print(name .. " run <code> <arguments>")
end

if #args < 2 then
  usage()
  return
end
if not http then
  printError("Pastebin requires the http API, but it is not enabled")
  return
end

local base = (settings.get("pastebin.url") or "https://pastebin.com"):gsub("/+$", "")
local host = base:gsub("^%a+://", "")

-- The paste's code, from a code or any of pastebin's URLs for it.
local function code_of(given)
  local code = given:match("^([%a%d]+)$")
  if code then return code end
  given = given:gsub("^%a+://", "")
  for _, form in ipairs({ "^[^/]+/([%a%d]+)$", "^[^/]+/raw/([%a%d]+)$" }) do
    code = given:match(form)
    if code then return code end
  end
  return nil
end

-- The paste's text, or nil after saying why not.
local function fetch(given)
  local code = code_of(given)
  if not code then
    printError("Invalid pastebin code.")
    print("The code is the ID at the end of the pastebin.com URL.")
    return nil
  end
  write("Connecting to " .. host .. "... ")
  -- a fresh query each time, so that the service checks for spam again
  local fresh = ("%x"):format(math.random(0, 2 ^ 30))
  local response, err = http.get(base .. "/raw/" .. textutils.urlEncode(code) .. "?cb=" .. fresh)
  if not response then
    printError("Failed.")
    print(err)
    return nil
  end
  -- A paste held back by the spam check comes as an HTML page.
  local headers = response.getResponseHeaders and response.getResponseHeaders() or {}
  local kind = headers["Content-Type"]
  if kind and not kind:find("^text/plain") then
    response.close()
    printError("Failed.")
    print("Pastebin blocked the download due to spam protection. Please complete the captcha in a web browser: "
      .. base .. "/" .. textutils.urlEncode(code))
    return nil
  end
  print("Success.")
  local text = response.readAll()
  response.close()
  return text or ""
end

local command = args[1]
if command == "put" then
  local path = shell.resolve(args[2])
  if not fs.exists(path) or fs.isDir(path) then
    print("No such file")
    return
  end
  local file = fs.open(path, "r")
  local text = file.readAll() or ""
  file.close()
  write("Connecting to " .. host .. "... ")
  local form = "api_option=paste&api_dev_key=" .. textutils.urlEncode(settings.get("pastebin.key") or "")
    .. "&api_paste_format=lua&api_paste_name=" .. textutils.urlEncode(fs.getName(path))
    .. "&api_paste_code=" .. textutils.urlEncode(text)
  local response = http.post(base .. "/api/api_post.php", form)
  if not response then
    print("Failed.")
    return
  end
  print("Success.")
  local address = response.readAll() or ""
  response.close()
  print("Uploaded as " .. address)
  print("Run \"" .. name .. " get " .. (address:match("[^/]+$") or address) .. "\" to download anywhere")
elseif command == "get" then
  if #args < 3 then
    usage()
    return
  end
  local path = shell.resolve(args[3])
  if fs.exists(path) then
    print("File already exists")
    return
  end
  local text = fetch(args[2])
  if not text then return end
  local file, err = fs.open(path, "w")
  if not file then
    printError("Cannot save file: " .. err)
    return
  end
  file.write(text)
  file.close()
  print("Downloaded as " .. args[3])
elseif command == "run" then
  local text = fetch(args[2])
  if not text then return end
  local program, err = load(text, args[2], "t", _ENV)
  if not program then
    printError(err)
    return
  end
  local ok, failure = pcall(program, table.unpack(args, 3))
  if not ok then printError(failure) end
else
  usage()
end
