#!/usr/bin/env bash
# paint driven with real mouse clicks and keys (xdotool under Xvfb): choose
# red on the palette, paint a cell, save with the Ctrl menu.
# usage: drive_paint.sh MOONBOX WORKDIR   (run inside xvfb-run)
set -euo pipefail
moonbox=$1 work=$2
export XDG_PICTURES_DIR="$work/pictures"  # where F3's recording goes
. "$(dirname "$0")/driver_lib.sh"
start_moonbox 12
xdotool key F3; sleep 0.3   # start a GIF recording of the session
# The cell (x, y) is 12x18 pixels at 2x scale.
click() { xdotool mousemove --window "$wid" $(( ($2 - 1) * 12 + 6 )) $(( ($3 - 1) * 18 + 9 )) click "$1"; sleep 0.3; }
xdotool type --delay 25 "paint pic"; xdotool key Return; sleep 1
click 1 50 15     # the palette's red (row 15: colour 1 << 14)
click 1 10 5      # paint the cell (10, 5)
click 1 11 5
xdotool key Control_L; sleep 0.4; xdotool key Return; sleep 0.6   # menu: Save
xdotool key F3              # stop the recording
sleep 3.5                   # its toast (3 s) goes before the screenshot
wait "$pid"
gif=$(ls "$work"/pictures/moonbox/*.gif 2>/dev/null | head -1)
[ -n "$gif" ] && [ "$(head -c 6 "$gif")" = "GIF89a" ] || { echo "F3 made no GIF recording"; exit 1; }
grep -q "^         ee" "$work/data/pic.nfp" || { echo "pic.nfp was not saved with the red cells"; cat "$work/data/pic.nfp"; exit 1; }
