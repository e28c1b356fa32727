#!/usr/bin/env bash
# Drives the real window with real key events (xdotool under Xvfb), as a
# person would: edit a program, save it, run it, then screenshot the screen.
# usage: drive_shell.sh MOONBOX WORKDIR   (run inside xvfb-run)
set -euo pipefail
moonbox=$1 work=$2
. "$(dirname "$0")/driver_lib.sh"
start_moonbox 14
type_line "edit hello.lua" 1
xdotool type --delay 25 'term.setTextColour(colors.lime)'; xdotool key Return
xdotool type --delay 25 'print("Hello in lime!")'; sleep 0.3
xdotool key Control_L; sleep 0.4; xdotool key Return; sleep 0.4         # menu: Save
xdotool key Control_L; sleep 0.4; xdotool key Right Right; sleep 0.3     # menu: Exit
xdotool key Return; sleep 0.8
type_line "clear"
type_line "hello"
wait "$pid"
