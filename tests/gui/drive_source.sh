#!/usr/bin/env bash
# The debugger's Source tab: open the running program's file, click line 4's
# gutter (a breakpoint), and the program stops there: the tab shows the
# stopped line highlighted (checked by colour), the stack and the locals.
# usage: drive_source.sh MOONBOX WORKDIR CHECK_PIXELS   (run inside xvfb-run)
set -euo pipefail
moonbox=$1 work=$2 check=$3
prog="$(cd "$(dirname "$0")" && pwd)/breakpoint_loop.lua"
"$moonbox" --debugger --data-dir "$work/data" --screenshot "$work/shot.png" --quit-after 9 "$prog" &
pid=$!
wid=$(xdotool search --sync --name '^moonbox$' | head -1)
xdotool windowfocus --sync "$wid" 2>/dev/null || true
# (the window opens partly off a 1280x800 screen: clicks there would be lost)
xdotool windowmove --sync "$wid" 0 0
sleep 1.5
# (the first click focuses the window)
xdotool mousemove --window "$wid" 1060 98; sleep 0.3; xdotool click 1; sleep 0.3; xdotool click 1; sleep 0.5   # Source
xdotool mousemove --window "$wid" 900 138; sleep 0.3; xdotool click 1; sleep 0.3                              # the file
xdotool type --delay 20 "$prog"; sleep 0.3; xdotool key Return; sleep 0.5
xdotool mousemove --window "$wid" 650 214; sleep 0.3; xdotool click 1; sleep 2                                 # line 4's gutter
wait "$pid"
# the current line's amber (110, 80, 0) in the Source tab
"$check" --colour "$work/shot.png" 0.49 0.15 1.0 0.5 6e5000 2000
