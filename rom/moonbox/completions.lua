-- The completions of the rom's programs (arguments after the program's
-- name, for Tab at the prompt and shell.complete), as CC's rom/startup.lua
-- registers them. moonbox's shell API loads this file into each process's
-- shell the first time a completion is asked for, since every process has a
-- shell API of its own.
local shell = ...
local completion = require("cc.shell.completion")
local set = shell.setCompletionFunction
local build = completion.build

local both = build({ completion.dirOrFile, true }, completion.dirOrFile)
local program_args = build({ completion.programWithArgs, 2, many = true })

set("rom/programs/alias.lua", build(nil, completion.program))
set("rom/programs/cd.lua", build(completion.dir))
set("rom/programs/clear.lua", build({ completion.choice, { "screen", "palette", "all" } }))
set("rom/programs/copy.lua", both)
set("rom/programs/delete.lua", build({ completion.dirOrFile, many = true }))
set("rom/programs/drive.lua", build(completion.dir))
set("rom/programs/edit.lua", build(completion.file))
set("rom/programs/eject.lua", build(completion.peripheral))
set("rom/programs/gps.lua", build({ completion.choice, { "host", "host ", "locate" } }))
set("rom/programs/help.lua", build(completion.help))
set("rom/programs/id.lua", build(completion.peripheral))
set("rom/programs/label.lua", build({ completion.choice, { "get", "get ", "set ", "clear", "clear " } }, completion.peripheral))
set("rom/programs/list.lua", build(completion.dir))
set("rom/programs/mkdir.lua", build({ completion.dir, many = true }))
set("rom/programs/monitor.lua", build(
  { completion.choice, { "scale", "resolution" }, completion.peripheral, true },
  completion.program
))
set("rom/programs/move.lua", both)
set("rom/programs/redstone.lua", build(
  { completion.choice, { "probe", "set ", "pulse " } },
  completion.side
))
set("rom/programs/rename.lua", both)
set("rom/programs/shell.lua", program_args)
set("rom/programs/type.lua", build(completion.dirOrFile))
set("rom/programs/set.lua", build({ completion.setting, true }))
set("rom/programs/advanced/bg.lua", program_args)
set("rom/programs/advanced/fg.lua", program_args)
set("rom/programs/fun/dj.lua", build({ completion.choice, { "play", "play ", "stop " } }, completion.peripheral))
set("rom/programs/fun/advanced/paint.lua", build(completion.file))
set("rom/programs/command/exec.lua", build(completion.command))
set("rom/programs/http/wget.lua", build({ completion.choice, { "run " } }))
set("rom/programs/http/pastebin.lua", build({ completion.choice, { "put ", "get ", "run " } }, completion.file))
set("rom/programs/http/gist.lua", build({ completion.choice, { "put ", "get ", "run ", "info " } }))
set("rom/programs/turtle/go.lua", build({ completion.choice, { "left", "right", "forward", "back", "down", "up" }, true, many = true }))
set("rom/programs/turtle/turn.lua", build({ completion.choice, { "left", "right" }, true, many = true }))
set("rom/programs/turtle/equip.lua", build(nil, { completion.choice, { "left", "right" } }))
set("rom/programs/turtle/unequip.lua", build({ completion.choice, { "left", "right" } }))
