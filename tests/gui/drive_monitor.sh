#!/usr/bin/env bash
# A monitor, as a person would attach and use one: `attach top monitor` in
# the shell opens the monitor's window; closing that window (as a window
# manager does) hides it and keeps the monitor attached; `monitor top
# mon_demo` runs a program on it and shows the window again; a real click on
# the monitor's window reaches the program as a mouse_click (monitor_touch,
# passed on by the monitor program).
# usage: drive_monitor.sh MOONBOX WORKDIR CLOSE_WINDOW   (run inside xvfb-run)
set -euo pipefail
moonbox=$1 work=$2 close=$3
mkdir -p "$work/data"
cat > "$work/data/mon_demo.lua" <<'LUA'
term.setBackgroundColour(colours.blue)
term.clear()
term.setCursorPos(2, 2)
term.setBackgroundColour(colours.yellow)
term.setTextColour(colours.black)
term.write(" Monitor demo: click me ")
term.setBackgroundColour(colours.blue)
while true do
  local event, button, x, y = os.pullEvent()
  if event == "mouse_click" then
    term.setBackgroundColour(colours.lime)
    term.setCursorPos(1, 4)
    term.clearLine()
    term.setTextColour(colours.black)
    term.write(" touched at " .. x .. "," .. y)
    term.setBackgroundColour(colours.blue)
  end
end
LUA
. "$(dirname "$0")/driver_lib.sh"
start_moonbox 12
type_line "attach top monitor" 1.5
mwid=$(xdotool search --sync --name 'monitor top of computer 0' | head -1)
"$close" "$mwid"; sleep 1
if xdotool search --onlyvisible --name 'monitor top of computer 0' >/dev/null; then
  echo "the monitor's window is still shown after closing it"; kill "$pid"; exit 1
fi
xdotool windowfocus --sync "$wid" 2>/dev/null || true
type_line "monitor top mon_demo" 1.5
xdotool search --onlyvisible --name 'monitor top of computer 0' >/dev/null ||
  { echo "the monitor program did not show the window again"; kill "$pid"; exit 1; }
xdotool mousemove --window "$mwid" 200 200 click 1
sleep 1
wait "$pid"
grep -q '"type": "monitor"' "$work/data/.moonbox/config.json" ||
  { echo "closing the window detached the monitor"; exit 1; }
