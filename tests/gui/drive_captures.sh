#!/usr/bin/env bash
# F2 (a screenshot) and F3 twice (a recording) with real keys: the files go
# to the user's pictures ($XDG_PICTURES_DIR/moonbox), not into the computer's
# own disk, and a toast in the window says where (the final screenshot shows
# the last one, at the bottom of the window).
# usage: drive_captures.sh MOONBOX WORKDIR   (run inside xvfb-run)
set -euo pipefail
moonbox=$1 work=$2
export XDG_PICTURES_DIR="$work/pictures"
. "$(dirname "$0")/driver_lib.sh"
start_moonbox 6
xdotool key F2; sleep 0.8
xdotool key F3; sleep 1
xdotool key F3; sleep 0.8
wait "$pid"
ls -R "$work/pictures" || true
fail=0
ls "$work"/pictures/moonbox/moonbox-*.png >/dev/null 2>&1 || { echo "no screenshot in the pictures folder"; fail=1; }
ls "$work"/pictures/moonbox/moonbox-*.gif >/dev/null 2>&1 || { echo "no recording in the pictures folder"; fail=1; }
if [ -e "$work/data/screenshots" ]; then echo "captures went into the computer's own disk"; fail=1; fi
exit $fail
