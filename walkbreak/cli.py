"""The `walkbreak` command: hands each subcommand its context (arguments are in `arguments.py`).

Imports stay lazy: `walkbreak status` must not pay for textual or apscheduler.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from walkbreak.commands.context import (
    EXIT_BROKEN_PIPE,
    EXIT_FAILED,
    EXIT_USAGE,
    Context,
    open_context,
)
from walkbreak.errors import ConfigError, StoreError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (see core/named_tuple.py)
if TYPE_CHECKING:
    from argparse import Namespace
    from typing import NoReturn


def main(argv: Sequence[str] | None = None) -> int:
    """Run walkbreak; returns the exit code.

    A reader that goes away (`walkbreak history | head -n1`) ends the command quietly with 141,
    as SIGPIPE ends coreutils: no traceback, no message.
    """
    _never_unencodable()
    try:
        code = _main(list(sys.argv[1:] if argv is None else argv))
        sys.stdout.flush()  # here, not at exit, where a broken pipe could only be ignored noisily
    except BrokenPipeError:
        _discard_stdout()
        return EXIT_BROKEN_PIPE
    return code


def run() -> NoReturn:
    """The `walkbreak` program: `main`, then exit without tearing the interpreter down.

    Freeing every module and object at exit is 14 M of `walkbreak status`'s 155 M instructions
    and some 6 ms of its 47 (bench/README.md), paid every few seconds by a status bar.
    Nothing walkbreak writes needs it: data files are fsynced and replaced before a command
    returns, and the lock is the kernel's to release. The exit handlers still run (logging's
    flush among them); a failing flush, or a thread still running, takes the usual way out.
    """
    from walkbreak import collector

    collector.hold()  # the dashboard and the engine release it once they are up
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        sys.exit(code)  # the interpreter reports it, as it would have
    threading = sys.modules.get("threading")
    if threading is not None and threading.active_count() > 1:
        sys.exit(code)
    import atexit

    atexit._run_exitfuncs()
    os._exit(code)


def _never_unencodable() -> None:
    """On a stream that cannot encode walkbreak's text (PYTHONIOENCODING=ascii, a latin-1
    terminal), write "?" for what it cannot show rather than stop with UnicodeEncodeError."""
    for stream in (sys.stdout, sys.stderr):
        try:
            "·–…".encode(stream.encoding or "utf-8")
        except (UnicodeEncodeError, LookupError):
            reconfigure = getattr(stream, "reconfigure", None)
            if reconfigure is not None:
                reconfigure(errors="replace")
        except AttributeError:
            pass


def _discard_stdout() -> None:
    """Point stdout at the null device, so the flush at exit writes what is left nowhere instead
    of failing again ("Exception ignored ... BrokenPipeError")."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, ValueError, OSError):  # not a real file (a test's capture)
        return
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, fd)
    finally:
        os.close(null)


def _main(words: list[str]) -> int:
    """Parse `words` and run the command; a ConfigError or StoreError becomes a message."""
    try:
        quick = _quick_status(words)
        if quick is not None:
            # Status bars run `status` every few seconds. Its plain forms skip argparse, which
            # with gettext and locale is about 6 ms of its 45 (bench/README.md).
            from walkbreak.commands import today

            as_json, template = quick
            return today.status(open_context(None), as_json=as_json, template=template)
        quick_log = _quick_log(words)
        if quick_log is not None:  # `log` from a shell alias or a key binding: the same saving
            from walkbreak.commands import today

            minutes, force = quick_log
            return today.log(open_context(None), minutes, None, None, "", force=force)
        if not words:  # the dashboard: argparse and its twenty subcommands are ~3 ms of its start
            from walkbreak.commands import dashboard

            return dashboard.run(open_context(None))
        from walkbreak.arguments import build_parser

        args = build_parser().parse_args(words)
        if args.command == "config":
            from walkbreak.commands import configure

            return configure.run(args)
        if args.command == "doctor":
            from walkbreak.commands import doctor

            return doctor.run(args.config, send=args.send)
        if args.command == "service":
            from walkbreak.commands import service

            return service.run(args.action, args.config, show=args.show)
        context = open_context(args.config)
        return _dispatch(args, context)
    except ConfigError as err:
        print(f"walkbreak: {err}", file=sys.stderr)
        return EXIT_USAGE
    except StoreError as err:
        print(f"walkbreak: {err}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        return 130


def _quick_status(words: list[str]) -> tuple[bool, str | None] | None:
    """`status` with only `--json` and `--format TEMPLATE`: (as_json, template); else None (argparse)."""
    if not words or words[0] != "status":
        return None
    as_json, template, rest = False, None, words[1:]
    while rest:
        word = rest.pop(0)
        if word == "--json" and not as_json:
            as_json = True
        elif word == "--format" and template is None and rest and not rest[0].startswith("-"):
            template = rest.pop(0)  # (a template starting with "-" goes as --format=…, as in argparse)
        elif word.startswith("--format=") and template is None:
            template = word.removeprefix("--format=")
        else:
            return None
    return as_json, template


def _quick_log(words: list[str]) -> tuple[float | None, bool] | None:
    """`log` with at most MINUTES and `--force`: (minutes, force); else None (argparse, which also
    says what is wrong: minutes are taken here only when argparse would take them)."""
    if not words or words[0] != "log":
        return None
    from walkbreak.core.walking import LONGEST_LOGGED

    minutes, force = None, False
    for word in words[1:]:
        if word == "--force" and not force:
            force = True
            continue
        try:
            value = float(word)
        except ValueError:
            return None
        if minutes is not None or not 0 < value <= LONGEST_LOGGED:
            return None
        minutes = value
    return minutes, force


def _dispatch(args: Namespace, context: Context) -> int:
    """Run the subcommand named in `args`."""
    if args.command == "log":
        from walkbreak.commands import today

        return today.log(context, args.minutes, args.at, args.day, args.note, force=args.force)
    if args.command == "calendar":
        from walkbreak.commands import calendar

        return calendar.run(context, args.days)
    if args.command == "history":
        from walkbreak.commands import history

        return history.run(context, args.days)
    if args.command == "export":
        from walkbreak.commands import export

        return export.run(context, args.format, args.first, args.last, args.output, force=args.force)
    if args.command in ("run", "notify-test"):
        from walkbreak.commands import run

        if args.command == "notify-test":
            return run.notify_test(context)
        if args.headless:
            return run.run(context)
    if args.command in ("walk", "snooze", "skip", "pause", "resume"):
        from walkbreak.commands import respond

        return respond.run(
            context,
            args.command,
            getattr(args, "reason", ""),
            getattr(args, "duration", None),
            yes=getattr(args, "yes", False),
        )
    if args.command in ("checkin", "suggestion"):
        from walkbreak.commands import checkin

        if args.command == "checkin":
            if args.flag and args.answer in ("settled", "still-sore"):
                print(
                    "walkbreak checkin: --flag goes with a feeling, not with settled/still-sore",
                    file=sys.stderr,
                )
                return EXIT_USAGE
            return checkin.check_in(context, args.answer, args.flag)
        return checkin.suggestion(context, args.answer)
    if args.command == "status":
        from walkbreak.commands import today

        return today.status(context, as_json=args.json, template=args.template)
    from walkbreak.commands import dashboard

    if args.command == "demo":
        return dashboard.demo(context, args.speed)
    return dashboard.run(context)
