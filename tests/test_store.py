"""The store on real files: records round-trip, month files, modes, damage and newer schemas."""

from __future__ import annotations

import json
import os
import stat
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.builders import BERLIN, at, bout, control, month_path, prompt
from tests.conftest import run_walkbreak
from walkbreak.core.model import CheckIn, ControlKind, Outcome
from walkbreak.errors import StoreError
from walkbreak.store import Store
from walkbreak.store.records import SCHEMA_VERSION


@pytest.fixture
def warnings() -> list[str]:
    return []


@pytest.fixture
def store(isolated_env: Path, warnings: list[str]) -> Store:
    return Store(isolated_env, warn=warnings.append)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_every_kind_of_record_round_trips(store: Store) -> None:
    day = date(2026, 11, 26)
    walk = bout(at(BERLIN, "2026-11-26 10:00"), 4.5)
    fired = prompt(at(BERLIN, "2026-11-26 09:55"), Outcome.WALKED, at(BERLIN, "2026-11-26 10:00"))
    pause = control(ControlKind.PAUSE, at(BERLIN, "2026-11-26 11:00"), at(BERLIN, "2026-11-26 12:00"))
    check = CheckIn(id="c1", day=day, at=at(BERLIN, "2026-11-26 10:06"), feeling="same", flags=("numbness",))
    for record in (walk, fired, pause, check):
        store.add(record)
    store.add(bout(at(BERLIN, "2026-11-27 10:00")))  # another day, same file
    log = Store(store.directory, warn=print).day(day)  # a second store sees the writes at once
    assert (
        log.bouts == (walk,)
        and log.prompts == (fired,)
        and log.controls == (pause,)
        and log.checkins == (check,)
    )
    assert log.bouts[0].start.utcoffset() == timedelta(hours=1)


def test_records_are_stored_with_string_ids_iso_times_day_and_schema(store: Store) -> None:
    walk = store.add(bout(at(BERLIN, "2026-11-26 10:00")))
    document = json.loads(Path(store.month_file(walk.day)).read_text())
    (saved,) = document["bouts"].values()
    assert saved["id"] == walk.id and isinstance(saved["id"], str)
    assert (
        saved["start"] == "2026-11-26T10:00:00+01:00"
        and saved["day"] == "2026-11-26"
        and saved["v"] == SCHEMA_VERSION
    )
    assert document["_meta"]["1"]["schema"] == SCHEMA_VERSION


def test_replace_and_remove_find_records_by_id(store: Store) -> None:
    fired = store.add(prompt(at(BERLIN, "2026-11-26 10:00")))
    answered = fired._replace(
        outcome=Outcome.SKIPPED, reason="busy", answered_at=at(BERLIN, "2026-11-26 10:02")
    )
    assert store.replace(answered)
    assert store.day(fired.day).prompts == (answered,)
    assert store.remove(answered)
    assert not store.remove(answered)
    assert store.day(fired.day).prompts == ()


def test_a_unit_of_work_is_written_whole_or_not_at_all(store: Store) -> None:
    """A reader (which takes no lock: `status`, another process's dashboard) never sees half of a
    unit of work, such as a walk added and its prompt not yet answered; a unit that fails
    part-way leaves the file as it was."""
    day = date(2026, 11, 26)
    waiting = prompt(at(BERLIN, "2026-11-26 10:00"))
    store.add(waiting)
    reader = Store(store.directory, warn=print)
    walk = bout(at(BERLIN, "2026-11-26 10:01"))
    with store.batch(day) as batch:
        batch.add(walk)
        assert reader.day(day).bouts == ()  # not yet: the unit has not ended
        batch.replace(waiting._replace(outcome=Outcome.WALKED, answered_at=at(BERLIN, "2026-11-26 10:01")))
        assert reader.day(day).prompts == (waiting,)
    after = reader.day(day)
    assert after.bouts == (walk,) and after.prompts[0].outcome is Outcome.WALKED

    month = Path(store.month_file(day)).read_bytes()
    with pytest.raises(RuntimeError), store.batch(day) as batch:
        batch.add(bout(at(BERLIN, "2026-11-26 11:00")))
        raise RuntimeError("the rest of the unit failed")
    assert Path(store.month_file(day)).read_bytes() == month


def test_one_file_per_month_and_a_write_touches_only_its_month(store: Store) -> None:
    store.add(bout(at(BERLIN, "2026-10-31 23:50")))
    october = Path(store.month_file(date(2026, 10, 1)))
    before = october.stat().st_mtime_ns
    token = store.changed_token(date(2026, 11, 1))
    store.add(bout(at(BERLIN, "2026-11-01 00:10")))
    assert sorted(p.name for p in october.parent.glob("2*.json")) == ["2026-10.json", "2026-11.json"]
    assert october.stat().st_mtime_ns == before
    assert store.changed_token(date(2026, 11, 1)) != token
    days = store.days(date(2026, 10, 30), date(2026, 11, 2))
    assert [len(days[d].bouts) for d in sorted(days)] == [0, 1, 1, 0]
    assert store.first_month() == date(2026, 10, 1)


def test_data_dir_and_files_are_owner_only(store: Store) -> None:
    Path(store.directory).mkdir(mode=0o755)
    os.chmod(Path(store.directory), 0o755)  # as a user's umask might have left it
    store.add(bout(at(BERLIN, "2026-11-26 10:00")))
    assert mode(Path(store.directory)) == 0o700
    for path in Path(store.directory).rglob("*"):
        assert mode(path) == (0o700 if path.is_dir() else 0o600), path
    month = Path(store.month_file(date(2026, 11, 1)))
    os.chmod(month, 0o644)
    store.add(bout(at(BERLIN, "2026-11-26 11:00")))
    assert mode(month) == 0o600


def test_reading_creates_nothing(store: Store) -> None:
    assert store.day(date(2026, 11, 26)).bouts == ()
    assert not Path(store.directory).exists()


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b'{"bouts": {"1": {"id": ',
        b"\x00\x01garbage",
        b"[1, 2, 3]",
        b'{"bouts": {"1": 5}}',
        b'{"bouts": 7}',
    ],
    ids=[
        "empty",
        "truncated",
        "garbage",
        "a list",
        "a record that is not an object",
        "a table that is not an object",
    ],
)
def test_a_damaged_file_is_moved_aside_and_work_goes_on(
    store: Store, warnings: list[str], damage: bytes
) -> None:
    month = month_path(store.directory, "2026-11")
    month.write_bytes(damage)
    walk = store.add(bout(at(BERLIN, "2026-11-26 10:00")))
    (aside,) = month.parent.glob("2026-11.json.corrupt-*")
    assert aside.read_bytes() == damage, "the damaged file must be kept byte for byte"
    assert len(warnings) == 1 and str(month) in warnings[0] and str(aside) in warnings[0]
    assert "nothing was deleted" in warnings[0]
    assert store.day(walk.day).bouts == (walk,)


def test_reading_a_damaged_file_also_moves_it_aside(store: Store, warnings: list[str]) -> None:
    month = month_path(store.directory, "2026-11")
    month.write_text("not json")
    assert store.day(date(2026, 11, 26)).bouts == ()
    assert len(list(month.parent.glob("*.corrupt-*"))) == 1 and len(warnings) == 1
    month.write_text("broken again")
    store.day(date(2026, 11, 26))
    assert len(list(month.parent.glob("*.corrupt-*"))) == 2, (
        "a second damaged file must not overwrite the first"
    )


def test_a_file_from_a_newer_walkbreak_is_refused_and_left_alone(store: Store) -> None:
    month = month_path(store.directory, "2026-11")
    content = json.dumps({"_meta": {"1": {"schema": 99}}, "bouts": {}})
    month.write_text(content)
    with pytest.raises(StoreError, match="newer walkbreak"):
        store.add(bout(at(BERLIN, "2026-11-26 10:00")))
    with pytest.raises(StoreError, match="schema 99"):
        store.day(date(2026, 11, 26))
    assert month.read_text() == content and list(Path(store.directory).rglob("*.corrupt-*")) == []


def test_an_unreadable_record_is_reported_and_kept(store: Store, warnings: list[str]) -> None:
    good = store.add(bout(at(BERLIN, "2026-11-26 10:00")))
    month = Path(store.month_file(good.day))
    document = json.loads(month.read_text())
    document["bouts"]["99"] = {"id": "odd", "day": "2026-11-26", "start": "yesterday-ish", "minutes": 5}
    month.write_text(json.dumps(document))
    assert store.day(good.day).bouts == (good,)
    assert len(warnings) == 1 and "could not be read" in warnings[0]
    assert "odd" in month.read_text()


def test_temp_files_left_by_a_dead_writer_are_cleared(store: Store) -> None:
    stale = month_path(store.directory, "2026-11").with_name(".2026-11.json.12345.abcdef.tmp")
    stale.write_text("half a write")
    store.add(bout(at(BERLIN, "2026-11-26 10:00")))
    assert not stale.exists()


def test_a_damaged_file_is_reported_by_the_cli_and_the_next_log_works(isolated_env: Path) -> None:
    isolated_env.mkdir(mode=0o700)
    # At noon: run in the minutes after midnight, the walk logged would belong to the day before.
    noon = {"WALKBREAK_NOW": "2026-11-26T12:00:00+01:00", "TZ": "Europe/Berlin"}
    month = isolated_env / "2026-11.json"  # where a walkbreak before devices kept it
    month.write_text('{"bouts": {"1": {"id": "x", "day"')
    result = run_walkbreak("log", "5", env=noon)
    assert result.returncode == 0, result.stderr
    assert "could not be read" in result.stderr and ".corrupt-" in result.stderr
    assert "logged a 5-min walk" in result.stdout
    status = run_walkbreak("status", "--json", env=noon)
    assert json.loads(status.stdout)["bouts"] == 1
    assert len(list(isolated_env.rglob("*.corrupt-*"))) == 1
