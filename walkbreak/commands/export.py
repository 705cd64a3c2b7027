"""`walkbreak export`: the history as CSV (every record) or as a Markdown report for a physical therapist."""

from __future__ import annotations

import os
import sys
from datetime import date, timedelta

from walkbreak.answers import guide_alive
from walkbreak.commands.context import EXIT_FAILED, EXIT_OK, EXIT_USAGE, Context
from walkbreak.core import walking
from walkbreak.core.export_csv import exported_records, to_csv
from walkbreak.core.tally import week_of
from walkbreak.core.week_report import WEEK_HEADING, week_report
from walkbreak.paths import in_the_way
from walkbreak.store.storage import write_atomically

REPORT_WEEKS = 4
"""The Markdown report covers the current week and the three before unless told otherwise."""


def run(
    context: Context,
    form: str,
    first: date | None,
    last: date | None,
    output: str | None,
    *,
    force: bool,
) -> int:
    """Export `first`..`last` (defaults depend on the format) to stdout, or to `output` atomically."""
    today = context.clock.now().date()
    if first is not None and first > today:
        return _usage(f"--from {first} is in the future: nothing is recorded there yet")
    if first is not None and last is not None and first > last:
        return _usage(f"--from {first} is after --to {last}: give the earlier day first")
    last = min(last or today, today)  # nothing can be recorded after today
    if first is None:
        first = _default_first(context, form, last)
    if output is not None:
        problem = _cannot_write(output, force=force)
        if problem:
            print(f"walkbreak export: {problem}", file=sys.stderr)
            return EXIT_FAILED
    now = context.clock.now()  # a walk under way that counts by now counts here, as in `status`
    logs = {
        day: walking.settled(log, now, guide_alive) for day, log in context.store.days(first, last).items()
    }
    if form == "csv":
        records = exported_records(logs)
        text, done = to_csv(records), _count(len(records), "row")
    else:
        text = week_report(context.settings, logs, first, last)
        done = f"the report for {_count(text.count(WEEK_HEADING), 'week')}"
    if output is None:
        _write_stdout(text)
        return EXIT_OK
    try:
        write_atomically(output, text)
    except OSError as err:
        print(f"walkbreak export: cannot write {output}: {_why(output, err)}", file=sys.stderr)
        return EXIT_FAILED
    print(f"wrote {done} to {output}", file=sys.stderr)
    return EXIT_OK


def _default_first(context: Context, form: str, last: date) -> date:
    """CSV: the whole history. Markdown: the week of `last` and the three before it."""
    if form == "csv":
        return min(context.store.first_month() or last, last)
    return week_of(last)[0] - timedelta(weeks=REPORT_WEEKS - 1)


def _cannot_write(path: str, *, force: bool) -> str:
    """Why `path` cannot be written, checked before the store is read; "" when it can."""
    if os.path.isdir(path):
        return f"{path} is a directory: give a file name"
    if os.path.lexists(path) and not force:
        return f"{path} already exists; use --force to replace it"
    parent = os.path.dirname(path) or "."
    if not os.path.isdir(parent):
        blocker = in_the_way(parent)
        if blocker:
            return f"cannot write {path}: {blocker} is a file, not a directory; choose another -o"
        return f"cannot write {path}: the directory {parent} does not exist"
    return ""


def _why(path: str, err: OSError) -> str:
    """What the file system's refusal to write `path` means, and what to do."""
    if isinstance(err, PermissionError):  # a temp file beside `path`, or the rename over it
        return f"permission denied in {os.path.dirname(os.path.abspath(path))}; choose another -o"
    return f"{str(err.strerror or err).lower()}; choose another -o"


def _write_stdout(text: str) -> None:
    """Print `text` unchanged: through the byte stream when there is one, so CSV's CRLF line ends are
    not doubled where text streams translate newlines (Windows)."""
    stream = sys.stdout
    buffer = getattr(stream, "buffer", None)
    if buffer is None:
        stream.write(text)
        return
    stream.flush()
    buffer.write(text.encode(stream.encoding or "utf-8", stream.errors or "strict"))
    buffer.flush()


def _usage(message: str) -> int:
    print(f"walkbreak export: {message}", file=sys.stderr)
    return EXIT_USAGE


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
