"""The one-line status and its JSON twin."""

from __future__ import annotations

import json

from tests.builders import BERLIN, at, bout, day_log, pause, prompt, settings
from walkbreak.core.planner import plan
from walkbreak.core.status import format_minutes, status_dict, status_line
from walkbreak.core.tally import day_tally


def line(prefs, now, log) -> str:
    return status_line(day_tally(prefs, log), plan(prefs, now, log), now)


def test_scheduled() -> None:
    now = at(BERLIN, "2026-11-26 10:13")
    log = day_log(now, bout(at(BERLIN, "2026-11-26 10:00")))
    assert line(settings(target=6), now, log) == "walks 1/6 · 5/30 min · next 11:05 (in 52 min)"


def test_due_paused_met_and_day_off() -> None:
    now = at(BERLIN, "2026-11-26 10:05")
    waiting = day_log(now, prompt(at(BERLIN, "2026-11-26 10:00")))
    assert line(settings(), now, waiting).endswith("· walk due now")
    paused = day_log(now, pause(now, at(BERLIN, "2026-11-26 14:00")))
    assert "paused until 14:00 · next 14:30 (in 4 h 25 min)" in line(settings(target=1), now, paused)
    done = day_log(now, bout(at(BERLIN, "2026-11-26 09:30")))
    assert line(settings(target=1, keep=False), now, done) == "walks 1/1 · 5/5 min · target met"
    kept = line(settings(target=1, keep=True), now, done)
    assert kept.startswith("walks 1/1 · 5/5 min · target met · next 10:35")
    saturday = at(BERLIN, "2026-11-28 10:00")
    assert line(settings(days=range(5)), saturday, day_log(saturday)) == "walks 0 · 0 min · no prompts today"


def test_json_carries_the_same_facts() -> None:
    now = at(BERLIN, "2026-11-26 10:13")
    prefs = settings(target=6)
    log = day_log(now, bout(at(BERLIN, "2026-11-26 10:00"), 4.5))
    facts = json.loads(json.dumps(status_dict(day_tally(prefs, log), plan(prefs, now, log), now)))
    assert facts["bouts"] == 1 and facts["target"] == 6 and facts["minutes"] == 4.5
    assert facts["state"] == "scheduled" and facts["next"] == "2026-11-26T11:04:30+01:00"
    assert facts["text"] == line(prefs, now, log)


def test_minutes_read_naturally() -> None:
    assert [format_minutes(m) for m in (0.4, 22, 60, 125)] == ["0 min", "22 min", "1 h", "2 h 05 min"]
