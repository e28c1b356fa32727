-- settings: CC's settings API. Values are kept in memory and written by
-- settings.save() (default /.settings) as textutils.serialise does;
-- settings.define gives a setting a description, a default and a type.
local expect = (require and require("cc.expect") or dofile("rom/modules/main/cc/expect.lua"))
local field = expect.field
expect = expect.expect

local settings = {}
local details, values = {}, {}

local valid_types = {number = true, string = true, boolean = true, table = true}
for _, v in pairs(valid_types) do valid_types[v] = true end

local function reserialize(value)
  if type(value) ~= "table" then return value end
  return textutils.unserialise(textutils.serialise(value))
end

local function copy(value)
  if type(value) ~= "table" then return value end
  local result = {}
  for k, v in pairs(value) do result[k] = copy(v) end
  return result
end

function settings.define(name, options)
  expect(1, name, "string")
  expect(2, options, "table", "nil")
  if options then
    options = {
      description = field(options, "description", "string", "nil"),
      default = reserialize(field(options, "default", "number", "string", "boolean", "table", "nil")),
      type = field(options, "type", "string", "nil"),
    }
    if options.type and not valid_types[options.type] then
      error(("Unknown type %q. Expected one of %s."):format(options.type, "number, string, boolean, table"), 2)
    end
  else
    options = {}
  end
  details[name] = options
end

function settings.undefine(name)
  expect(1, name, "string")
  details[name] = nil
end

local function set_value(name, new)
  local old = values[name]
  if old == nil then
    local opt = details[name]
    old = opt and opt.default
  end
  values[name] = new
  if old ~= new then
    -- to this process (moonbox keeps settings per process, see README)
    os.queueEvent("setting_changed", name, new, old)
  end
end

function settings.set(name, value)
  expect(1, name, "string")
  expect(2, value, "number", "string", "boolean", "table")
  local opt = details[name]
  if opt and opt.type then expect(2, value, opt.type) end
  set_value(name, reserialize(value))
end

function settings.get(name, default)
  expect(1, name, "string")
  local result = values[name]
  if result ~= nil then return copy(result) end
  if default ~= nil then return default end
  local opt = details[name]
  return opt and copy(opt.default)
end

function settings.getDetails(name)
  expect(1, name, "string")
  local deets = copy(details[name]) or {}
  deets.value = values[name]
  deets.changed = deets.value ~= nil
  if deets.value == nil then deets.value = deets.default end
  return deets
end

function settings.unset(name)
  expect(1, name, "string")
  set_value(name, nil)
end

function settings.clear()
  for name in pairs(values) do set_value(name, nil) end
end

function settings.getNames()
  local result, n = {}, 1
  for k in pairs(details) do result[n] = k; n = n + 1 end
  for k in pairs(values) do
    if not details[k] then result[n] = k; n = n + 1 end
  end
  table.sort(result)
  return result
end

function settings.load(path)
  expect(1, path, "string", "nil")
  local file = fs.open(path or ".settings", "r")
  if not file then return false end
  local text = file.readAll()
  file.close()
  local loaded = textutils.unserialise(text)
  if type(loaded) ~= "table" then return false end
  for k, v in pairs(loaded) do
    if type(k) == "string" and (type(v) == "string" or type(v) == "number" or type(v) == "boolean" or type(v) == "table") then
      local opt = details[k]
      if not opt or not opt.type or opt.type == type(v) then
        -- A value that cannot be serialised again (a function inside, a
        -- cycle) is skipped, as CC does.
        local ok, copy_of = pcall(reserialize, v)
        if ok then set_value(k, copy_of) end
      end
    end
  end
  return true
end

function settings.save(path)
  expect(1, path, "string", "nil")
  local file = fs.open(path or ".settings", "w")
  if not file then return false end
  file.write(textutils.serialise(values))
  file.close()
  return true
end

-- CC's defaults (_CC_DEFAULT_SETTINGS may change them), then /.settings.
local function define_defaults()
  -- Every setting CC's bios defines, with CC's default, type and words.
  local function define(name, default, description)
    settings.define(name, {default = default, description = description, type = type(default)})
  end
  define("shell.allow_startup", true, "Run startup files when the computer turns on.")
  define("shell.allow_disk_startup", true, "Run startup files from disk drives when the computer turns on.")
  define("shell.autocomplete", true, "Autocomplete program and arguments in the shell.")
  define("edit.autocomplete", true, "Autocomplete API and function names in the editor.")
  define("lua.autocomplete", true, "Autocomplete API and function names in the Lua REPL.")
  define("edit.default_extension", "lua", [[The file extension the editor will use if none is given. Set to "" to disable.]])
  define("paint.default_extension", "nfp",
    [[The file extension the paint program will use if none is given. Set to "" to disable.]])
  define("list.show_hidden", false, [[Whether the list program show  hidden files (those starting with ".").]])
  -- moonbox's: where the pastebin and gist programs find their services
  -- (moonbox's configuration file may move them), and their keys
  local host = require("system.config").setting
  define("pastebin.url", host("pastebin.url") or "https://pastebin.com",
    "The address of the service the pastebin program uses.")
  define("pastebin.key", "", "The pastebin.com developer key the pastebin program uploads with.")
  define("gist.url", host("gist.url") or "https://api.github.com", "The address of the GitHub API the gist program uses.")
  define("gist.id", "", "The GitHub personal access token the gist program uploads with.")
  define("motd.enable", true, "Display a random message when the computer starts up.")
  define("motd.path", "/rom/motd.txt:/motd.txt",
    [[The path to load random messages from. Should be a colon (":") separated string of file paths.]])
  define("lua.warn_against_use_of_local", true,
    [[Print a message when input in the Lua REPL starts with the word 'local'. Local variables defined in the Lua REPL are be inaccessible on the next input.]])
  define("lua.function_args", true, "Show function arguments when printing functions.")
  define("lua.function_source", false, "Show where a function was defined when printing functions.")
  define("bios.strict_globals", false,
    "Prevents assigning variables into a program's environment. Make sure you use the local keyword or assign to _G explicitly.")
  define("shell.autocomplete_hidden", false, [[Autocomplete hidden files and folders (those starting with ".").]])
  -- (moonbox's computers are all advanced: colour, so multishell is there)
  define("bios.use_multishell", true, [[Allow running multiple programs at once, through the use of the "fg" and "bg" programs.]])
  for spec in (_CC_DEFAULT_SETTINGS or ""):gmatch("[^,]+") do
    local name, value = spec:match("^%s*([^=]-)%s*=%s*(.-)%s*$")
    if name then
      if value == "true" then value = true elseif value == "false" then value = false
      elseif tonumber(value) then value = tonumber(value) end
      local opt = details[name]
      if opt then opt.default = value else settings.define(name, {default = value}) end
    end
  end
end

-- The system's settings (CC's bios defines these): not for a copy of this
-- file that a program loads into an environment of its own, which starts
-- empty, as CC's API file does.
if _ENV == _G then
  define_defaults()
  settings.load("/.settings")
end
-- Loaded as CC loads an API file (os.loadAPI, or loadfile with an
-- environment of its own), its functions are that environment's globals too.
if _ENV ~= _G then for k, v in pairs(settings) do _ENV[k] = v end end
return settings
