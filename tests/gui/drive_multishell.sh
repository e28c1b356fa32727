#!/usr/bin/env bash
# multishell driven with real keys: open it, rename the tab from the lua
# prompt, clear the tab, and check the tab bar and the tab's content.
# usage: drive_multishell.sh MOONBOX WORKDIR   (run inside xvfb-run)
set -euo pipefail
moonbox=$1 work=$2
. "$(dirname "$0")/driver_lib.sh"
start_moonbox 12
type_line "multishell" 1
type_line "lua" 1
type_line 'multishell.launch({}, "rom/programs/shell.lua")'
type_line 'multishell.setTitle(1, "one")'
type_line 'exit()'
type_line "clear"
wait "$pid"
