# Sourced by the drive_*.sh scripts: starts moonbox in the window (it takes a
# screenshot and quits after $1 seconds), waits for the window and focuses it.
# Sets pid and wid; gives type_line TEXT [PAUSE].
start_moonbox() {
  "$moonbox" --data-dir "$work/data" --screenshot "$work/shot.png" --quit-after "$1" &
  pid=$!
  wid=$(xdotool search --sync --name '^moonbox$' | head -1)
  xdotool windowfocus --sync "$wid" 2>/dev/null || true
  sleep 1.5
}
type_line() { xdotool type --delay 25 "$1"; xdotool key Return; sleep "${2:-0.6}"; }
