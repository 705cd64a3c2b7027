"""Records walkbreak did not write: one bad record never stops a command or the engine.

A month file holds one record of every kind; one field of one record gets a hostile value
(Infinity, 1e308, a year-9999 time, text where a number belongs, a negative length…). Every
command then runs as it would for the user, and so does the real engine: the bad record is
skipped with a warning, the file stays where it is, the good records still count.
"""

from __future__ import annotations

import asyncio
import json
import logging
import signal
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.builders import BERLIN, at, bout, month_path, prompt
from tests.conftest import run_walkbreak
from tests.test_engine import running, settled
from tests.test_fuzz import real_month_file
from tests.test_one_engine import headless, wait_for_line
from walkbreak.cli import main
from walkbreak.core.model import Walking
from walkbreak.store import Store
from walkbreak.store.records import TABLES

NOW = "2026-11-26T15:00:00+01:00"
MONTH = "2026-11.json"
COMMANDS = (
    ("status",),
    ("status", "--json"),
    ("history", "--days", "7"),
    ("export", "--format", "csv"),
    ("log", "3", "--at", "14:00", "--force"),
    ("checkin", "same"),
)


def month_file(data: Path) -> dict[str, Any]:
    """A real month file with one record of every kind (written by the store); its tables.

    test_fuzz's file (a walked prompt and its walk, a snooze, a check-in, an away period, a
    suggestion), with what these tests need besides: a second walk, an open prompt, a walk under way.
    """
    month_path(data).write_bytes(real_month_file(data.parent))
    store = Store(data, warn=print)
    day = at(BERLIN, "2026-11-26 00:00").date()
    for record in (
        bout(at(BERLIN, "2026-11-26 11:00")),
        prompt(at(BERLIN, "2026-11-26 14:50")),  # open
        Walking("w1", day, at(BERLIN, "2026-11-26 13:00"), 5.0),
    ):
        store.add(record)
    return json.loads(month_path(data).read_text())


def write(data: Path, tables: dict[str, Any]) -> None:
    month_path(data).write_text(json.dumps(tables))  # Infinity and NaN as Python's json writes them


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WALKBREAK_NOW", NOW)
    monkeypatch.setenv("TZ", "Europe/Berlin")


def every_command(data: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """Run each command in this process; each must succeed. Returns what they said on stderr."""
    said = ""
    for words in COMMANDS:
        code = main(list(words))
        out, err = capsys.readouterr()
        assert code == 0, (words, out, err)
        said += err
    assert not list(data.rglob("*.corrupt-*")), "a file with one bad record is not moved aside"
    return said


# The cases the review found, each by name.

CASES = {
    "minutes Infinity": ("bouts", "minutes", float("inf")),
    "minutes 1e308": ("bouts", "minutes", 1e308),
    "minutes negative": ("bouts", "minutes", -500),
    "minutes as text": ("bouts", "minutes", "5"),
    "minutes a huge int": ("bouts", "minutes", 10**400),
    "shown_at in 9999": ("prompts", "shown_at", "9999-12-31T23:59:59+00:00"),
    "fired_at in 9999": ("prompts", "fired_at", "9999-12-31T23:59:59+00:00"),
    "until in year 1": ("controls", "until", "0001-01-01T00:00:00+00:00"),
    "start a day away": ("bouts", "start", "2026-11-20T10:00:00+01:00"),
    "day far from its start": ("bouts", "day", "2026-11-02"),
    "day not a date": ("bouts", "day", "2026-11-1x"),
    "snoozes a float": ("prompts", "snoozes", 1.5),
    "flags as text": ("checkins", "flags", "leg weakness"),
    "pace unknown": ("advice", "pace", "sprint"),
    "walking minutes Infinity": ("walking", "minutes", float("inf")),
    "a note of a megabyte": ("bouts", "note", "x" * 1_000_000),
    "outcome a list": ("prompts", "outcome", ["walked"]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_bad_field_skips_its_record_with_a_warning(case: str, isolated_env: Path, capsys) -> None:
    table, field, value = CASES[case]
    tables = month_file(isolated_env)
    first = next(iter(tables[table].values()))
    first[field] = value
    write(isolated_env, tables)
    said = every_command(isolated_env, capsys)
    assert f"a {table} record in {month_path(isolated_env)}" in said and "stays in the file, unused" in said
    assert len(said) < 4000, "the warning quotes the bad value, cut short"
    assert first["id"] in json.dumps(json.loads(month_path(isolated_env).read_text())[table]), (
        "kept in the file"
    )


def test_two_records_with_one_id_count_once(isolated_env: Path, capsys) -> None:
    tables = month_file(isolated_env)
    assert main(["status", "--json"]) == 0
    before = json.loads(capsys.readouterr().out)
    bouts = tables["bouts"]
    bouts["99"] = dict(next(iter(bouts.values())))  # a sync conflict's copy
    write(isolated_env, tables)
    assert main(["status", "--json"]) == 0
    out, err = capsys.readouterr()
    after = json.loads(out)
    # Records are merged by id (the same record comes from every device that has it), so a copy
    # is the record once, without a word.
    assert (after["bouts"], after["minutes"]) == (before["bouts"], before["minutes"]) and before["bouts"] >= 2
    assert "could not be read" not in err


def test_a_record_number_that_only_looks_like_a_digit_moves_the_file_aside(
    isolated_env: Path, capsys
) -> None:
    tables = month_file(isolated_env)
    tables["bouts"]["²"] = tables["bouts"].pop(next(iter(tables["bouts"])))  # '²'.isdigit() is True
    write(isolated_env, tables)
    before = month_path(isolated_env).read_bytes()
    assert main(["status"]) == 0
    _, err = capsys.readouterr()
    (aside,) = month_path(isolated_env).parent.glob(f"{MONTH}.corrupt-*")
    assert aside.read_bytes() == before and str(aside) in err


def test_a_month_file_far_too_big_is_moved_aside_unread(isolated_env: Path, capsys) -> None:
    tables = month_file(isolated_env)
    tables["bouts"].update(
        {str(n): {"id": f"x{n}", "day": "2026-11-02", "pad": "y" * 100} for n in range(50_000)}
    )
    write(isolated_env, tables)
    assert main(["log", "3", "--at", "14:00"]) == 0
    _, err = capsys.readouterr()
    assert "MB; a month of walks is well under 1 MB" in err and list(
        month_path(isolated_env).parent.glob(f"{MONTH}.corrupt-*")
    )


def test_a_walk_plan_with_bad_numbers_keeps_its_red_flag_hold(isolated_env: Path, capsys) -> None:
    tables = month_file(isolated_env)
    tables["_meta"]["1"]["plan"] = {
        "base_minutes": float("inf"),
        "bout_minutes": 1e308,
        "pace": "routine",
        "variety": "yes",
        "held_since": "2026-11-26T09:30:00+01:00",
    }
    write(isolated_env, tables)
    assert main(["status", "--json"]) == 0
    out, _ = capsys.readouterr()
    assert json.loads(out)["state"] == "held", out


def test_the_real_cli_and_headless_engine_live_through_a_bad_record(isolated_env: Path) -> None:
    """As the user runs them: separate processes, and the engine under `run --headless` stays up."""
    tables = month_file(isolated_env)
    next(iter(tables["bouts"].values()))["minutes"] = float("inf")
    next(iter(tables["prompts"].values()))["shown_at"] = "9999-12-31T23:59:59+00:00"
    write(isolated_env, tables)
    for words in (("status",), ("log", "3", "--at", "14:00"), ("history",)):
        result = run_walkbreak(*words)
        assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    config = isolated_env.parent / "config.toml"
    config.write_text('[notify]\nbackend = "none"\n')
    engine = headless({"WALKBREAK_CONFIG": str(config)})
    try:
        wait_for_line(engine, "stays in the file, unused")  # it read the day
        wait_for_line(engine, "this walkbreak sends the prompts")  # and went on to run
        assert engine.poll() is None, "still running"
    finally:
        engine.send_signal(signal.SIGTERM)
        _, rest = engine.communicate(timeout=30)
    assert engine.returncode == 0 and "Traceback" not in rest, rest


# Any JSON value in any field of any record.

json_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.integers(min_value=10**300),
        st.floats(),  # NaN and the infinities too
        st.text(max_size=8),
        st.sampled_from(
            [
                "9999-12-31T23:59:59+00:00",
                "0001-01-01T00:00:00+00:00",
                "2026-11-26T10:00:00",
                "2026-11-26T10:00:00+01:00",
                "2026-11-26",
                "0001-01-01",
                "9999-12-31",
                "walked",
                "²",
                "\x1b]0;owned\x07",
            ]
        ),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=5,
)
hostile = st.sampled_from(
    [float("inf"), float("-inf"), float("nan"), 1e308, -500, 0, 10**400, "5", True, [], {},
     "9999-12-31T23:59:59+00:00", "0001-01-01T00:00:00+00:00", "9999-12-31", "x" * 5000]
)  # fmt: skip
values = st.one_of(hostile, json_values)
FIELDS = {name: kind._fields for kind, name in TABLES.items()}
mutations = st.sampled_from(sorted(FIELDS)).flatmap(
    lambda table: st.tuples(
        st.just(table), st.integers(0, 3), st.sampled_from([*FIELDS[table], "v", "extra"]), values
    )
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutation=mutations)
def test_any_value_in_any_field_never_stops_a_command(
    tmp_path_factory, monkeypatch: pytest.MonkeyPatch, capsys, mutation: tuple[str, int, str, Any]
) -> None:
    table, which, field, value = mutation
    data = tmp_path_factory.mktemp("h") / "data"
    monkeypatch.setenv("WALKBREAK_DATA_DIR", str(data))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(data.parent / "config"))
    tables = month_file(data)
    records = list(tables[table].values())
    records[which % len(records)][field] = value
    write(data, tables)
    every_command(data, capsys)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutation=mutations)
@example(mutation=("bouts", 0, "minutes", float("inf")))
@example(mutation=("prompts", 1, "shown_at", "9999-12-31T23:59:59+00:00"))
def test_any_value_in_any_field_never_stops_the_engine(
    tmp_path_factory, mutation: tuple[str, int, str, Any]
) -> None:
    table, which, field, value = mutation
    data = tmp_path_factory.mktemp("e") / "data"
    tables = month_file(data)
    records = list(tables[table].values())
    records[which % len(records)][field] = value
    write(data, tables)

    async def scenario() -> None:
        start = datetime.fromisoformat(NOW)
        async with running(data, start) as (engine, clock, _):
            await settled(engine, clock, after=start.replace(minute=10))
            assert engine.view is not None and engine.view.now >= start, "it planned the day"

    failures = Failures()
    logging.getLogger("walkbreak").addHandler(failures)
    try:
        asyncio.run(scenario())
    finally:
        logging.getLogger("walkbreak").removeHandler(failures)
    assert not failures.seen, failures.seen


class Failures(logging.Handler):
    """Errors the engine logged (it logs what fails in a tick and goes on; none may fail)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.seen: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.seen.append(record.getMessage())
