"""`walkbreak run --headless` (the engine without the dashboard) and `walkbreak notify-test`."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys

from walkbreak import collector
from walkbreak.answers import planning_log
from walkbreak.commands.context import EXIT_FAILED, EXIT_OK, Context
from walkbreak.commands.today import describe
from walkbreak.core.message import PromptMessage
from walkbreak.logs import log_to_file, log_to_stderr

log = logging.getLogger("walkbreak")


def run(context: Context) -> int:
    """Run the engine without the dashboard until SIGINT or SIGTERM; exit code 0 on a clean stop."""
    context.store.check_writable(context.clock.now().date())  # else a StoreError says why, exit 1
    log_to_stderr()
    return asyncio.run(_headless(context, log_to_file()))


async def _headless(context: Context, log_path: str | None) -> int:
    """The engine on this loop, with desktop notifications, until a stop signal."""
    from walkbreak.config_watch import ConfigWatch
    from walkbreak.engine import Engine, presence_probes
    from walkbreak.notify import build_notifier
    from walkbreak.store.lease import Lease

    notifier = build_notifier(context.settings.notify)
    ring = context.settings.notify.bell and sys.stdout.isatty()
    engine = Engine(
        context.settings,
        context.store,
        context.clock,
        notifier,
        on_prompt=lambda prompt, message: _bell() if ring else None,
        presence=presence_probes(context.settings, context.clock),
        lease=Lease(context.store.directory, "headless engine"),
        config=ConfigWatch(context.config_path, must_exist=context.config_named),
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    now = context.clock.now()
    log.info(
        "running headless in %s; %s",
        context.store.directory,
        describe(context, now, planning_log(context.store, now), as_json=False),
    )
    log.info("log file: %s", log_path or "none (the log dir cannot be written)")
    await engine.start()
    collector.release()  # up: collect from here on, leaving out what start-up made
    await stop.wait()
    log.info("stopping")
    await engine.stop()
    return EXIT_OK


def _bell() -> None:
    """Ring the terminal bell (headless in a terminal, with notify.bell on)."""
    sys.stdout.write("\a")
    sys.stdout.flush()


def notify_test(context: Context) -> int:
    """Send one test notification through each backend and say which worked and why not."""
    from walkbreak.notify import build_notifier

    message = PromptMessage(
        title="walkbreak test notification",
        body="If you can read this, walk prompts will reach you here.",
        snooze_minutes=context.settings.snooze.minutes,
        can_snooze=True,
        expires_in_seconds=30,
        answers=False,
    )
    logging.getLogger().addHandler(logging.NullHandler())  # library warnings stay off the terminal
    backend = context.settings.notify.backend
    results = asyncio.run(build_notifier(context.settings.notify._replace(backend="auto")).test(message))
    width = max(len(r.backend) for r in results)
    for result in results:
        mark = "ok " if result.delivered else "-- "
        print(f"{mark} {result.backend:{width}}  {result.detail}")
    working = [r.backend for r in results if r.delivered and backend in ("auto", r.backend)]
    if backend == "none":
        print('notify.backend is "none": walkbreak sends no desktop notifications')
    elif working:
        print(f'walk prompts will use {working[0]} (notify.backend = "{backend}")')
    else:
        print("no backend walkbreak would use delivered the test; prompts will show in the dashboard only")
        return EXIT_FAILED
    return EXIT_OK
