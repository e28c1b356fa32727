#!/usr/bin/env bash
# Input meant for the debugger's panels never reaches the computer: typing
# into the traffic panel's pid filter, a click on the sequence chart and a
# right-click on the process table (its menu) with real events. Then a
# click and keys on the terminal do reach it (the program logs its events).
# usage: drive_panels_input.sh MOONBOX WORKDIR   (run inside xvfb-run)
set -euo pipefail
moonbox=$1 work=$2
"$moonbox" --debugger --data-dir "$work/data" --screenshot "$work/shot.png" --quit-after 9 \
  "$(dirname "$0")/event_log.lua" &
pid=$!
wid=$(xdotool search --sync --name '^moonbox$' | head -1)
xdotool windowfocus --sync "$wid" 2>/dev/null || true
sleep 1.5
# (the default --debugger window: 1280x720; the terminal at the top left,
# 620x350, the traffic log under it, the process table and the sequence
# chart on the right)
xdotool mousemove --window "$wid" 40 386 click 1; sleep 0.3       # the pid filter
xdotool type --delay 40 "123"; sleep 0.3
xdotool mousemove --window "$wid" 1100 600 click 1; sleep 0.3     # the sequence chart
xdotool mousemove --window "$wid" 850 160 click 3; sleep 0.3      # the process table's menu
xdotool mousemove --window "$wid" 1100 650 click 1; sleep 0.3     # closes the menu
xdotool mousemove --window "$wid" 300 200 click 1; sleep 0.3      # the terminal
xdotool type --delay 40 "ok"; sleep 0.5
wait "$pid"
log="$work/data/events.log"
cat "$log"
fail=0
grep -q '^char o$' "$log" && grep -q '^char k$' "$log" || { echo "keys typed on the terminal did not arrive"; fail=1; }
grep -q '^mouse_click 1 ' "$log" || { echo "the click on the terminal did not arrive"; fail=1; }
if grep -E '^char [123]$|^key (49|50|51) ' "$log"; then echo "keys typed into the pid filter reached the computer"; fail=1; fi
if grep -E '^mouse_click 2 |^mouse_click 1 51 ' "$log"; then echo "a click on the panels reached the computer"; fail=1; fi
[ "$(grep -c '^mouse_click' "$log")" = 1 ] || { echo "expected exactly one mouse_click"; fail=1; }
if grep -q '^term_resize' "$log"; then echo "opening with the panels sent term_resize"; fail=1; fi
exit $fail
