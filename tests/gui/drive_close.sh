#!/usr/bin/env bash
# Closing the main window as a person does (the window manager's close
# message), with the shell running: moonbox ends, and the time it takes is
# measured (it took 1.8-2.0 s; the shell itself exits on SIGHUP in a few ms).
# usage: drive_close.sh MOONBOX WORKDIR CLOSE_WINDOW   (run inside xvfb-run)
set -euo pipefail
moonbox=$1 work=$2 close=$3
"$moonbox" --data-dir "$work/data" &
pid=$!
wid=$(xdotool search --sync --name '^moonbox$' | head -1)
sleep 1.5
out=$("$close" "$wid" "$pid")
echo "$out"
wait "$pid" || true
secs=$(echo "$out" | awk '{print $3}')
# Not a timing test of the machine: the old teardown waited out fixed grace
# periods (about 2 s); anything near that fails, normal noise does not.
awk -v s="$secs" 'BEGIN { exit !(s < 1.0) }' || { echo "closing took $secs s"; exit 1; }
