"""The calendar from the command line, as real processes: the config's [calendar] table and
what it refuses, `walkbreak calendar`, `status` (which reads only the kept busy list) and
`doctor`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import run_walkbreak
from tests.test_calendar_files import GOOGLE, OUTLOOK

NOW = "2026-12-02T13:40:00+01:00"


def configure(tmp_path: Path, sources: str, extra: str = "") -> dict[str, str]:
    config = tmp_path / "config.toml"
    config.write_text(
        f'[work]\ntimezone = "Europe/Berlin"\n[calendar]\nsources = {sources}\n'
        f'me = ["me@example.com"]\nignore_titles = ["focus*"]\n{extra}'
    )
    return {"WALKBREAK_CONFIG": str(config), "WALKBREAK_NOW": NOW}


def two_calendars(tmp_path: Path) -> dict[str, str]:
    shutil.copy(GOOGLE, tmp_path / "work.ics")
    return configure(
        tmp_path,
        f'[{{ name = "work", path = "{tmp_path / "work.ics"}" }}, {{ name = "client", path = "{OUTLOOK}" }}]',
    )


def test_walkbreak_calendar_lists_the_busy_day_and_each_calendar(tmp_path: Path, isolated_env: Path) -> None:
    env = two_calendars(tmp_path)
    done = run_walkbreak("calendar", "--days", "2", env=env)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[:7] == [
        "Busy today, Wed 02 Dec:",
        "  10:00–10:15  Daily stand-up (moved)       work",
        "  11:00–11:30  Customer sync                client",
        "  14:00–15:30  Design review                work",
        "  16:00–17:00  Call with the New York team  work",
        "Busy tomorrow, Thu 03 Dec: nothing",
        "Next: next 15:30 (in 1 h 50 min), after your 14:00–15:30 meeting",
    ]
    assert "read 2026-12-02 13:40 · 7 busy blocks in the days ahead" in done.stdout


def test_status_reads_the_kept_busy_list_and_says_what_the_walk_waits_for(
    tmp_path: Path, isolated_env: Path
) -> None:
    env = two_calendars(tmp_path)
    assert run_walkbreak("calendar", env=env).returncode == 0  # (the engine keeps the list; here the command)
    line = run_walkbreak("status", env=env)
    assert (
        line.stdout.strip()
        == "walks 0/6 · 0/30 min · next 15:30 (in 1 h 50 min), after your 14:00–15:30 meeting"
    )
    facts = json.loads(run_walkbreak("status", "--json", env=env).stdout)
    assert facts["next_busy"] == {
        "start": "2026-12-02T14:00:00+01:00",
        "end": "2026-12-02T15:30:00+01:00",
        "title": "Design review",
        "source": "work",
    }
    assert facts["waits_for"]["title"] == "Design review" and facts["next"] == "2026-12-02T15:30:00+01:00"
    # status never parses a calendar: a file changed since is not seen until the list is refreshed.
    (tmp_path / "work.ics").write_text("")
    assert (
        json.loads(run_walkbreak("status", "--json", env=env).stdout)["next_busy"]["title"] == "Design review"
    )


def test_without_calendars_nothing_changes(isolated_env: Path) -> None:
    facts = json.loads(run_walkbreak("status", "--json", env={"WALKBREAK_NOW": NOW}).stdout)
    assert facts["next_busy"] is None and facts["waits_for"] is None
    done = run_walkbreak("calendar", env={"WALKBREAK_NOW": NOW})
    assert done.returncode == 0 and done.stdout.startswith("No calendars configured")
    assert not (isolated_env / "calendar.json").exists() and not (isolated_env / "calendar").exists()


def test_a_calendar_that_cannot_be_read_fails_the_command_and_doctor_says_why(
    tmp_path: Path, isolated_env: Path
) -> None:
    env = configure(tmp_path, f'[{{ name = "gone", path = "{tmp_path / "missing.ics"}" }}]')
    done = run_walkbreak("calendar", env=env)
    assert done.returncode == 1
    assert f"FAILED: {tmp_path / 'missing.ics'}: no such file or folder (never read)" in done.stdout
    doctor = run_walkbreak("doctor", env=env)
    assert doctor.returncode == 1
    assert "XX  calendar gone" in doctor.stdout and "fix: check the path" in doctor.stdout


@pytest.mark.parametrize(
    ("sources", "expected"),
    [
        ('[{ name = "work", url = "http://calendar.example.com/work.ics" }]', "an https:// address"),
        (
            '[{ name = "work", caldav = "https://dav.example.com/", username = "me", password = "hunter2" }]',
            "no password in the config file; password_command",
        ),
        ('[{ name = "a", path = "/x.ics" }, { name = "a", path = "/y.ics" }]', '"a" is used twice'),
        ('[{ name = "work" }]', "one of path (a file or folder), url (an iCalendar address) or caldav"),
        ('[{ name = "work", path = "/x", url = "https://x/" }]', "one of path"),
        ('[{ name = "work", url = "https://x/", calendars = ["a"] }]', "calendars picks folders of a path"),
        ('[{ name = "work", path = "/x", pasword_command = "pass" }]', "(did you mean password_command?)"),
        ('"~/cal.ics"', "a list of tables like"),
    ],
)
def test_a_bad_calendar_config_names_the_key_and_what_is_allowed(
    tmp_path: Path, isolated_env: Path, sources, expected
) -> None:
    env = configure(tmp_path, sources)
    done = run_walkbreak("config", "check", env=env)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "calendar.sources" in done.stderr and expected in done.stderr, done.stderr
