-- wget: downloads a file from the internet, or runs it, as CC's.
--   wget <url> [filename]   saves it (named after the URL's last part)
--   wget run <url> [args]   runs it as a program, with the arguments
local args = { ... }
local name = arg[0] or fs.getName(shell.getRunningProgram())

local function usage()
  print("Usage:")
  print(name .. " <url> [filename]")
  print(name .. " run <url>")
end

local run = args[1] == "run"
if run then table.remove(args, 1) end
if #args < 1 then
  usage()
  return
end
local url = table.remove(args, 1)

if not http then
  printError("wget requires the http API, but it is not enabled")
  return
end

-- The file name a URL suggests: its last path part, without query or anchor.
local function name_of(address)
  return address:gsub("[#?].*", ""):gsub("/+$", ""):match("/([^/]+)$")
end

-- The body at `address`, or nil after saying why not.
local function fetch(address)
  local ok, why = http.checkURL(address)
  if not ok then
    printError(why or "Invalid URL.")
    return nil
  end
  write("Connecting to " .. address .. "... ")
  local response = http.get(address, nil, true)
  if not response then
    print("Failed.")
    return nil
  end
  print("Success.")
  local body = response.readAll()
  response.close()
  return body or ""
end

if run then
  local body = fetch(url)
  if not body then return end
  local program, err = load(body, name_of(url) or url, "t", _ENV)
  if not program then
    printError(err)
    return
  end
  local ok, failure = pcall(program, table.unpack(args))
  if not ok then printError(failure) end
  return
end

local file_name = args[1] or name_of(url) or url
local path = shell.resolve(file_name)
if fs.exists(path) then
  print("File already exists")
  return
end
local body = fetch(url)
if not body then return end
local file, err = fs.open(path, "wb")
if not file then
  printError("Cannot save file: " .. err)
  return
end
file.write(body)
file.close()
print("Downloaded as " .. file_name)
