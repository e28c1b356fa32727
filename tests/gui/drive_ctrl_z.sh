#!/usr/bin/env bash
# Ctrl+Z at an empty shell prompt, with real keys: there is no job to stop,
# so nothing happens (as in bash) and the shell goes on taking keys. It used
# to stop the shell and send every key to init for good.
# usage: drive_ctrl_z.sh MOONBOX WORKDIR   (run inside xvfb-run)
set -euo pipefail
moonbox=$1 work=$2
. "$(dirname "$0")/driver_lib.sh"
start_moonbox 7
xdotool key ctrl+z; sleep 0.5
xdotool key ctrl+z; sleep 0.5
type_line "clear"
type_line "id"
wait "$pid"
