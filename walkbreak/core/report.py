"""Reports for a physical therapist: every record as CSV (and back), and a week-by-week summary in Markdown.

Pure: both work on `dict[date, DayLog]` and `Settings` and return text; reading the store and
writing the file is `walkbreak.commands.export`'s job.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

from walkbreak.core.care import describe, plan_in_force
from walkbreak.core.model import Advice, Bout, CheckIn, DayLog, Feeling, Outcome, Prompt, Record, Source
from walkbreak.core.settings import Settings
from walkbreak.core.status import format_number
from walkbreak.core.tally import DayTally, day_tally, summarize, week_of

# CSV

Exported = Bout | Prompt | CheckIn | Advice
"""The records an export holds; pauses, snoozes and away time are the planner's business, not the report's."""

COLUMNS = (
    "kind",
    "day",
    "time",
    "end",
    "minutes",
    "source",
    "outcome",
    "reason",
    "snoozes",
    "shown_at",
    "answered_at",
    "feeling",
    "flags",
    "followup",
    "followup_at",
    "direction",
    "suggestion",
    "bout_minutes",
    "pace",
    "variety",
    "rest_minutes",
    "answer",
    "rule",
    "note",
    "id",
    "prompt_id",
    "bout_id",
    "checkin_id",
)
"""The CSV header. Columns a person reads come first, ids (for joining rows) last; a cell that does
not apply to a row's kind is empty. `end` is derived from `time` + `minutes` and ignored when read."""

FLAG_SEPARATOR = "; "
"""Between the red flags of one check-in, in one cell (no flag contains it)."""

TRUE, FALSE = "true", "false"


class _Kind(NamedTuple):
    """How one kind of record maps to CSV columns: `columns` names the column of each field."""

    name: str
    type: type[Bout] | type[Prompt] | type[CheckIn] | type[Advice]
    columns: Mapping[str, str]
    order: int
    """Rows at the same instant: the prompt, then the walk it led to, the check-in, the suggestion."""


_KINDS = (
    _Kind(
        "prompt",
        Prompt,
        {f: f for f in Prompt._fields} | {"fired_at": "time"},
        0,
    ),
    _Kind("bout", Bout, {f: f for f in Bout._fields} | {"start": "time"}, 1),
    _Kind("checkin", CheckIn, {f: f for f in CheckIn._fields} | {"at": "time"}, 2),
    _Kind(
        "suggestion",
        Advice,
        {f: f for f in Advice._fields} | {"at": "time", "text": "suggestion"},
        3,
    ),
)
_BY_NAME = {k.name: k for k in _KINDS}
_BY_TYPE = {k.type: k for k in _KINDS}

_OPTIONAL = frozenset(
    {"outcome", "answered_at", "shown_at", "followup_at", "prompt_id", "bout_id", "checkin_id"}
)
"""Fields that may be None; an empty cell reads back as None (ids and times are never empty)."""

_TIMES = frozenset({"start", "fired_at", "at", "answered_at", "shown_at", "followup_at"})


def _parse_time(text: str) -> datetime:
    """An ISO time that must carry its offset: a naive time would be read in the wrong zone."""
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        raise ValueError(f"{text!r} has no time zone offset")
    return value


def _parse_bool(text: str) -> bool:
    if text not in (TRUE, FALSE):
        raise ValueError(f"{text!r} is not {TRUE} or {FALSE}")
    return text == TRUE


def _parse_flags(text: str) -> tuple[str, ...]:
    return tuple(text.split(FLAG_SEPARATOR)) if text else ()


_DECODE: dict[str, Callable[[str], Any]] = {
    "day": date.fromisoformat,
    **dict.fromkeys(_TIMES, _parse_time),
    "minutes": float,
    "source": Source,
    "outcome": Outcome,
    "snoozes": int,
    "bout_minutes": int,
    "rest_minutes": int,
    "variety": _parse_bool,
    "flags": _parse_flags,
}
"""Cell text to field value, by field name; fields not named here are plain text."""


def exported_records(logs: Mapping[date, DayLog]) -> list[Exported]:
    """The bouts, prompts, check-ins and suggestions of `logs`, in time order."""
    records: list[Exported] = []
    for log in logs.values():
        records += [*log.bouts, *log.prompts, *log.checkins, *log.advice]
    return sorted(records, key=_sort_key)


def _sort_key(record: Exported) -> tuple[datetime, int, str]:
    return _time_of(record), _BY_TYPE[type(record)].order, record.id


def _time_of(record: Exported) -> datetime:
    """The moment a record is filed under: a walk's start, a prompt's firing, a check-in or suggestion."""
    if isinstance(record, Bout):
        return record.start
    if isinstance(record, Prompt):
        return record.fired_at
    return record.at


def csv_row(record: Exported) -> list[str]:
    """One record as cells in `COLUMNS` order."""
    kind = _BY_TYPE[type(record)]
    cells = dict.fromkeys(COLUMNS, "")
    cells["kind"] = kind.name
    for field, column in kind.columns.items():
        cells[column] = _cell(getattr(record, field))
    if isinstance(record, Bout):
        cells["end"] = record.end.isoformat(timespec="seconds")
    return [cells[c] for c in COLUMNS]


def _cell(value: object) -> str:
    """A field as CSV text: ISO times with their offset, exact numbers, flags in one cell."""
    if value is None:
        return ""
    if isinstance(value, bool):  # before int: a bool is an int
        return TRUE if value else FALSE
    if isinstance(value, date):  # datetimes too
        return value.isoformat()
    if isinstance(value, float):
        text = repr(value)  # repr reads back to the same float; 5.0 is written "5"
        return text.removesuffix(".0")
    if isinstance(value, tuple):
        return FLAG_SEPARATOR.join(str(v) for v in value)
    return str(value)


class _Lines:
    """Collects what `csv.writer` writes (the core does no I/O, so no io.StringIO)."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, text: str) -> int:
        self.parts.append(text)
        return len(text)


def to_csv(records: Iterable[Exported]) -> str:
    """The header and one row per record.

    Lines end in CRLF as RFC 4180 asks: it is also what makes `csv` quote a cell holding a lone
    carriage return, which would otherwise not read back.
    """
    lines = _Lines()
    writer = csv.writer(lines, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(csv_row(r) for r in records)
    return "".join(lines.parts)


def parse_csv(text: str) -> list[Record]:
    """The records in an export, equal to the ones exported; raises ValueError naming the bad line."""
    reader = csv.reader(_physical_lines(text), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise ValueError("the CSV is empty: expected a header row") from None
    except csv.Error as err:
        raise ValueError(f"line 1: {err}") from None
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise ValueError(f"the header lacks the column(s) {', '.join(missing)}")
    records: list[Record] = []
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return records
        except csv.Error as err:
            raise ValueError(f"line {reader.line_num}: {err}") from None
        if len(row) != len(header):
            raise ValueError(f"line {reader.line_num}: {len(row)} cells where the header has {len(header)}")
        try:
            records.append(_parse_row(dict(zip(header, row, strict=True))))
        except (ValueError, TypeError) as err:
            raise ValueError(f"line {reader.line_num}: {err}") from None


def _physical_lines(text: str) -> Iterator[str]:
    """`text` cut after each newline only; str.splitlines also cuts at U+2028 and the like, which a
    note may hold and which `csv` must see inside its cell."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end + 1
        yield text[start:end]
        start = end


def _parse_row(cells: dict[str, str]) -> Record:
    kind = _BY_NAME.get(cells["kind"])
    if kind is None:
        raise ValueError(f"unknown kind {cells['kind']!r}: expected one of {', '.join(_BY_NAME)}")
    values: dict[str, Any] = {}
    for field, column in kind.columns.items():
        text = cells[column]
        if field in _OPTIONAL and text == "":
            values[field] = None
            continue
        decode = _DECODE.get(field)
        values[field] = decode(text) if decode else text
    if not values["id"]:
        raise ValueError("the row has no id")
    record: Record = kind.type(**values)
    return record


# Markdown

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
"""English names, not strftime's: the report must not change with the reader's locale."""

FOOTER = "walkbreak is a reminder tool, not medical advice."

_SORE = frozenset({Feeling.SORE, Feeling.SPIKED})
"""Check-ins counted in the trend: soreness is what a therapist scales the walking by."""

_SKIP_LABELS = {"back-pain": "back pain", "already-walked": "already walked", "": "no reason given"}
_DIRECTIONS = {"scale-back": "scale back", "scale-up": "scale up"}
_ANSWERS = {"accepted": "Accepted", "declined": "Declined", "": "Not answered"}


def day_label(day: date, *, year: bool = False) -> str:
    """ "Mon 23 Nov", or "Mon 23 Nov 2026"."""
    text = f"{_WEEKDAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]}"
    return f"{text} {day.year}" if year else text


def week_report(settings: Settings, logs: Mapping[date, DayLog], first: date, last: date) -> str:
    """The Markdown report: a title, then one section per Monday-to-Sunday week from `first` to `last`.

    Days outside `first`..`last` are left out of their week (so the current week stops at today).
    Targets and work hours are today's settings applied to every day: the store keeps no history
    of the config, and the title says so.
    """
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    shown = {d: logs.get(d, DayLog(d)) for d in days}
    parts = [_title(settings, first, last)]
    if not any(_has_records(log) for log in shown.values()):
        parts.append(f"Nothing was recorded from {day_label(first)} to {day_label(last, year=True)}.")
    else:
        weeks = []
        monday = week_of(first)[0]
        while monday <= last:
            weeks.append(_week(settings, monday, [shown[d] for d in days if week_of(d)[0] == monday]))
            monday += timedelta(days=7)
        parts.append("\n\n---\n\n".join(weeks))  # a rule between weeks: one week, one page
    parts.append(f"---\n\n*{FOOTER}*")
    return "\n\n".join(parts) + "\n"


def _has_records(log: DayLog) -> bool:
    return bool(log.bouts or log.prompts or log.checkins or log.advice)


def weeks_in(first: date, last: date) -> int:
    """How many Monday-to-Sunday weeks the days `first` to `last` touch."""
    return (week_of(last)[0] - week_of(first)[0]).days // 7 + 1


def _title(settings: Settings, first: date, last: date) -> str:
    start = day_label(first, year=first.year != last.year)
    walk = describe(plan_in_force(settings))
    return (
        f"# Walking report: {start} – {day_label(last, year=True)}\n\n"
        f"Target: {settings.walk.daily_target} walks on each work day ({_work_days(settings)}). "
        f"Current walk plan: {walk}.\n"
        "Targets and work hours are today's settings, applied to every day shown.\n"
        '"Spread" is how many of the day\'s work hours had a walk start in them; '
        '"slightly sore → settled" adds the answer to the follow-up question a few hours later.'
    )


def _work_days(settings: Settings) -> str:
    """ "Mon–Fri", or "Mon, Wed, Thu" when the work days are not one run."""
    days = sorted(settings.work.days)
    if not days:
        return "none"
    if len(days) > 2 and days == list(range(days[0], days[-1] + 1)):
        return f"{_WEEKDAYS[days[0]]}–{_WEEKDAYS[days[-1]]}"
    return ", ".join(_WEEKDAYS[d] for d in days)


def _week(settings: Settings, monday: date, logs: Sequence[DayLog]) -> str:
    """One week: its table of days, then totals, prompts, check-ins, trend, red flags and suggestions."""
    tallies = [day_tally(settings, log) for log in logs]
    heading = f"## Week of {day_label(monday, year=True)}"
    if len(logs) < 7:
        heading += f" ({day_label(logs[0].day)} to {day_label(logs[-1].day)} only)"
    rows = [_day_cells(tally, log) for tally, log in zip(tallies, logs, strict=True)]
    checkins = [c for log in logs for c in log.checkins]
    lines = [
        _walks_line(tallies),
        _prompts_line([p for log in logs for p in log.prompts]),
        _checkins_line(checkins),
        _trend_line(checkins),
        *_red_flag_lines(checkins),
        *_suggestion_lines([a for log in logs for a in log.advice]),
    ]
    return "\n\n".join([heading, _table(_HEADER, rows), "\n".join(lines)])


_HEADER = ("Day", "Walks / target", "Minutes", "Spread", "Check-ins after walks")


def _day_cells(tally: DayTally, log: DayLog) -> list[str]:
    if tally.work_day:
        walks = f"{tally.bouts} / {tally.target}"
        spread = f"{tally.spread} of {tally.work_hours} h"
    else:
        walks = f"{tally.bouts} (day off)" if tally.bouts else "day off"
        spread = "–"
    return [day_label(tally.day), walks, format_number(tally.minutes), spread, _checkins_cell(log.checkins)]


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A Markdown table padded into columns, so it reads as a table in a plain text editor too."""
    cells = [[_escape(c) for c in row] for row in [header, *rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |" for row in cells]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(line.rstrip() for line in lines)


def _checkins_cell(checkins: Sequence[CheckIn]) -> str:
    """The day's check-ins in time order, "slightly sore → settled" for a follow-up; repeats as "same ×2"."""
    runs: list[tuple[str, int]] = []
    for checkin in checkins:
        label = checkin.feeling
        if checkin.followup:
            label += f" → {checkin.followup}"
        if checkin.flags:
            label += " (red flag)"
        if runs and runs[-1][0] == label:
            runs[-1] = (label, runs[-1][1] + 1)
        else:
            runs.append((label, 1))
    return ", ".join(f"{label} ×{count}" if count > 1 else label for label, count in runs) or "–"


def _escape(text: str) -> str:
    """A table cell: a "|" would end the cell, a newline the row."""
    return text.replace("|", "\\|").replace("\n", " ")


def _walks_line(tallies: Sequence[DayTally]) -> str:
    total = summarize(tallies[0].day, tallies[-1].day, tallies)
    if not total.work_days:  # a week cut down to its weekend
        return f"- **Walks:** {total.bouts} ({format_number(total.minutes)} minutes); no work days."
    target_minutes = sum(t.target_minutes for t in tallies)
    return (
        f"- **Walks:** {total.bouts} against a target of {total.target_bouts} "
        f"({format_number(total.minutes)} of {target_minutes} minutes); "
        f"target met on {total.days_met} of {total.work_days} work days."
    )


def _prompts_line(prompts: Sequence[Prompt]) -> str:
    if not prompts:
        return "- **Prompts:** none."
    outcomes = Counter(p.outcome for p in prompts)
    skipped = Counter(_SKIP_LABELS.get(p.reason, p.reason) for p in prompts if p.outcome is Outcome.SKIPPED)
    parts = [f"{outcomes[Outcome.WALKED]} walked"]
    skips = f"{outcomes[Outcome.SKIPPED]} skipped"
    if skipped:
        skips += " (" + ", ".join(f"{n} {reason}" for reason, n in sorted(skipped.items())) + ")"
    parts += [skips, f"{outcomes[Outcome.EXPIRED]} unanswered"]
    if outcomes[None]:
        parts.append(f"{outcomes[None]} still waiting")
    return f"- **Prompts:** {len(prompts)} sent; " + ", ".join(parts) + "."


def _checkins_line(checkins: Sequence[CheckIn]) -> str:
    if not checkins:
        return "- **Check-ins:** none."
    return f"- **Check-ins:** {len(checkins)}; {_feeling_counts(checkins)}."


def _feeling_counts(checkins: Sequence[CheckIn]) -> str:
    """ "3 better, 2 same, 2 slightly sore (1 settled, 1 still sore)", in the order of `Feeling`."""
    counts = Counter(c.feeling for c in checkins)
    order = [*Feeling, *sorted(set(counts) - set(Feeling))]
    parts = []
    for feeling in order:
        if not counts[feeling]:
            continue
        part = f"{counts[feeling]} {feeling}"
        followups = Counter(c.followup for c in checkins if c.feeling == feeling and c.followup)
        if followups:
            part += " (" + ", ".join(f"{n} {answer}" for answer, n in sorted(followups.items())) + ")"
        parts.append(part)
    return ", ".join(parts)


def _trend_line(checkins: Sequence[CheckIn]) -> str:
    """How often the back was sore or worse early in the week (Mon–Wed) against later (Thu–Sun).

    A share, not an average of feelings: counts a therapist can check against the table.
    """
    early = [c for c in checkins if c.day.weekday() < 3]
    late = [c for c in checkins if c.day.weekday() >= 3]
    sore_early = sum(c.feeling in _SORE for c in early)
    sore_late = sum(c.feeling in _SORE for c in late)
    if not early or not late:
        return "- **Trend:** too few check-ins to compare early and late in the week."
    if not sore_early and not sore_late:
        return "- **Trend:** no check-in this week was slightly sore or worse."
    # sore_late / len(late) against sore_early / len(early), compared without division
    later, earlier = sore_late * len(early), sore_early * len(late)
    verdict = (
        "less often sore later in the week"
        if later < earlier
        else "more often sore later in the week"
        if later > earlier
        else "as often sore early as late"
    )
    return (
        f"- **Trend:** slightly sore or worse in {sore_early} of {len(early)} check-ins Mon–Wed "
        f"and {sore_late} of {len(late)} Thu–Sun: {verdict}."
    )


def _red_flag_lines(checkins: Sequence[CheckIn]) -> list[str]:
    flagged = [c for c in checkins if c.flags]
    if not flagged:
        return ["- **Red flags:** none."]
    return [
        "- **Red flags** (walkbreak then tells the user to see a doctor promptly and holds walk prompts "
        "until they resume them):"
    ] + [f"  - {_when(c.at)}, after a walk: {', '.join(c.flags)} (check-in: {c.feeling})." for c in flagged]


def _suggestion_lines(advice: Sequence[Advice]) -> list[str]:
    if not advice:
        return ["- **Suggestions to scale back or up:** none."]
    return ["- **Suggestions to scale back or up:**"] + [
        f'  - {_when(a.at)}, {_DIRECTIONS.get(a.direction, a.direction)}: "{a.text}". Why: "{a.reason}". '
        f"{_ANSWERS.get(a.answer, a.answer)}."
        for a in advice
    ]


def _when(moment: datetime) -> str:
    """ "Wed 25 Nov 14:20", in the zone the record was made in."""
    return f"{day_label(moment.date())} {moment:%H:%M}"
