#!/usr/bin/env bash
# Vendored from the workplace's shared/tools/notify-lab.sh so CI on a clean clone has it.
# notify-lab.sh - REAL freedesktop notification daemon for headless tests: dunst on Xvfb, private
# D-Bus session bus (Debian 12). Subcommands:
#   install                 idempotent apt + venv/pip install (skips what is present)
#   run [--] CMD...         start bus+Xvfb+dunst+bus monitor, run CMD there (venv first on PATH), stop
#                           all it started (by PID) on exit; exit status = CMD's
# and, from inside `run` (CMD or its children):
#   history [--keep]        close shown notifications (unless --keep); dunst's history as JSON, oldest
#                           first (dunst 1.9 keeps no actions; "timeout" is in microseconds)
#   sent                    each Notify call seen on the bus as JSON: id, app_name, summary, body,
#                           actions, hints, expire_timeout (ms), invoked action keys, closed_reason
#   press TEXT              answer dunst's context menu with the first line containing TEXT, e.g.
#                           "#Snooze 10 min (Title) [ID,key]"; waits (10 s) for ActionInvoked
#   click [ID]              press "[ID,default]" (default ID: newest notification)
# Env: NOTIFY_LAB_VENV (unset: CMD runs with the caller's PATH; set: that venv is created if missing,
#   NOTIFY_LAB_PIP is pip-installed into it and it goes first on PATH), NOTIFY_LAB_PIP (pip requirements,
#   e.g. "plyer==2.1.0 dbus-python==1.5.1"), NOTIFY_LAB_NO_INSTALL=1, NOTIFY_LAB_SAVE=FILE (history
#   JSON at the end), NOTIFY_LAB_KEEP=1 (keep logs)
# Example: ../shared/tools/notify-lab.sh run -- python -m pytest -m desktop
set -euo pipefail
VENV=${NOTIFY_LAB_VENV:-} PIP_PKGS=${NOTIFY_LAB_PIP:-}
PY=${NOTIFY_LAB_PYTHON:-python3} SELF=$(readlink -f "$0")
die() { echo "notify-lab: $*" >&2; exit 2; }
wait_for() { for _ in $(seq 100); do eval "$1" >/dev/null 2>&1 && return 0; sleep 0.1; done; die "${2:-timeout: $1}"; }
need_lab() { [[ -S ${NOTIFY_LAB_DIR:-/nonexistent}/bus ]] || die "use inside 'notify-lab.sh run'"; }
fdn() { busctl --user --json=short call org.freedesktop.Notifications /org/freedesktop/Notifications "$@"; }
apt_get() { echo "notify-lab: apt-get install $*" >&2; apt-get update -qq &&
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null; }
install() {
  local miss=() c
  for c in Xvfb:xvfb dunst:dunst notify-send:libnotify-bin dbus-daemon:dbus-daemon busctl:systemd "$PY":python3; do
    command -v "${c%%:*}" >/dev/null || miss+=("${c#*:}"); done
  if [[ $PIP_PKGS == *dbus-python* ]]; then       # no wheels on PyPI: built from sdist (meson, C)
    for c in libdbus-1-dev libglib2.0-dev; do dpkg -s "$c" >/dev/null 2>&1 || miss+=("$c"); done
    command -v pkg-config >/dev/null || miss+=(pkg-config); command -v cc >/dev/null || miss+=(gcc)
    "$PY" -c 'import sysconfig as s, os, sys; sys.exit(not os.path.exists(s.get_paths()["include"] + "/Python.h"))' ||
      miss+=(python3-dev)
  fi
  ((${#miss[@]} == 0)) || apt_get "${miss[@]}"
  [[ -n $VENV ]] || return 0
  [[ -x $VENV/bin/python ]] || "$PY" -m venv "$VENV" 2>/dev/null || { rm -rf "$VENV"; apt_get python3-venv; "$PY" -m venv "$VENV"; }
  # shellcheck disable=SC2086  # pip only when a package is missing or has another version
  [[ -z $PIP_PKGS ]] || "$VENV/bin/python" -c 'import sys, importlib.metadata as m
for r in sys.argv[1:]:
    n, _, v = r.partition("==")
    if m.version(n) != (v or m.version(n)): raise SystemExit(1)' $PIP_PKGS 2>/dev/null || "$VENV/bin/pip" install -q $PIP_PKGS
}
run() {
  [[ ${1:-} == -- ]] && shift
  (($#)) || die "usage: notify-lab.sh run [--] CMD..."
  [[ -n ${NOTIFY_LAB_NO_INSTALL:-} ]] || install
  LAB=$(mktemp -d /tmp/notify-lab.XXXXXX) PIDS=()
  trap cleanup EXIT; trap 'exit 130' INT; trap 'exit 143' TERM
  # private session bus; no <servicedir>, so nothing gets D-Bus-activated behind our back
  cat >"$LAB/bus.conf" <<EOF
<busconfig><type>session</type><listen>unix:path=$LAB/bus</listen><auth>EXTERNAL</auth><policy context="default">
<allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy></busconfig>
EOF
  dbus-daemon --config-file="$LAB/bus.conf" --nofork --nopidfile 2>"$LAB/bus.log" & PIDS+=($!)
  wait_for "[[ -S $LAB/bus ]]"
  export DBUS_SESSION_BUS_ADDRESS=unix:path=$LAB/bus NOTIFY_LAB_DIR=$LAB
  # Xvfb picks a free display itself and writes its number to fd 3 once ready
  Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$LAB/display" 2>"$LAB/xvfb.log" & PIDS+=($!)
  wait_for "[[ -s $LAB/display ]]"; DISPLAY=:$(head -1 "$LAB/display"); export DISPLAY
  # test-friendly dunst: don't merge identical notifications (default does), long history,
  # no idle pause, and this script as "dmenu" so tests can answer the context menu
  cat >"$LAB/dunstrc" <<EOF
[global]
    stack_duplicates = false
    history_length = 100000
    idle_threshold = 0
    notification_limit = 0
    dmenu = $SELF _menu $LAB
EOF
  dunst -config "$LAB/dunstrc" >"$LAB/dunst.log" 2>&1 & PIDS+=($!)
  wait_for "dunstctl debug"
  # record all notification traffic (calls, replies, signals) as JSON lines
  busctl --user --json=short monitor --match interface=org.freedesktop.Notifications \
    --match type=method_return,sender=org.freedesktop.Notifications >"$LAB/bus.jsonl" 2>"$LAB/monitor.log" & PIDS+=($!)
  wait_for "grep -q Monitoring $LAB/monitor.log"
  [[ -z $VENV ]] || export PATH="$VENV/bin:$PATH"
  local rc=0                 # CMD in background + wait, so INT/TERM are handled at once
  "$@" <&0 & PIDS+=($!); wait $! || rc=$?; unset 'PIDS[-1]'
  [[ -z ${NOTIFY_LAB_SAVE:-} ]] || history >"$NOTIFY_LAB_SAVE" || ((rc)) || rc=1
  exit "$rc"
}
cleanup() {  # stop what we started, newest first, by PID only
  local i; for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do kill "${PIDS[i]}" 2>/dev/null || true; wait "${PIDS[i]}" 2>/dev/null || true; done
  if [[ -n ${NOTIFY_LAB_KEEP:-} ]]; then echo "notify-lab: logs in $LAB" >&2; else rm -rf "$LAB"; fi
}
history() {
  need_lab; [[ ${1:-} == --keep ]] || fdn org.dunstproject.cmd0 NotificationCloseAll >/dev/null
  fdn org.dunstproject.cmd0 NotificationListHistory | "$PY" -c 'import json, sys
h = json.load(sys.stdin)["data"][0]
print(json.dumps([{k: v["data"] for k, v in n.items()} for n in reversed(h)], indent=1))'
}
sent() {
  need_lab; "$PY" - "$NOTIFY_LAB_DIR/bus.jsonl" <<'EOF'
import json, sys
out, by_call, by_id = [], {}, {}
for line in open(sys.argv[1]):
    try: m = json.loads(line); a, kind = m["payload"]["data"], m.get("member") or m["type"]
    except ValueError: continue          # a line still being written
    if kind == "Notify":
        n = dict(id=None, app_name=a[0], replaces_id=a[1], app_icon=a[2], summary=a[3], body=a[4],
                 actions=dict(zip(a[5][::2], a[5][1::2])), hints={k: v["data"] for k, v in a[6].items()},
                 expire_timeout=a[7], invoked=[], closed_reason=None)
        out.append(n); by_call[(m["sender"], m["cookie"])] = n
    elif kind == "method_return" and (m["destination"], m["reply_cookie"]) in by_call:
        n = by_call.pop((m["destination"], m["reply_cookie"])); n["id"] = a[0]; by_id[a[0]] = n
    elif kind == "ActionInvoked" and a[0] in by_id: by_id[a[0]]["invoked"].append(a[1])
    elif kind == "NotificationClosed" and a[0] in by_id: by_id[a[0]]["closed_reason"] = a[1]
print(json.dumps(out, indent=1))
EOF
}
n_invoked() { grep -c '"member":"ActionInvoked"' "$NOTIFY_LAB_DIR/bus.jsonl" || true; }
press() {
  need_lab; local n; n=$(n_invoked); printf '%s' "${1:?TEXT}" >"$NOTIFY_LAB_DIR/pick"
  dunstctl context; wait_for "(( \$(n_invoked) > $n ))" "no ActionInvoked for '$1' within 10 s"
  rm -f "$NOTIFY_LAB_DIR/pick"
}
click() { press "[${1:-$(sent | "$PY" -c 'import json, sys; print(json.load(sys.stdin)[-1]["id"])')},default]"; }
_menu() {  # fake dmenu run by dunst: menu on stdin, answer = first line containing the pick
  local menu pick; menu=$(cat); printf '%s\n' "$menu" >"$1/menu.txt"
  pick=$(cat "$1/pick" 2>/dev/null) || return 0; grep -F -m1 -- "$pick" <<<"$menu" || true
}

cmd=${1:-}; shift || true
case $cmd in
  install | run | history | sent | click | press | _menu) "$cmd" "$@" ;;
  *) sed -n '2,20s/^# \{0,1\}//p' "$SELF"; exit 2 ;;
esac
