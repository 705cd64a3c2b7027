"""How fast `walkbreak status` and `walkbreak log` are, against a bare interpreter start.

Builds a synthetic history (default five years: about 250 work days a year, each with 6 bouts,
10 prompts and 6 check-ins), then times each command as a fresh process, interleaved with
`python -c pass` so both see the same machine. Prints medians, ratios to the bare start, and the
peak RSS of each process. Also times the same commands on an empty history, to show that the
cost does not grow with history.

    python bench/cli_speed.py [--years 5] [--runs 30]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from walkbreak.config import example
from walkbreak.core.model import Bout, CheckIn, Outcome, Prompt, Source
from walkbreak.records import SCHEMA_VERSION, TABLES, to_doc
from walkbreak.storage import write_atomically

ZONE = ZoneInfo("Europe/Berlin")
GNU_TIME = "/usr/bin/time"
WALKBREAK = shutil.which("walkbreak", path=str(Path(sys.executable).parent)) or "walkbreak"


def synthesize(directory: Path, today: date, years: int) -> int:
    """Write `years` of history up to today as month files; returns the number of records."""
    rng = random.Random(7)
    months: dict[str, dict[str, dict[str, dict]]] = {}
    count = 0
    day = today - timedelta(days=365 * years)
    while day <= today:
        if day.weekday() < 5:
            tables = months.setdefault(f"{day:%Y-%m}", {"_meta": {"1": {"schema": SCHEMA_VERSION}}})
            for n in range(10):
                fired = datetime.combine(day, datetime.min.time(), ZONE) + timedelta(hours=9, minutes=45 * n)
                walked = n < 6
                records = [
                    Prompt(
                        id=f"p-{day}-{n}",
                        day=day,
                        fired_at=fired,
                        outcome=Outcome.WALKED if walked else Outcome.SKIPPED,
                        answered_at=fired + timedelta(minutes=1),
                        reason="" if walked else "busy",
                    )
                ]
                if walked:
                    start = fired + timedelta(minutes=1)
                    minutes = rng.choice([4, 5, 5, 6])
                    records.append(
                        Bout(
                            id=f"b-{day}-{n}",
                            day=day,
                            start=start,
                            minutes=minutes,
                            source=Source.PROMPT,
                            prompt_id=f"p-{day}-{n}",
                        )
                    )
                    records.append(
                        CheckIn(
                            id=f"c-{day}-{n}",
                            day=day,
                            at=start + timedelta(minutes=minutes + 1),
                            feeling="same",
                            bout_id=f"b-{day}-{n}",
                        )
                    )
                for record in records:
                    table = tables.setdefault(TABLES[type(record)], {})
                    table[str(len(table) + 1)] = to_doc(record)
                    count += 1
        day += timedelta(days=1)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    for month, tables in months.items():
        write_atomically(directory / f"{month}.json", json.dumps(tables, separators=(",", ":")))
    return count


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
) -> dict[str, tuple[float, float | None]]:
    """Median time and peak RSS of each command, runs interleaved round-robin."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for command, env in commands.values():  # warm the page cache and write bytecode
        run_once(command, env)
    for _ in range(runs):
        for name, (command, env) in commands.items():
            times[name].append(run_once(command, env))
    return {name: (statistics.median(times[name]), peak_rss(*commands[name])) for name in commands}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument(
        "--instructions", action="store_true", help="also count instructions with valgrind (slow, repeatable)"
    )
    args = parser.parse_args()

    now = datetime.now(ZONE).replace(hour=11, minute=0, second=0, microsecond=0)
    with tempfile.TemporaryDirectory(prefix="walkbreak-bench-") as tmp:
        # Locations come through platformdirs (XDG on Linux), as for a user with no overrides,
        # and the config file is the full example, as for a user who ran `config init`.
        homes = {name: Path(tmp) / name for name in ("full", "empty", "config")}
        full = homes["full"] / "walkbreak"
        started = time.perf_counter()
        records = synthesize(full, now.date(), args.years)
        size = sum(p.stat().st_size for p in full.glob("*.json"))
        current = (full / f"{now:%Y-%m}.json").stat().st_size
        print(
            f"history: {records} records in {len(list(full.glob('*.json')))} month files, "
            f"{size / 1e6:.1f} MB (current month {current / 1e3:.0f} kB); built in {time.perf_counter() - started:.1f} s"
        )
        (homes["config"] / "walkbreak").mkdir(parents=True)
        (homes["config"] / "walkbreak" / "config.toml").write_text(example())
        base = {k: v for k, v in os.environ.items() if not k.startswith("WALKBREAK_")}
        # An installed walkbreak runs from bytecode that pip compiled; let the warm-up run write it.
        base.pop("PYTHONDONTWRITEBYTECODE", None)
        base.update(TZ="Europe/Berlin", WALKBREAK_NOW=now.isoformat(), XDG_CONFIG_HOME=str(homes["config"]))
        full_env = {**base, "XDG_DATA_HOME": str(homes["full"])}
        empty_env = {**base, "XDG_DATA_HOME": str(homes["empty"])}
        commands = {
            "python -c pass": ([sys.executable, "-c", "pass"], base),
            "status (5 y)": ([WALKBREAK, "status"], full_env),
            # --force: each run logs the same walk again (the overlap check it skips is a loop
            # over today's walks); the cost measured is the read-modify-write of the month file.
            "log (5 y)": ([WALKBREAK, "log", "5", "--force"], full_env),
            "status (empty)": ([WALKBREAK, "status"], empty_env),
            "log (empty)": ([WALKBREAK, "log", "5", "--force"], empty_env),
            "history --days 30 (5 y)": ([WALKBREAK, "history", "--days", "30"], full_env),
        }
        results = measure(
            commands,
            args.runs,
        )
        counts = (
            {name: instructions(*results_command) for name, results_command in commands.items()}
            if args.instructions
            else {}
        )
    baseline = results["python -c pass"][0]
    print(
        f"{'command':26} {'median':>9} {'ratio':>7} {'peak RSS':>10}" + ("  instructions" if counts else "")
    )
    for name, (median, peak) in results.items():
        rss = f"{peak:8.1f}MB" if peak else "     n/a"
        extra = f"  {counts[name] / counts['python -c pass']:6.2f}x" if counts else ""
        print(f"{name:26} {median * 1000:7.1f}ms {median / baseline:6.2f}x {rss:>10}{extra}")
    print(f"runs: {args.runs} each, interleaved; python {sys.version.split()[0]}; walkbreak at {WALKBREAK}")


if __name__ == "__main__":
    main()
