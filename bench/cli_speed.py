"""How fast `walkbreak status` and `walkbreak log` are, against a bare interpreter start.

History like a real user's (bench/history.py) for 0, 1 and 5 years, and 5 years on each of two
desks (two devices' folders, merged on every read), measured on the last work day of a month at
16:00, when the month file is at its fullest. Also `status` with a calendar configured (5 years). Each command runs as a fresh
process, in rounds with `python -c pass`; the ratio is the median of each round's ratio to that
round's bare start, so both see the same machine. Also the peak RSS of each, and with
--instructions the instructions of one run under valgrind, which do not drift.

    python bench/cli_speed.py [--runs 30] [--instructions]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from history import ZONE, last_workday_of_a_month, synthesize

from walkbreak.config import example

GNU_TIME = "/usr/bin/time"
WALKBREAK = shutil.which("walkbreak", path=str(Path(sys.executable).parent)) or "walkbreak"
YEARS = (0, 1, 5)
CALENDAR = Path(__file__).parent.parent / "tests" / "fixtures" / "calendars" / "google-work.ics"


def run_once(command: list[str], env: dict[str, str]) -> float:
    """Wall time in seconds of one run."""
    started = time.perf_counter()
    subprocess.run(command, env=env, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def peak_rss(command: list[str], env: dict[str, str]) -> float | None:
    """Peak RSS in MB, read by GNU time.

    Not from wait4 here: a child forked from this (large) process inherits its high-water mark.
    """
    if not os.path.exists(GNU_TIME):
        return None
    result = subprocess.run(
        [GNU_TIME, "-f", "%M", *command],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=True,
    )
    return int(result.stderr.strip().splitlines()[-1]) / 1024


def instructions(command: list[str], env: dict[str, str]) -> int:
    """Instructions one run executes, counted by valgrind (repeatable on a noisy machine)."""
    result = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *command],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=True,
    )
    return int(result.stderr.split("Collected :")[1].split()[0])


def measure(
    commands: dict[str, tuple[list[str], dict[str, str]]], runs: int
) -> dict[str, tuple[float, float, float | None]]:
    """Per command: the median time, the median of its ratio to the bare start of the same round,
    and the peak RSS. The first command is the bare start."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for command, env in commands.values():  # warm the page cache and write bytecode
        run_once(command, env)
    for _ in range(runs):
        for name, (command, env) in commands.items():
            times[name].append(run_once(command, env))
    base = times[next(iter(commands))]
    return {
        name: (
            statistics.median(times[name]),
            statistics.median(t / b for t, b in zip(times[name], base, strict=True)),
            peak_rss(*commands[name]),
        )
        for name in commands
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument(
        "--instructions", action="store_true", help="also count instructions with valgrind (slow, repeatable)"
    )
    args = parser.parse_args()

    day = last_workday_of_a_month(datetime.now(ZONE).date())
    now = datetime.combine(day, datetime.min.time(), ZONE).replace(hour=16)
    with tempfile.TemporaryDirectory(prefix="walkbreak-bench-") as tmp:
        # Locations come through platformdirs (XDG on Linux), as for a user with no overrides,
        # and the config file is the full example, as for a user who ran `config init`.
        config = Path(tmp) / "config"
        (config / "walkbreak").mkdir(parents=True)
        (config / "walkbreak" / "config.toml").write_text(example())
        base = {k: v for k, v in os.environ.items() if not k.startswith("WALKBREAK_")}
        # An installed walkbreak runs from bytecode that pip compiled; let the warm-up run write it.
        base.pop("PYTHONDONTWRITEBYTECODE", None)
        base.update(
            TZ="Europe/Berlin",
            WALKBREAK_NOW=now.isoformat(),
            XDG_CONFIG_HOME=str(config),
            XDG_CACHE_HOME=str(Path(tmp) / "cache"),
        )
        commands: dict[str, tuple[list[str], dict[str, str]]] = {
            "python -c pass": ([sys.executable, "-c", "pass"], base)
        }
        for years, desks in (*((y, 1) for y in YEARS), (5, 2)):
            data = Path(tmp) / f"{years}y"
            records = synthesize(data / "walkbreak", day, years, last_hour=16)
            label = f"{years} y"
            if desks == 2:
                label = f"{years} y, 2 desks"
                records += synthesize(data / "walkbreak", day, years, last_hour=16, device="d" * 16, seed=8)
            files = list((data / "walkbreak").rglob("*.json"))
            current = [f for f in files if f.name == f"{day:%Y-%m}.json"]
            print(
                f"{label}: {records} records in {len(files)} month files, "
                f"{sum(f.stat().st_size for f in files) / 1e6:.1f} MB, "
                f"{sum(f.stat().st_size for f in current) / 1e3:.0f} kB this month"
            )
            env = {**base, "XDG_DATA_HOME": str(data)}
            commands[f"status ({label})"] = ([WALKBREAK, "status"], env)
            # --force: each run logs the same walk again (the overlap check it skips is a loop
            # over today's walks); the cost measured is the read-modify-write of the month file.
            commands[f"log ({label})"] = ([WALKBREAK, "log", "5", "--force"], env)
        commands["history --days 30 (5 y)"] = (
            [WALKBREAK, "history", "--days", "30"],
            commands["status (5 y)"][1],
        )
        # With a calendar: status reads the busy list the engine keeps (made here by `walkbreak
        # calendar` from an export in Google's format), never the calendar itself.
        with_calendar = Path(tmp) / "config-calendar"
        (with_calendar / "walkbreak").mkdir(parents=True)
        source = f'sources = [{{ name = "work", path = "{CALENDAR}" }}]'
        (with_calendar / "walkbreak" / "config.toml").write_text(example().replace("sources = []", source))
        # (its own cache dir: the config cache keeps one file's parse, and the two would take
        # turns missing it)
        env = {
            **commands["status (5 y)"][1],
            "XDG_CONFIG_HOME": str(with_calendar),
            "XDG_CACHE_HOME": str(Path(tmp) / "cache-calendar"),
        }
        subprocess.run([WALKBREAK, "calendar"], env=env, stdout=subprocess.DEVNULL, check=True)
        commands["status (5 y, a calendar)"] = ([WALKBREAK, "status"], env)
        results = measure(commands, args.runs)
        counts = (
            {name: instructions(*command) for name, command in commands.items()} if args.instructions else {}
        )
    print(f"on {now:%a %d %b %Y %H:%M}, the last work day of a month")
    print(
        f"{'command':26} {'median':>9} {'ratio':>7} {'peak RSS':>10}" + ("  instructions" if counts else "")
    )
    for name, (median, ratio, peak) in results.items():
        rss = f"{peak:8.1f}MB" if peak else "     n/a"
        extra = f"  {counts[name] / counts['python -c pass']:6.2f}x" if counts else ""
        print(f"{name:26} {median * 1000:7.1f}ms {ratio:6.2f}x {rss:>10}{extra}")
    print(f"runs: {args.runs} rounds; python {sys.version.split()[0]}; walkbreak at {WALKBREAK}")


if __name__ == "__main__":
    main()
