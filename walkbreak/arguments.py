"""The command line's arguments: every subcommand, its options, and their checks."""

from __future__ import annotations

import argparse
import functools
import os
from datetime import date
from typing import Any

from walkbreak import __version__
from walkbreak.core.plain_text import as_note
from walkbreak.core.walking import LONGEST_LOGGED

SKIP_REASONS = ("busy", "meeting", "back-pain", "already-walked")
CHECKIN_ANSWERS = ("better", "same", "sore", "spiked", "settled", "still-sore")
RED_FLAGS = ("numbness", "weakness", "severe", "fall")
EXPORT_FORMATS = ("csv", "md")


class _Formatter(argparse.HelpFormatter):
    """argparse's formatter, told the width so it need not import shutil (2 ms of `status`)."""

    def __init__(self, prog: str) -> None:
        try:
            width = os.get_terminal_size().columns
        except OSError:
            width = 80
        super().__init__(prog, width=max(width, 40) - 2)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    # argparse words its texts through gettext, whose lookup checks the disk for a translation
    # at each of its sixty-odd calls here (about 2 ms of each command); the texts are constant.
    words = vars(argparse)
    if not hasattr(words["_"], "cache_info"):
        words["_"] = functools.cache(words["_"])
    parser = argparse.ArgumentParser(
        prog="walkbreak",
        formatter_class=_Formatter,
        description="Short, frequent walk breaks through the workday.",
        epilog="Run a command with --help for its options.",
    )
    parser.add_argument("--version", action="version", version=f"walkbreak {__version__}")
    parser.add_argument(
        "--config", metavar="PATH", help="config file (default: WALKBREAK_CONFIG or the user config dir)"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_SubParser)

    status = commands.add_parser("status", help="today in one line: walks, minutes, next prompt")
    status.add_argument(
        "--json",
        action="store_true",
        help="print the same facts as JSON (with waybar's text, tooltip, class)",
    )
    status.add_argument(
        "--format",
        dest="template",
        metavar="TEMPLATE",
        help="word the line yourself, e.g. '{bouts}/{target} · next {next}' (see the README for every field)",
    )

    log = commands.add_parser("log", help="log a walk you took")
    log.add_argument(
        "minutes",
        nargs="?",
        type=_minutes,
        metavar="MINUTES",
        help="how long you walked (default: the bout length)",
    )
    log.add_argument("--at", metavar="HH:MM", help="when the walk started (default: MINUTES ago)")
    log.add_argument(
        "--day", metavar="DATE", help="the day: YYYY-MM-DD or 'yesterday' (needs --at; default: today)"
    )
    log.add_argument("--note", type=_note, default="", metavar="TEXT", help="a note to keep with the walk")
    log.add_argument(
        "--force",
        action="store_true",
        help="record it even if it overlaps another walk or ends in the future",
    )

    commands.add_parser(
        "walk",
        help="start a walk now (answering the waiting prompt, if any); it counts when it ends",
    )
    commands.add_parser("snooze", help="put the waiting prompt off for snooze.minutes")
    skip = commands.add_parser("skip", help="skip the waiting prompt")
    skip.add_argument(
        "--reason",
        choices=SKIP_REASONS,
        default="",
        help="why: " + ", ".join(SKIP_REASONS),
    )
    pause = commands.add_parser("pause", help="hold prompts for a while; they resume by themselves")
    pause.add_argument(
        "duration",
        type=_duration,
        metavar="DURATION",
        help="30m, 1h, 2h … up to 12h, or 'day' for the rest of today",
    )
    resume = commands.add_parser("resume", help="end a pause now, or the hold after a red flag")
    resume.add_argument(
        "--yes",
        action="store_true",
        help="end a hold after a red flag without asking (a doctor said walking is fine)",
    )

    checkin = commands.add_parser(
        "checkin",
        help="how your back feels after today's latest walk, or whether the soreness settled",
    )
    checkin.add_argument(
        "answer",
        choices=CHECKIN_ANSWERS,
        metavar="ANSWER",
        help="better, same, sore (slightly sore), spiked (pain spiked); or settled / still-sore",
    )
    checkin.add_argument(
        "--flag",
        action="append",
        default=[],
        choices=RED_FLAGS,
        help="a red flag (see a doctor promptly; prompts are held): " + ", ".join(RED_FLAGS),
    )
    suggestion = commands.add_parser("suggestion", help="show, accept or decline the suggestion waiting")
    suggestion.add_argument("answer", nargs="?", choices=("accept", "decline"), help="accept or decline it")

    demo = commands.add_parser(
        "demo", help="the dashboard on throwaway data with a fast clock: a workday in minutes"
    )
    demo.add_argument(
        "--speed",
        type=_speed,
        default=None,
        metavar="N",
        help="clock speed-up (default: a workday in about 8 minutes)",
    )
    run = commands.add_parser(
        "run", help="run the dashboard (the default); --headless runs only the prompt engine"
    )
    run.add_argument(
        "--headless", action="store_true", help="no dashboard: prompts as desktop notifications only"
    )
    commands.add_parser(
        "notify-test", help="send a test notification through each backend and say which work"
    )
    doctor = commands.add_parser("doctor", help="what works on this machine, one line each, with fixes")
    doctor.add_argument(
        "--send", action="store_true", help="also send a test notification through each backend"
    )
    service = commands.add_parser(
        "service", help="start the headless engine at login: a systemd user unit or a launchd agent"
    )
    service.add_argument("action", choices=("install", "uninstall", "status"), help="what to do")
    service.add_argument(
        "--print", dest="show", action="store_true", help="print the file it would write and change nothing"
    )

    calendar = commands.add_parser(
        "calendar", help="the busy time from your calendars that prompts keep away from, and their state"
    )
    calendar.add_argument(
        "--days", type=_days, default=1, metavar="N", help="how many days from today (default 1: today)"
    )

    history = commands.add_parser("history", help="walks per day against the target")
    history.add_argument(
        "--days", type=_days, default=7, metavar="N", help="how many days back, today included (default 7)"
    )

    export = commands.add_parser(
        "export",
        help="the history as CSV (every record) or a Markdown report per week, e.g. for a physical therapist",
    )
    export.add_argument(
        "--format",
        required=True,
        choices=EXPORT_FORMATS,
        help="csv: every walk, prompt, check-in and suggestion, one row each; md: a summary per week",
    )
    export.add_argument(
        "--from",
        dest="first",
        type=_date,
        metavar="DATE",
        help="the first day, YYYY-MM-DD (default: csv all history; md the Monday three weeks back)",
    )
    export.add_argument(
        "--to", dest="last", type=_date, metavar="DATE", help="the last day, YYYY-MM-DD (default: today)"
    )
    export.add_argument(
        "-o", "--output", metavar="FILE", help="write to FILE (owner-only) instead of standard output"
    )
    export.add_argument("--force", action="store_true", help="replace FILE if it exists")

    config = commands.add_parser("config", help="the config file: init, path, check")
    config_commands = config.add_subparsers(
        dest="config_command", metavar="ACTION", required=True, parser_class=_SubParser
    )
    init = config_commands.add_parser("init", help="write a config file with every key and its default")
    init.add_argument("--force", action="store_true", help="overwrite an existing file")
    config_commands.add_parser("path", help="print where the config file is read from")
    config_commands.add_parser("check", help="validate the config file")
    return parser


class _SubParser(argparse.ArgumentParser):
    """A subcommand's parser, with the same formatter as the main one."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(formatter_class=_Formatter, **kwargs)


def _minutes(text: str) -> float:
    """An argparse type: minutes walked, more than 0 and at most LONGEST_LOGGED (240)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of minutes") from None
    if not 0 < value <= LONGEST_LOGGED:
        raise argparse.ArgumentTypeError(
            f"{text} minutes is not allowed: give more than 0 and at most {LONGEST_LOGGED}"
        )
    return value


def _note(text: str) -> str:
    """An argparse type: a note, without control characters, of at most LONGEST_NOTE characters."""
    try:
        return as_note(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def _duration(text: str) -> int | None:
    """An argparse type: "30m", "1h", "2h" … up to 12 hours in minutes, or "day" (None)."""
    if text in ("day", "rest-of-day"):
        return None
    number, unit = text[:-1], text[-1:]
    if number.isdigit() and unit in ("m", "h"):
        minutes = int(number) * (60 if unit == "h" else 1)
        if 1 <= minutes <= 720:
            return minutes
    raise argparse.ArgumentTypeError(
        f"{text!r} is not allowed: give minutes or hours like 30m, 1h, 2h (up to 12h), or 'day'"
    )


def _speed(text: str) -> float:
    """An argparse type: a clock speed-up from 1 to 3600."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 1 <= value <= 3600:
        raise argparse.ArgumentTypeError(f"{text} is not allowed: give a speed-up from 1 to 3600")
    return value


def _date(text: str) -> date:
    """An argparse type: a calendar day as YYYY-MM-DD."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date: give YYYY-MM-DD") from None


def _days(text: str) -> int:
    """An argparse type: a number of days from 1 to 3660."""
    if not text.isdigit() or not 1 <= int(text) <= 3660:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not allowed: give a whole number of days from 1 to 3660"
        )
    return int(text)
