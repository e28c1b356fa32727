#!/usr/bin/env bash
# Resizing the window, with real events: the computer's terminal stays 51x19,
# so its programs hear no term_resize (they did at every resize); and a
# window smaller than the terminal at 1x shows all of it, scaled down (it
# showed a crop). The program logs its events.
# usage: drive_resize.sh MOONBOX WORKDIR   (run inside xvfb-run)
set -euo pipefail
moonbox=$1 work=$2
"$moonbox" --data-dir "$work/data" --screenshot "$work/shot.png" --quit-after 5 "$(dirname "$0")/event_log.lua" &
pid=$!
wid=$(xdotool search --sync --name '^moonbox$' | head -1)
sleep 1.5
xdotool windowsize "$wid" 900 520; sleep 0.5
xdotool windowsize "$wid" 200 120; sleep 0.5
wait "$pid"
log="$work/data/events.log"
cat "$log"
if grep -q '^term_resize' "$log"; then echo "a host window resize sent term_resize"; exit 1; fi
