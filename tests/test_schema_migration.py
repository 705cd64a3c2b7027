"""Month files from an older walkbreak are read as they are and upgraded in place on the next write."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

from tests.builders import BERLIN, at, bout, month_path
from tests.conftest import run_walkbreak
from walkbreak.store import Store
from walkbreak.store.records import SCHEMA_VERSION

FIXTURE = Path(__file__).parent / "fixtures" / "schema1-2026-11.json"
"""Written by walkbreak at schema 1 (commit e4c3202): `walkbreak log 5 --at 09:30 --note "first walk"`, `log 6 --at 10:30`."""
DAY = date(2026, 11, 26)
ENV = {"WALKBREAK_NOW": "2026-11-26T10:40:00+01:00", "TZ": "Europe/Berlin"}


def old_file(data: Path) -> Path:
    data.mkdir(mode=0o700)
    month = data / "2026-11.json"
    shutil.copy(FIXTURE, month)
    month.chmod(0o600)
    return month


def test_an_old_file_is_read_without_being_rewritten(isolated_env: Path) -> None:
    month = old_file(isolated_env)
    before = month.read_bytes()
    walks = Store(isolated_env, warn=print).day(DAY).bouts
    assert [(b.minutes, b.note) for b in walks] == [(5.0, "first walk"), (6.0, "")]
    status = run_walkbreak("status", env=ENV)
    assert status.stdout.startswith("walks 2/6 · 11/30 min")
    assert month.read_bytes() == before  # reading changes nothing


def test_the_next_write_upgrades_it_in_place_keeping_every_record(isolated_env: Path) -> None:
    month = old_file(isolated_env)
    old = json.loads(month.read_text())
    Store(isolated_env, warn=print).add(bout(at(BERLIN, "2026-11-26 11:30")))
    assert not month.exists(), "moved into this device's folder"
    new = json.loads(month_path(isolated_env).read_text())
    assert new["_meta"]["1"]["schema"] == SCHEMA_VERSION and new["_meta"]["1"]["upgraded_from"] == 1
    assert new["_meta"]["1"]["created"] == old["_meta"]["1"]["created"]
    for key, record in old["bouts"].items():
        assert new["bouts"][key] == record  # the old records, untouched
    assert len(new["bouts"]) == 3
    folder = month_path(isolated_env).parent.relative_to(isolated_env)
    left = sorted(str(p.relative_to(isolated_env)) for p in isolated_env.rglob("*") if p.is_file())
    assert left == [".lock", ".stignore", f"{folder}/2026-11.json", f"{folder}/device.json"], (
        "no temp file left"
    )
    assert len(Store(isolated_env, warn=print).day(DAY).bouts) == 3


def test_an_upgrade_is_atomic_even_when_the_write_is_refused(isolated_env: Path) -> None:
    """A unit of work on an old file that decides nothing still leaves a whole, upgraded file."""
    month = old_file(isolated_env)
    refused = run_walkbreak("snooze", env=ENV)  # nothing to snooze: refused, exit 1
    assert refused.returncode == 1 and not month.exists()
    upgraded = json.loads(month_path(isolated_env).read_text())
    assert upgraded["_meta"]["1"]["schema"] == SCHEMA_VERSION and len(upgraded["bouts"]) == 2


SCHEMA2 = Path(__file__).parent / "fixtures" / "schema2-2026-11.json"
"""Written by walkbreak at schema 2 (commit 34c68d9): `log 5 --at 09:30 --note "first walk"`,
`checkin spiked`, `suggestion accept` (a scale-back to 3-minute comfortable-only walks)."""


def test_a_schema2_scale_back_is_read_as_gentle_and_upgraded_keeping_every_record(isolated_env: Path) -> None:
    isolated_env.mkdir(mode=0o700)
    month = isolated_env / "2026-11.json"
    shutil.copy(SCHEMA2, month)
    month.chmod(0o600)
    old = json.loads(month.read_text())
    store = Store(isolated_env, warn=print)
    plan = store.plan(DAY)
    assert (plan.base_minutes, plan.bout_minutes, plan.pace) == (5, 3, "gentle")
    assert [a.pace for a in store.day(DAY).advice] == ["gentle"]
    assert month.read_bytes() == SCHEMA2.read_bytes()  # reading changes nothing
    store.add(bout(at(BERLIN, "2026-11-26 11:30")))
    new = json.loads(month_path(isolated_env).read_text())
    assert new["_meta"]["1"]["schema"] == SCHEMA_VERSION and new["_meta"]["1"]["upgraded_from"] == 2
    assert new["_meta"]["1"]["plan"]["pace"] == "gentle" and new["advice"]["1"]["pace"] == "gentle"
    for table in ("bouts", "checkins", "controls"):
        for key, record in old[table].items():
            assert new[table][key] == record
    assert len(new["bouts"]) == 2


def test_a_schema2_short_routine_becomes_the_comfortable_walk_and_a_long_one_stays(
    isolated_env: Path,
) -> None:
    isolated_env.mkdir(mode=0o700)
    for month_name, minutes, expected in (("2026-10", 5, "comfortable"), ("2026-11", 12, "routine")):
        doc = {
            "_meta": {
                "1": {
                    "schema": 2,
                    "plan": {"base_minutes": 5, "bout_minutes": minutes, "pace": "routine", "variety": False},
                }
            }
        }
        (isolated_env / f"{month_name}.json").write_text(json.dumps(doc))
        first = date.fromisoformat(f"{month_name}-01")
        assert Store(isolated_env, warn=print).plan(first).pace == expected
