#!/usr/bin/env bash
# multishell driven with real keys: open it, rename the tab from the lua
# prompt, clear the tab, and check the tab bar and the tab's content.
# usage: drive_multishell.sh MOONBOX WORKDIR   (run inside xvfb-run)
set -euo pipefail
moonbox=$1 work=$2
"$moonbox" --data-dir "$work/data" --screenshot "$work/shot.png" --quit-after 12 &
pid=$!
wid=$(xdotool search --sync --name '^moonbox$' | head -1)
xdotool windowfocus --sync "$wid" 2>/dev/null || true
sleep 1.5
type_line() { xdotool type --delay 25 "$1"; xdotool key Return; sleep "${2:-0.6}"; }
type_line "multishell" 1
type_line "lua" 1
type_line 'multishell.launch({}, "rom/programs/shell.lua")'
type_line 'multishell.setTitle(1, "one")'
type_line 'exit()'
type_line "clear"
wait "$pid"
