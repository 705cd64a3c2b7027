"""`walkbreak doctor [--send]`: what works on this machine, one line each, with a fix where not.

It runs even when the config is broken (that is one of the things it reports), changes nothing,
and sends a notification only with `--send`.
"""

from __future__ import annotations

import os
import shutil
import stat
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

from walkbreak.commands.context import EXIT_FAILED, EXIT_OK
from walkbreak.core.named_tuple import NamedTuple
from walkbreak.core.settings import Settings
from walkbreak.errors import ConfigError
from walkbreak.store.records import MONTH_FILE

if TYPE_CHECKING:
    from walkbreak.desktop.presence import Presence
    from walkbreak.notify.notifier import Notifier

OK, WARN, FAIL, INFO = "ok", "!!", "XX", "--"


class Finding(NamedTuple):
    """One line of the report."""

    mark: str
    topic: str
    detail: str
    fix: str = ""


def run(config_option: str | None, *, send: bool) -> int:
    """Print every finding; exit 1 when something needs fixing."""
    findings = list(_check(config_option, send))
    width = max(len(f.topic) for f in findings)
    for finding in findings:
        line = f"{finding.mark:2}  {finding.topic:{width}}  {finding.detail}"
        print(line + (f"\n{'':{width + 6}}fix: {finding.fix}" if finding.fix else ""))
    return EXIT_FAILED if any(f.mark == FAIL for f in findings) else EXIT_OK


def _check(config_option: str | None, send: bool) -> Iterator[Finding]:
    from walkbreak import config, paths

    path, named = paths.config_file(config_option)
    settings = Settings()
    try:
        settings = config.load(path, must_exist=named)
    except ConfigError as err:
        yield Finding(FAIL, "config", str(err), f"edit {path}, or check it with: walkbreak config check")
    else:
        found = os.path.exists(path)
        yield Finding(OK, "config", f"{path} ({'valid' if found else 'not there: the defaults apply'})")
    yield from _data_dir(paths.data_dir(settings.data_dir))
    yield from _devices(paths.data_dir(settings.data_dir))
    yield from _time_zone(settings.work.timezone)
    yield from _notifications(settings, send)
    yield from _presence(settings)
    yield from _calendars(settings)
    yield from _terminal()
    yield from _autostart()
    yield from _log()


def _data_dir(directory: str) -> Iterator[Finding]:
    directory = os.path.abspath(directory)
    try:
        yield _data_dir_finding(directory)
    except OSError as err:  # whatever the file system says, doctor reports it rather than crash
        yield Finding(
            FAIL, "data dir", f"{directory}: {err.strerror or err}", "check the path and its permissions"
        )


def _data_dir_finding(directory: str) -> Finding:
    if not os.path.exists(directory):
        parent = directory
        while not os.path.exists(parent):
            parent = os.path.dirname(parent)
        if os.path.isdir(parent) and os.access(parent, os.W_OK):
            return Finding(OK, "data dir", f"{directory} (created, owner-only, at the first walk)")
        return Finding(
            FAIL,
            "data dir",
            f"{directory} cannot be created: {parent} is not a writable directory",
            "set data.dir",
        )
    if not os.path.isdir(directory):
        return Finding(
            FAIL, "data dir", f"{directory} is a file, not a directory", "move it away, or set data.dir"
        )
    mode = stat.S_IMODE(os.stat(directory).st_mode)
    if not os.access(directory, os.W_OK | os.R_OK | os.X_OK):
        return Finding(
            FAIL, "data dir", f"{directory} is {mode:04o}: walkbreak cannot use it", f"chmod 700 {directory}"
        )
    if mode & 0o077:
        return Finding(
            WARN,
            "data dir",
            f"{directory} is {mode:04o}: others may read your history (the next write makes it 0700)",
            f"chmod 700 {directory}",
        )
    names = sorted(
        os.path.relpath(os.path.join(folder, name), directory)
        for folder, dirs, files in os.walk(directory)
        for name in (*dirs, *files)
    )
    open_files = [
        name
        for name in names
        if stat.S_IMODE(os.lstat(os.path.join(directory, name)).st_mode) & 0o077
        and not os.path.islink(os.path.join(directory, name))
    ]
    if open_files:
        return Finding(
            WARN, "data dir", f"readable by others: {', '.join(open_files)}", f"chmod -R go-rwx {directory}"
        )
    months = [n for n in names if MONTH_FILE.match(os.path.basename(n))]
    return Finding(OK, "data dir", f"{directory} (0700, {len(months)} month file(s), owner-only)")


def _devices(directory: str) -> Iterator[Finding]:
    """The other devices sharing the data dir through a file sync, and whether Syncthing, if the
    data dir is its folder, shares only what it should."""
    from datetime import datetime

    from walkbreak.store.devices import SYNC_IGNORE, device_id, other_desks

    mine = device_id(directory)
    try:
        desks = other_desks(directory, mine)
    except OSError:
        return  # the data dir finding has said why
    alone = "" if desks else " (no other machine's files here)"
    yield Finding(OK, "devices", f"this machine writes {os.path.join(directory, 'devices', mine)}{alone}")
    for name, arrived in desks:
        when = datetime.fromtimestamp(arrived).astimezone()
        yield Finding(OK, "devices", f"{name}: its files last arrived {when:%a %d %b %H:%M} (synced)")
    try:
        with open(os.path.join(directory, SYNC_IGNORE)) as f:
            shares_devices = "!/devices" in f.read().split()
    except OSError:
        shares_devices = False
    if os.path.isdir(os.path.join(directory, ".stfolder")) and not shares_devices:
        yield Finding(
            WARN,
            "devices",
            f"{directory} is a Syncthing folder, and its .stignore does not keep the lock, the lease "
            "and the calendar cache on this machine",
            f"begin {os.path.join(directory, SYNC_IGNORE)} with the lines .* then !/devices then *",
        )


def _time_zone(name: str) -> Iterator[Finding]:
    from datetime import datetime

    from walkbreak.clock import local_zone

    try:
        zone = local_zone(name)
    except Exception as err:  # a zone missing from this system's tz database
        yield Finding(FAIL, "time zone", f"{name!r}: {err}", "install tzdata, or fix work.timezone")
        return
    now = datetime.now(zone)
    source = f"work.timezone = {name!r}" if name else "the system's"
    yield Finding(OK, "time zone", f"{zone} ({source}); local time {now:%H:%M}, UTC{now:%z}")


def _notifications(settings: Settings, send: bool) -> Iterator[Finding]:
    import asyncio
    import logging

    from walkbreak.core.message import PromptMessage
    from walkbreak.notify import build_notifier

    notify = settings.notify
    logging.getLogger().addHandler(logging.NullHandler())
    # Every backend "auto" would try; a named one as configured ("terminal" is then forced).
    notifier = build_notifier(
        notify if notify.backend in ("terminal", "none") else notify._replace(backend="auto")
    )
    if send:
        message = PromptMessage(
            "walkbreak doctor",
            "A test notification: walk prompts reach you here.",
            10,
            True,
            30,
            answers=False,
        )
        results = asyncio.run(notifier.test(message))
        for result in results:
            yield Finding(OK if result.delivered else INFO, f"notify: {result.backend}", result.detail)
        if notify.backend != "none" and not any(
            r.delivered and notify.backend in ("auto", r.backend) for r in results
        ):
            yield Finding(
                FAIL, "notifications", "no backend walkbreak would use delivered", "see the lines above"
            )
        return
    ready = asyncio.run(_ready(notifier))
    for backend in notifier.backends:
        reason = ready[backend.name]
        server = getattr(getattr(backend, "probe", None), "server", "")
        answers = f"{server} answers; " if server else ""
        detail = reason or f"can deliver now ({answers}walkbreak doctor --send sends a test)"
        yield Finding(OK if reason is None else INFO, f"notify: {backend.name}", detail)
    used = [name for name, reason in ready.items() if reason is None and notify.backend in ("auto", name)]
    if notify.backend == "none":
        yield Finding(INFO, "notifications", 'notify.backend = "none": prompts show only in the dashboard')
    elif used:
        yield Finding(
            OK, "notifications", f'prompts go through {used[0]} (notify.backend = "{notify.backend}")'
        )
    else:
        yield Finding(
            FAIL,
            "notifications",
            "nothing walkbreak would use can deliver a prompt here: prompts would show only in the dashboard",
            "start your desktop's notification server (dunst, mako, …), or choose another notify.backend",
        )


async def _ready(notifier: Notifier) -> dict[str, str | None]:
    """For each backend: None when it can deliver now (asked without showing anything), else why not."""
    import asyncio

    ready: dict[str, str | None] = {}
    for backend in notifier.backends:
        reason = notifier.unavailable(backend)
        if reason is None:
            try:
                reason = await asyncio.wait_for(backend.ready(), 10)
            except Exception as err:  # a probe that fails says so, and doctor goes on
                reason = f"could not tell: {err!r}"
        ready[backend.name] = None if reason is None else f"not available: {reason}"
    return ready


def _presence(settings: Settings) -> Iterator[Finding]:
    import asyncio

    from walkbreak.desktop.presence import Probes

    probes = Probes(idle=settings.away.detect, dnd=settings.notify.respect_dnd)

    async def check() -> Presence:
        try:
            return await probes.check()
        finally:
            probes.close()

    state = asyncio.run(check())
    if not settings.notify.respect_dnd:
        yield Finding(
            INFO, "do not disturb", "notify.respect_dnd = false: prompts come in do-not-disturb too"
        )
    elif state.dnd is None:
        yield Finding(
            INFO,
            "do not disturb",
            "unknown here (dunst, mako, GNOME, KDE, Windows); prompts.quiet windows still hold prompts",
        )
    else:
        yield Finding(
            OK, "do not disturb", f"{'on: prompts wait' if state.dnd else 'off'} (from {state.dnd_source})"
        )
    if not settings.away.detect:
        yield Finding(INFO, "away/lock", "away.detect = false: prompts do not wait while you are away")
        return
    if state.idle_seconds is None:
        yield Finding(
            INFO,
            "idle time",
            "unknown here (no Mutter, ScreenSaver, X11 screensaver, macOS or Windows probe answered)",
        )
    else:
        yield Finding(
            OK, "idle time", f"{state.idle_seconds:.0f} s since the last input (from {state.idle_source})"
        )
    if state.locked is None:
        yield Finding(
            INFO, "screen lock", "unknown here (no org.freedesktop.ScreenSaver or logind LockedHint)"
        )
    else:
        yield Finding(
            OK, "screen lock", f"{'locked' if state.locked else 'unlocked'} (from {state.lock_source})"
        )


def _calendars(settings: Settings) -> Iterator[Finding]:
    """Each configured calendar read now (an address fetched: the user configured it)."""
    if not settings.calendar.sources:
        yield Finding(
            INFO, "calendars", "none configured: prompts follow the work hours alone ([calendar] sources)"
        )
        return
    from walkbreak.calendar.parse import NotICalendar
    from walkbreak.calendar.refresh import DAYS, try_source
    from walkbreak.calendar.sources import SourceError
    from walkbreak.clock import local_zone, make_clock

    now = make_clock(local_zone(settings.work.timezone)).now()
    for source in settings.calendar.sources:
        topic = f"calendar {source.name}"
        try:
            blocks = try_source(source, settings.calendar, now)
        except (SourceError, NotICalendar) as err:
            fix = (
                "check the path"
                if source.kind == "path"
                else "check the address, username and password_command"
            )
            detail = f"{source.location}: {err}" if isinstance(err, NotICalendar) else str(err)
            yield Finding(FAIL, topic, detail, f"{fix}; until then its last good copy is used")
        else:
            yield Finding(OK, topic, f"{source.kind}: {blocks} busy block(s) in the next {DAYS} days")


def _terminal() -> Iterator[Finding]:
    from walkbreak.notify.terminal import escape_style

    if not sys.stdout.isatty():
        yield Finding(INFO, "terminal", "not a terminal (output is piped); the dashboard needs one")
        return
    size = shutil.get_terminal_size()
    colours = "truecolor" if os.environ.get("COLORTERM") in ("truecolor", "24bit") else "256 colours or fewer"
    if os.environ.get("NO_COLOR"):
        colours = "NO_COLOR set: monochrome"
    style = escape_style(os.environ)
    osc = f"shows {style.upper()} notifications" if style else "OSC 9/777 notifications unknown"
    small = size.columns < 80 or size.lines < 24
    yield Finding(
        WARN if small else OK,
        "terminal",
        f"TERM={os.environ.get('TERM', '?')}, {size.columns}×{size.lines}, {colours}; {osc}",
        "the dashboard is laid out for 80×24 or more" if small else "",
    )


def _log() -> Iterator[Finding]:
    from walkbreak.logs import log_file

    path = log_file()
    size = f"{os.path.getsize(path) // 1024} kB" if os.path.exists(path) else "not written yet"
    yield Finding(INFO, "log", f"{path} ({size}; warnings, errors and what the engine did)")


def _autostart() -> Iterator[Finding]:
    from walkbreak.desktop.service import service_file

    try:
        service = service_file(sys.platform, None, os.path.expanduser("~"), os.environ.get("XDG_CONFIG_HOME"))
    except ValueError:
        return
    installed = os.path.exists(service.path)
    detail = (
        f"{service.path} installed"
        if installed
        else "not installed (walkbreak service install starts the engine at login)"
    )
    yield Finding(INFO, "autostart", detail)
