"""Every bout, prompt, check-in and suggestion as one CSV row each, and back to the same records.

Pure: works on `dict[date, DayLog]` and returns text; `walkbreak.commands.export` reads the
store and writes the file. A red flag stored in older words ("after a fall") is written in
today's ("pain after a fall or accident"), so that row reads back with today's flag.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date, datetime
from typing import Any

from walkbreak.core.feelings import flag_words
from walkbreak.core.model import Advice, Bout, CheckIn, DayLog, Outcome, Prompt, Record, Source
from walkbreak.core.named_tuple import NamedTuple
from walkbreak.core.plain_text import clean

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
    text = text.removeprefix("'")  # see _text
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
    if isinstance(record, CheckIn):  # a flag stored in older words is written in today's
        cells["flags"] = _cell(tuple(flag_words(f) for f in record.flags))
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
        return _text(FLAG_SEPARATOR.join(str(v) for v in value))
    return _text(str(value))


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")
"""A cell a spreadsheet would run as a formula (or take the quote of): written after a `'`, which
spreadsheets hide, so they show the text (OWASP's advice for CSV injection)."""


def _text(text: str) -> str:
    """User text for a cell: no control characters (a terminal shows `export` too), no formula."""
    text = clean(text)
    return f"'{text}" if text.lstrip(" ").startswith(FORMULA_STARTS) else text


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
        values[field] = decode(text) if decode else text.removeprefix("'")
    if not values["id"]:
        raise ValueError("the row has no id")
    record: Record = kind.type(**values)
    return record
