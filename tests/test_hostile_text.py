"""Text walkbreak did not write: escape sequences and markup in notes, flags and config keys are
shown as plain text, never obeyed by the terminal, never parsed as markup."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.text import Text
from textual.widgets import DataTable, Static

from tests.builders import BERLIN, at, bout, month_path
from tests.conftest import run_walkbreak
from tests.test_tui import records, run, until
from walkbreak.core.model import CheckIn
from walkbreak.core.plain_text import LONGEST_NOTE
from walkbreak.store import Store
from walkbreak.tui.app import WalkbreakApp
from walkbreak.tui.screens.entries import EntriesScreen
from walkbreak.tui.screens.red_flag import RedFlagScreen

HOSTILE = (
    "[/nope] \x1b]0;owned\x07 \x1b]52;c;aGk=\x07 [link=http://x]click[/link] \x1b]8;;http://x\x1b\\y\u202e"
)
SHOWN = "[/nope] ]0;owned ]52;c;aGk= [link=http://x]click[/link] ]8;;http://x\\y"


def test_a_note_with_markup_and_escapes_shows_as_plain_text_in_the_walk_list(isolated_env: Path) -> None:
    Store(isolated_env, warn=print).add(bout(at(BERLIN, "2026-11-26 08:00"))._replace(note=HOSTILE))

    async def scenario(app: WalkbreakApp, pilot) -> None:
        await pilot.press("e")
        await until(lambda: isinstance(app.screen, EntriesScreen))
        table = app.screen.query_one(DataTable)
        await until(lambda: table.row_count == 1)
        cell = table.get_row_at(0)[3]
        assert isinstance(cell, Text) and cell.plain == SHOWN, cell
        assert not cell.spans, "no link, no style: plain text"
        app.notify(f"Deleted the walk: {cell.plain}")  # toasts are plain text too
        await pilot.pause()

    run(isolated_env, "2026-11-26 09:00", scenario, speed=1)  # fails on any MarkupError the app catches


def test_a_stored_red_flag_in_markup_shows_as_written(isolated_env: Path) -> None:
    async def scenario(app: WalkbreakApp, pilot) -> None:
        await app.push_screen(RedFlagScreen(flags=("[b]new[/nope] numbness",)))
        text = app.screen.query_one("#red-text", Static)
        assert "[b]new[/nope] numbness is a red flag." in str(text.render())

    run(isolated_env, "2026-11-26 09:00", scenario, speed=1)


def test_a_note_from_the_shell_loses_its_escapes_and_has_a_limit(isolated_env: Path) -> None:
    now = {"WALKBREAK_NOW": "2026-11-26T10:00:00+01:00", "TZ": "Europe/Berlin"}
    logged = run_walkbreak("log", "--note", HOSTILE, env=now)
    assert logged.returncode == 0, logged.stderr
    raw = month_path(isolated_env).read_text()
    assert "\\u001b" not in raw and "\\u202e" not in raw, "stored without control characters"
    assert records(isolated_env).bouts[0].note == SHOWN
    long = run_walkbreak("log", "--at", "08:00", "--note", "x" * (LONGEST_NOTE + 1), env=now)
    assert (
        long.returncode == 2
        and f"keep it to {LONGEST_NOTE}" in long.stderr
        and "Traceback" not in long.stderr
    )
    assert len(records(isolated_env).bouts) == 1


def test_old_records_are_cleaned_when_read(isolated_env: Path) -> None:
    """Written by an older walkbreak, a sync tool or a hand edit: shown without escapes everywhere."""
    store = Store(isolated_env, warn=print)
    day = at(BERLIN, "2026-11-26 10:00")
    store.add(bout(day)._replace(note=HOSTILE))
    store.add(CheckIn("c1", day.date(), day, "same\x1b[2J", ("leg weakness\x1b]0;x\x07",)))
    assert "\\u001b" in month_path(isolated_env).read_text()
    read = Store(isolated_env, warn=print).day(day.date())
    assert read.bouts[0].note == SHOWN
    assert (read.checkins[0].feeling, read.checkins[0].flags) == ("same[2J", ("leg weakness]0;x",))
    for words in (("export", "--format", "csv"), ("export", "--format", "md"), ("history",)):
        result = run_walkbreak(*words, env={"WALKBREAK_NOW": "2026-11-27T10:00:00+01:00"})
        assert result.returncode == 0 and "\x1b" not in result.stdout + result.stderr, words


@pytest.mark.parametrize(
    "toml",
    [
        '[walk]\n"bout\\u001b]0;owned\\u0007" = 5\n',
        '[work]\ntimezone = "Europe/\\u001b]52;c;aGk=\\u0007"\n',
        '["\\u001b]0;owned\\u0007"]\nx = 1\n',
    ],
)
def test_config_errors_show_escapes_never_send_them(tmp_path: Path, toml: str) -> None:
    config = tmp_path / "bad.toml"
    config.write_text(toml)
    result = run_walkbreak("status", env={"WALKBREAK_CONFIG": str(config)})
    assert result.returncode == 2 and "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "\\x1b" in result.stderr or "\\u001b" in result.stderr, result.stderr  # shown, as in the file


def test_status_json_is_still_json_with_a_hostile_note(isolated_env: Path) -> None:
    Store(isolated_env, warn=print).add(bout(at(BERLIN, "2026-11-26 08:00"))._replace(note=HOSTILE))
    result = run_walkbreak("status", "--json", env={"WALKBREAK_NOW": "2026-11-26T10:00:00+01:00"})
    assert json.loads(result.stdout)["bouts"] == 1
