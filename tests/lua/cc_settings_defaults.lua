-- Every setting CC's bios defines, with CC's default, type and description
-- (issue 23): a settings manager that sets each setting to its value works.
-- expect-out: settings defaults ok
local check = require("lib.check")
local expected = {
  ["shell.allow_startup"] = true, ["shell.allow_disk_startup"] = true, ["shell.autocomplete"] = true,
  ["edit.autocomplete"] = true, ["lua.autocomplete"] = true, ["edit.default_extension"] = "lua",
  ["paint.default_extension"] = "nfp", ["list.show_hidden"] = false, ["motd.enable"] = true,
  ["motd.path"] = "/rom/motd.txt:/motd.txt", ["lua.warn_against_use_of_local"] = true,
  ["lua.function_args"] = true, ["lua.function_source"] = false, ["bios.strict_globals"] = false,
  ["shell.autocomplete_hidden"] = false, ["bios.use_multishell"] = true,
}
for name, default in pairs(expected) do
  local details = settings.getDetails(name)
  check.eq(details.default, default, name .. " default")
  check.eq(details.type, type(default), name .. " type")
  check.truthy(type(details.description) == "string" and #details.description > 10, name .. " description")
end
check.eq(settings.getDetails("bios.use_multishell").description,
  [[Allow running multiple programs at once, through the use of the "fg" and "bg" programs.]])
-- a settings manager: every defined setting set to its own value
for _, name in ipairs(settings.getNames()) do settings.set(name, settings.get(name)) end
check.raises("bad argument #2 (boolean expected, got string)", settings.set, "bios.use_multishell", "yes")  -- (through pcall: no name, as cc.expect)
print("settings defaults ok")
