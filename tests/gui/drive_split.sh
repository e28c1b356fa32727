#!/usr/bin/env bash
# Dragging the border between the terminal (and traffic log) and the
# process table to the left moves the split, as a person drags it with a
# real button held: the table grows to where the terminal was.
# (xdotool's relative moves: X delivers them to the window holding the
# button, as a real mouse's.)
# usage: drive_split.sh MOONBOX WORKDIR   (run inside xvfb-run)
set -euo pipefail
moonbox=$1 work=$2
"$moonbox" --debugger --data-dir "$work/data" --screenshot "$work/shot.png" --quit-after 7 &
pid=$!
wid=$(xdotool search --sync --name '^moonbox$' | head -1)
xdotool windowfocus --sync "$wid" 2>/dev/null || true
sleep 1.5
# (the default --debugger window: 1280x720, the split at x = 620)
xdotool mousemove --window "$wid" 619 500; sleep 0.3
xdotool mousedown 1; sleep 0.2
for _ in $(seq 12); do xdotool mousemove_relative -- -10 0; sleep 0.1; done
sleep 0.3
xdotool mouseup 1
wait "$pid"
