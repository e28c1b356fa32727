-- gist: shares programs through GitHub gists.
--   gist get <id> <filename>         downloads a gist's first file
--   gist run <id> [arguments...]     runs a gist's first Lua file
--   gist info <id>                   lists a gist's files and description
--   gist put <filenames...> [-- description]
--                                    uploads files as a new gist
-- The API's address is the gist.url setting (moonbox's configuration may
-- move it), and uploads need the gist.id setting: a GitHub personal access
-- token with the gist scope.
local args = { ... }
local name = arg[0] or fs.getName(shell.getRunningProgram())

local function usage()
  print("Usages:")
  print(name .. " put <filenames...> [-- description]")
  print(name .. " get <id> <filename>")
  print(name .. " run <id> [arguments...]")
  print(name .. " info <id>")
end

if #args < 2 then
  usage()
  return
end
if not http then
  printError("Gist requires the http API, but it is not enabled")
  return
end

local base = (settings.get("gist.url") or "https://api.github.com"):gsub("/+$", "")
local headers = { Accept = "application/vnd.github+json" }
local token = settings.get("gist.id")
if token and token ~= "" then headers.Authorization = "token " .. token end

-- A gist's id, from an id or any of its URLs.
local function id_of(given)
  return given:match("^(%x+)$") or given:match("/(%x+)/?$")
end

-- The gist's JSON, decoded, or nil after saying why not.
local function fetch(given)
  local id = id_of(given)
  if not id then
    printError("Invalid gist ID.")
    return nil
  end
  write("Connecting to " .. base:gsub("^%a+://", "") .. "... ")
  local response, err = http.get(base .. "/gists/" .. id, headers)
  if not response then
    print("Failed.")
    printError(err)
    return nil
  end
  local doc = textutils.unserialiseJSON(response.readAll() or "")
  response.close()
  if type(doc) ~= "table" or type(doc.files) ~= "table" then
    print("Failed.")
    printError("The gist could not be read.")
    return nil
  end
  print("Success.")
  return doc
end

-- Its files, sorted by name, Lua files first.
local function files_of(doc)
  local files = {}
  for file_name, file in pairs(doc.files) do
    files[#files + 1] = { name = file_name, content = file.content or "" }
  end
  table.sort(files, function(a, b)
    local la, lb = a.name:find("%.lua$") ~= nil, b.name:find("%.lua$") ~= nil
    if la ~= lb then return la end
    return a.name < b.name
  end)
  return files
end

local command = args[1]
if command == "get" or command == "run" then
  if command == "get" and #args < 3 then
    usage()
    return
  end
  local doc = fetch(args[2])
  if not doc then return end
  local file = files_of(doc)[1]
  if not file then
    printError("The gist has no files.")
    return
  end
  if command == "get" then
    local path = shell.resolve(args[3])
    if fs.exists(path) then
      print("File already exists")
      return
    end
    local out, err = fs.open(path, "w")
    if not out then
      printError("Cannot save file: " .. err)
      return
    end
    out.write(file.content)
    out.close()
    print("Downloaded as " .. args[3])
  else
    local program, err = load(file.content, file.name, "t", _ENV)
    if not program then
      printError(err)
      return
    end
    local ok, failure = pcall(program, table.unpack(args, 3))
    if not ok then printError(failure) end
  end
elseif command == "info" then
  local doc = fetch(args[2])
  if not doc then return end
  if doc.description and doc.description ~= "" then print("Description: " .. doc.description) end
  for _, file in ipairs(files_of(doc)) do print(file.name) end
elseif command == "put" then
  local files, description = {}, nil
  for i = 2, #args do
    if args[i] == "--" then
      description = table.concat(args, " ", i + 1)
      break
    end
    local path = shell.resolve(args[i])
    if not fs.exists(path) or fs.isDir(path) then
      print("No such file: " .. args[i])
      return
    end
    local file = fs.open(path, "r")
    files[fs.getName(path)] = { content = file.readAll() or "" }
    file.close()
  end
  write("Connecting to " .. base:gsub("^%a+://", "") .. "... ")
  local body = textutils.serialiseJSON({ description = description or "", public = true, files = files })
  local post_headers = { ["Content-Type"] = "application/json" }
  for k, v in pairs(headers) do post_headers[k] = v end
  local response, err = http.post(base .. "/gists", body, post_headers)
  if not response then
    print("Failed.")
    printError(err)
    return
  end
  local doc = textutils.unserialiseJSON(response.readAll() or "") or {}
  response.close()
  print("Success.")
  print("Uploaded as " .. tostring(doc.html_url or doc.id))
  print("Run \"gist get " .. tostring(doc.id) .. "\" to download anywhere")
else
  usage()
end
