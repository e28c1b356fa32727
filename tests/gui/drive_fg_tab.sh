#!/usr/bin/env bash
# fg PROGRAM in multishell, with real keys: a new tab runs the program and
# is in front (CC's fg), named after it; `bg` had no way to open a tab.
# usage: drive_fg_tab.sh MOONBOX WORKDIR   (run inside xvfb-run)
set -euo pipefail
moonbox=$1 work=$2
. "$(dirname "$0")/driver_lib.sh"
start_moonbox 8
type_line "multishell" 1.2
type_line "fg lua" 1.5
wait "$pid"
