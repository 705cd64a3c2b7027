"""Soak: the dashboard and its engine for eight simulated workdays under the demo's scaled clock.

The engine's real-time periods (its ticks, the lease, the delivery re-check) are shortened by the
clock's speed, so a simulated day runs them as often as a real day does (some 500 idle ticks and
as many lease renewals), not the few dozen times a day at 3600x would leave.

A simulated user answers each prompt at random (seeded): walks, snoozes, skips or ignores it, as
the prompt is shown (the dashboard's prompt callback), not when a poll happens to see it, so the
answers do not depend on how busy the machine is.
Once a simulated day the script samples the process's RSS, open file descriptors, asyncio tasks
and scheduler jobs; at the end it checks every prompt is accounted for (fired = walked +
skipped + expired, snoozed prompts coming back as the same prompt) against what the user did.

    python bench/soak.py [--days 8] [--speed 3600] [--seed 7]

Figures and the command used are recorded in bench/README.md. Not a test: it takes minutes.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from walkbreak import collector
from walkbreak.clock import ScaledClock
from walkbreak.core.settings import Settings, TimeWindow, WorkSettings
from walkbreak.notify.notifier import Notifier
from walkbreak.store import Store
from walkbreak.tui.app import WalkbreakApp


class Nowhere:
    """A notification backend that takes every prompt and shows it nowhere (no desktop here)."""

    name = "nowhere"

    def unavailable(self) -> None:
        return None

    async def show(self, message: object, on_action: object) -> None:
        return None

    async def close(self) -> None:
        return None


def rss_kb() -> int:
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


async def soak(days: int, speed: float, seed: int) -> int:
    zone = ZoneInfo("Europe/Berlin")
    start = datetime(2026, 11, 23, 8, 55, tzinfo=zone)  # a Monday; every day a work day (9-17)
    settings = Settings(work=WorkSettings(days=frozenset(range(7)), windows=(TimeWindow(9 * 60, 17 * 60),)))
    settings = settings._replace(notify=settings.notify._replace(bell=False))
    directory = tempfile.mkdtemp(prefix="walkbreak-soak-")
    collector.hold()  # as the program does: the dashboard collects again once its engine is up
    app = WalkbreakApp(
        settings, Store(directory, warn=print), ScaledClock(start, speed), Notifier([Nowhere()])
    )
    app.engine_options = {
        name: seconds / speed
        for name, seconds in (
            ("poll_seconds", 5),
            ("idle_poll_seconds", 60),
            ("lease_seconds", 60),
            ("recheck_seconds", 60),
        )
    }
    shown: asyncio.Queue[object] = asyncio.Queue()
    show_in_app = app._engine_prompted

    def prompted(prompt: object, message: object) -> None:  # the user sees it as it is shown
        shown.put_nowait(prompt)
        show_in_app(prompt, message)  # type: ignore[arg-type]

    app._engine_prompted = prompted  # type: ignore[method-assign,assignment]
    rng = random.Random(seed)
    did: Counter[str] = Counter()
    answered: set[tuple[object, int]] = set()
    samples: list[tuple[int, int, int, int, int]] = []
    finished = asyncio.Event()

    async def sampler() -> None:
        while app.engine is None or app.view is None:
            await asyncio.sleep(0.05)
        day = None
        while len(samples) <= days:
            now = app.clock.now()
            if now.date() != day and now.hour >= 12:  # sampled at noon, mid-activity, each day
                day = now.date()
                samples.append(
                    (len(samples), rss_kb(), open_fds(), len(asyncio.all_tasks()), len(app.engine.jobs()))
                )
            await asyncio.sleep(0.2)  # a simulated 12 minutes: the noon sample is never missed
        finished.set()

    async def user() -> None:
        while True:
            prompt = await shown.get()
            assert app.engine is not None
            waiting = getattr(prompt, "id", None), getattr(prompt, "snoozes", 0)
            if waiting in answered:
                continue
            answered.add(waiting)
            choice = rng.choices(["walk", "snooze", "skip", "ignore"], [5, 2, 2, 1])[0]
            if choice == "snooze" and waiting[1] >= settings.snooze.max_per_prompt:
                choice = "walk"
            if choice != "ignore" and await app.engine.act(choice) is None:
                did[choice] += 1
            else:
                did["ignore"] += 1

    async def run_app() -> None:
        await app.run_async(headless=True, size=(80, 24))

    runner = asyncio.create_task(run_app())
    task = asyncio.create_task(user())
    sampling = asyncio.create_task(sampler())
    began = time.monotonic()
    await finished.wait()
    elapsed = time.monotonic() - began
    await sampling
    task.cancel()
    ticks = app.engine.ticks if app.engine is not None else 0
    app.exit()
    await runner

    store = Store(directory, warn=print)
    logs = store.days(start.date(), start.date() + timedelta(days=days))
    prompts = [p for log in logs.values() for p in log.prompts]
    outcomes = Counter(p.outcome.value if p.outcome else "open" for p in prompts)
    snoozed_back = sum(p.snoozes for p in prompts)
    print(f"{days} simulated days at {speed:g}x in {elapsed:.0f} s real; seed {seed}; {ticks} engine ticks")
    print(f"prompts fired: {len(prompts)}  outcomes: {dict(outcomes)}  snoozes: {snoozed_back}")
    print(f"the user: {dict(did)}")
    print("day  RSS MB  fds  tasks  jobs")
    for n, rss, fds, tasks, jobs in samples:
        print(f"{n:3}  {rss / 1024:6.1f}  {fds:3}  {tasks:5}  {jobs:4}")
    warm = samples[1]
    growth = (samples[-1][1] - warm[1]) / 1024
    print(f"RSS growth after day 1: {growth:+.1f} MB; fds {warm[2]}->{samples[-1][2]}; "
          f"tasks {warm[3]}->{samples[-1][3]}; jobs {warm[4]}->{samples[-1][4]}")  # fmt: skip
    problems = []
    if growth > 5:
        problems.append(f"RSS grew {growth:.1f} MB")
    # Tasks and fds in flight at the noon sample vary (the ticks run many times a second here):
    # growth is the fewest of the last three samples against the fewest of days 1 to 3.
    early, late = samples[1:4], samples[-3:]
    grew = any(min(s[i] for s in late) > min(s[i] for s in early) + (i == 3) * 2 for i in (2, 3))
    if grew or max(s[4] for s in samples) > 3:
        problems.append("fds, tasks or jobs grew")  # jobs: prompt, midnight, a follow-up at most
    accounted = outcomes["walked"] + outcomes["skipped"] + outcomes["expired"] + outcomes["open"]
    if accounted != len(prompts) or outcomes["open"] > 1:
        problems.append(f"prompts not accounted for: {dict(outcomes)}")
    if outcomes["skipped"] != did["skip"] or snoozed_back != did["snooze"]:
        problems.append(f"the records disagree with the user: {dict(outcomes)} vs {dict(did)}")
    print("OK: every prompt accounted for, no growth" if not problems else "PROBLEMS: " + "; ".join(problems))
    return 1 if problems else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=8)
    parser.add_argument("--speed", type=float, default=3600)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    return asyncio.run(soak(args.days, args.speed, args.seed))


if __name__ == "__main__":
    raise SystemExit(main())
