"""`walkbreak` (the dashboard) and `walkbreak demo` (the same on throwaway data, a fast clock)."""

from __future__ import annotations

import shutil
import tempfile
from datetime import date, datetime, timedelta

from walkbreak.commands.context import EXIT_OK, Context
from walkbreak.core.settings import Settings

DEMO_MINUTES = 8.0
"""Real minutes the demo's workday takes by default."""


def run(context: Context) -> int:
    """Open the dashboard on the user's data."""
    from walkbreak.config_watch import ConfigWatch
    from walkbreak.tui.app import make_app
    from walkbreak.tui.screens.welcome import first_start

    context.store.check_writable(context.clock.now().date())  # else a StoreError says why, exit 1
    app = make_app(
        context.settings,
        context.store,
        context.clock,
        config=ConfigWatch(context.config_path, must_exist=context.config_named),
    )
    if first_start(str(context.store.directory), has_history=lambda: context.store.first_month() is not None):
        app.welcome = context.config_path
    app.run()
    return app.return_code or EXIT_OK


def demo(context: Context, speed: float | None) -> int:
    """The dashboard on a throwaway data dir, starting just before work on a work day."""
    from walkbreak.clock import ScaledClock
    from walkbreak.core.settings import CarePlan, with_plan
    from walkbreak.store import Store
    from walkbreak.tui.app import make_app

    settings = with_plan(context.settings, CarePlan())  # the demo starts from the configured walk
    day = demo_day(settings, context.clock.now().date())
    windows = settings.work.windows_on(day)
    first, last = windows[0].start, windows[-1].end
    speed = speed or max(1.0, (last - first + 10) / DEMO_MINUTES)
    zone = context.clock.now().tzinfo
    start = datetime.combine(day, datetime.min.time(), zone) + timedelta(minutes=first - 5)
    directory = tempfile.mkdtemp(prefix="walkbreak-demo-")
    try:
        store = Store(directory, warn=lambda message: None)
        app = make_app(settings, store, ScaledClock(start, speed), demo=True)
        app.run()
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    print(f"demo over: a {speed:g}× clock, data thrown away; your own history was not touched")
    return app.return_code or EXIT_OK


def demo_day(settings: Settings, today: date) -> date:
    """Today if it is a work day, else the next work day (the demo needs work hours)."""
    for offset in range(7):
        day = today + timedelta(days=offset)
        if settings.work.windows_on(day):
            return day
    return today
