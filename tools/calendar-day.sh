#!/usr/bin/env bash
# calendar-day.sh - a Wednesday full of recurring meetings on a real CalDAV server, and walkbreak
# planning around them, as a user would see it. Run it inside the notification lab:
#
#   tools/notify-lab.sh run -- tools/calendar-day.sh [OUT]
#
# It starts Radicale on 127.0.0.1:5232, writes the meetings with the caldav client
# (tools/calendar_day_events.py), runs the dashboard in tmux from 08:55 at 60x (a clock minute a
# second), captures it four times, and leaves in OUT (default /tmp/calendar-day): captures.txt,
# calendar.txt (`walkbreak calendar`), sent.json (what reached dunst) and the engine's log.
# Needs the test extras (radicale, caldav) in .venv and tmux.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-/tmp/calendar-day}
py=$PWD/.venv/bin/python wb=$PWD/.venv/bin/walkbreak
rm -rf "$out" && mkdir -p "$out/data"
echo "me:s3cret" > "$out/users"
"$py" -m radicale --server-hosts 127.0.0.1:5232 --storage-filesystem-folder "$out/collections" \
  --auth-type htpasswd --auth-htpasswd-filename "$out/users" --auth-htpasswd-encryption plain \
  >"$out/radicale.log" 2>&1 &
radicale=$!
trap 'kill $radicale 2>/dev/null; tmux kill-session -t calendar-day 2>/dev/null || true' EXIT
for _ in $(seq 100); do (echo >/dev/tcp/127.0.0.1/5232) 2>/dev/null && break; sleep 0.1; done
collection=$("$py" tools/calendar_day_events.py)
cat > "$out/config.toml" <<CONFIG
[work]
timezone = "Europe/Berlin"
[calendar]
sources = [{ name = "work", caldav = "$collection", username = "me", password_command = "printf s3cret" }]
CONFIG
export WALKBREAK_CONFIG=$out/config.toml WALKBREAK_DATA_DIR=$out/data WALKBREAK_LOG_DIR=$out/logs
export WALKBREAK_NOW=2026-12-02T08:55:00+01:00 WALKBREAK_SPEED=60 TZ=Europe/Berlin
touch "$out/data/.welcomed"  # (no welcome screen over the day)
start=$(date +%s)
tmux new-session -d -s calendar-day -x 120 -y 40 "$wb; sleep 600"
# Real seconds since the start = clock minutes since 08:55: 09:35 (the stand-up), 11:32 (the walk
# after planning), 14:15 (the afternoon), 17:35 (the day over).
for at in 40 157 320 520; do
  sleep $((at - ($(date +%s) - start)))
  tmux capture-pane -p -t calendar-day >> "$out/captures.txt"
done
"$wb" calendar > "$out/calendar.txt" || true
tmux kill-session -t calendar-day
tools/notify-lab.sh sent > "$out/sent.json"
grep -h "prompt fired\|calendar:" "$out"/logs/*.log
