"""What walkbreak costs while nothing happens: the headless engine, the dashboard and a one-Static
Textual app side by side, in one desktop session, over the same minutes.

Run it inside a desktop session so the presence probes run as they do for a user:

    tools/notify-lab.sh run -- python bench/idle.py [--minutes 10]

Each process's CPU is its threads' run time (/proc/PID/task/*/schedstat, nanoseconds) plus the
CPU of the children it started and reaped (cutime+cstime, clock ticks); wake-ups are the times
its threads were put on a CPU (schedstat's third field). The dashboard and the engine each have
their own copy of five years of synthetic history (two engines on one data dir would make one a
viewer); both run on the real clock at 11:00 on a work day.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).parent))
from cli_speed import WALKBREAK
from dashboard import ONE_STATIC, Running, terminal_env, user_env
from history import synthesize

TICK = os.sysconf("SC_CLK_TCK")


class Usage:
    """A process's CPU (its own and its reaped children's), wake-ups and RSS, read from /proc."""

    def __init__(self, pid: int) -> None:
        self.pid = pid

    def sample(self) -> tuple[float, float, int]:
        own, wakeups = 0.0, 0
        for task in Path(f"/proc/{self.pid}/task").iterdir():
            try:
                run_ns, _wait_ns, slices = (int(x) for x in (task / "schedstat").read_text().split())
            except (OSError, ValueError):
                continue  # a thread that ended just now
            own += run_ns / 1e9
            wakeups += slices
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        children = (int(fields[13]) + int(fields[14])) / TICK
        return own, children, wakeups

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument(
        "--also",
        metavar="WALKBREAK",
        help="another install's walkbreak script (say, the code before a change), run beside",
    )
    args = parser.parse_args()
    desktop = bool(os.environ.get("DBUS_SESSION_BUS_ADDRESS") and os.environ.get("DISPLAY"))
    if not desktop:
        print("warning: no desktop session (run under tools/notify-lab.sh): the probes find nothing to ask")

    with tempfile.TemporaryDirectory(prefix="walkbreak-idle-") as tmp:
        now = datetime.now(ZoneInfo("Europe/Berlin")).replace(hour=11, minute=0, second=0, microsecond=0)
        base_env = terminal_env()
        installs = {"": WALKBREAK, **({"old ": args.also} if args.also else {})}
        envs = {}
        for who in [f"{label}{kind}" for label in installs for kind in ("dashboard", "engine")]:
            home = Path(tmp) / who
            synthesize(home / "data" / "walkbreak", now.date(), 5)
            envs[who] = user_env(base_env, home, now)
        status = subprocess.run(
            [WALKBREAK, "status"], env=envs["engine"], capture_output=True, text=True, check=False
        ).stdout.strip()

        terminals = [Running([sys.executable, "-c", ONE_STATIC], base_env, b"idle world")]
        processes = {"one-Static Textual app": terminals[0].pid}
        engines = []
        for label, walkbreak in installs.items():
            terminals.append(Running([walkbreak], envs[f"{label}dashboard"], b"of 6 walks"))
            processes[f"{label}dashboard"] = terminals[-1].pid
            engines.append(
                subprocess.Popen(
                    [walkbreak, "run", "--headless"],
                    env=envs[f"{label}engine"],
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
            processes[f"{label}headless engine"] = engines[-1].pid
        try:
            for terminal in terminals:
                terminal.wait_painted()
            time.sleep(30)  # past start-up: the streak read, the first presence check
            usage = {name: Usage(pid) for name, pid in processes.items()}
            before = {name: u.sample() for name, u in usage.items()}
            window = args.minutes * 60
            time.sleep(window)
            after = {name: u.sample() for name, u in usage.items()}
            rss = {name: u.rss_mb() for name, u in usage.items()}
        finally:
            for terminal in terminals:
                terminal.stop()
            for engine in engines:
                engine.terminate()
                engine.wait(30)

    hours = window / 3600
    print(
        f"{args.minutes:g} minutes idle, {'in a desktop session' if desktop else 'NO desktop session'}; "
        f"engine's status at start: {status}"
    )
    print(
        f"{'process':24} {'CPU-s/h':>8} {'of it children':>15} {'% core':>7} {'ratio':>6} {'wake-ups/s':>11} {'RSS':>8}"
    )
    base = None
    for name in processes:
        own = after[name][0] - before[name][0]
        children = after[name][1] - before[name][1]
        total = own + children
        wakeups = (after[name][2] - before[name][2]) / window
        base = base or total
        print(
            f"{name:24} {total / hours:8.3f} {children / hours:15.3f} {100 * total / window:6.3f}% "
            f"{total / base:5.2f}x {wakeups:11.1f} {rss[name]:6.1f}MB"
        )
    print(f"python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
