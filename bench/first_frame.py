"""The CPU time from building the dashboard to its first frame, against a one-Static Textual app,
in-process on Textual's headless driver: the part of the launch walkbreak's own screen costs,
without the interpreter's start, the imports and the terminal (bench/dashboard.py has those).

Runs alternate (the one-Static app, then the dashboard) in one process, after three of each to
warm up; the figure is the median CPU time (`time.process_time`) from building the app to the
first frame Textual writes, and the ratio is the dashboard's median over the one-Static app's.
Steadier than the launch (±1 ms here): use it to find what a change to the screen costs, with
each install's python (e.g. the code before a change in a venv of its own).

    python bench/first_frame.py [--runs 40] [--size 80x24]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from textual.app import App, ComposeResult
from textual.widgets import Static

from walkbreak.clock import FixedClock
from walkbreak.core.settings import Settings
from walkbreak.store import Store
from walkbreak.tui.app import make_app

NOW = datetime(2026, 11, 26, 11, 20, tzinfo=ZoneInfo("Europe/Berlin"))


class OneStatic(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("idle world")


first_frames: dict[int, float] = {}
"""id(app) → CPU time when its first frame was written."""
_display = App._display


def _timed_display(self: App[None], screen, renderable) -> None:  # type: ignore[no-untyped-def]
    if renderable is not None:
        first_frames.setdefault(id(self), time.process_time())
    return _display(self, screen, renderable)


App._display = _timed_display  # type: ignore[method-assign]


async def first_frame(build, size: tuple[int, int]) -> float:  # type: ignore[no-untyped-def]
    """CPU seconds from `build()` to the app's first frame."""
    start = time.process_time()
    app = build()
    async with app.run_test(size=size):
        while id(app) not in first_frames:
            await asyncio.sleep(0.001)
        app.exit()
    return first_frames.pop(id(app)) - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--size", default="80x24")
    args = parser.parse_args()
    size = tuple(int(n) for n in args.size.split("x"))
    data = Path(tempfile.mkdtemp(prefix="walkbreak-bench-"))

    def dashboard() -> App[None]:
        return make_app(Settings(), Store(data, warn=print), FixedClock(NOW))

    times: dict[str, list[float]] = {"one-Static app": [], "dashboard": []}
    for run in range(args.runs + 3):
        for name, build in (("one-Static app", OneStatic), ("dashboard", dashboard)):
            seconds = asyncio.run(first_frame(build, size))  # type: ignore[arg-type]
            if run >= 3:
                times[name].append(seconds)
    base = statistics.median(times["one-Static app"])
    print(f"CPU to first frame, {args.size}   median   ratio")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:28} {median * 1000:6.1f}ms   {median / base:.2f}x")
    print(f"runs: {args.runs}; headless driver; no history")


if __name__ == "__main__":
    main()
