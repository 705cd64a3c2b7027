"""The pure parts of the dashboard's pictures: the day's bands, a walk's line, the week's
columns, the tally's bar, the countdown, and the store's first day."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from tests.builders import BERLIN, at, bout, control, day_log, pause, settings
from walkbreak.core.day_bands import BandKind, day_bands, pauses, walk_line
from walkbreak.core.model import Away, CheckIn, ControlKind
from walkbreak.core.planner import Plan, PlanState
from walkbreak.core.tally import DayTally
from walkbreak.store import Store
from walkbreak.tui.widgets.next_prompt import count_down
from walkbreak.tui.widgets.tally_panel import render_tally
from walkbreak.tui.widgets.week_strip import render_week

NOW = at(BERLIN, "2026-11-26 11:20")


def test_bands_are_the_work_windows_then_quiet_time_away_and_pauses() -> None:
    prefs = settings(target=6, quiet=("12:30-13:00",))
    away = Away("a", NOW.date(), at(BERLIN, "2026-11-26 10:00"), at(BERLIN, "2026-11-26 10:40"))
    walked = away._replace(id="b", start=at(BERLIN, "2026-11-26 15:00"), answer="walking")
    held = pause(at(BERLIN, "2026-11-26 14:00"), at(BERLIN, "2026-11-26 16:00"))
    resumed = control(ControlKind.RESUME, at(BERLIN, "2026-11-26 14:30"))
    log = day_log(NOW, away, walked, held, resumed)
    bands = day_bands(prefs, log, BERLIN)
    kinds = [b.kind for b in bands]
    assert kinds[0] is BandKind.WORK and kinds.count(BandKind.WORK) == len(prefs.work.windows_on(log.day))
    quiet = next(b for b in bands if b.kind is BandKind.QUIET)
    assert (quiet.start, quiet.end) == (at(BERLIN, "2026-11-26 12:30"), at(BERLIN, "2026-11-26 13:00"))
    assert [(b.start, b.end) for b in bands if b.kind is BandKind.AWAY] == [
        (away.start, away.end)
    ]  # walking is no gap
    paused = [(b.start, b.end) for b in bands if b.kind is BandKind.PAUSED]
    assert paused == [(held.at, resumed.at)]  # ended by the resume, not at its planned end
    assert kinds.index(BandKind.PAUSED) > kinds.index(BandKind.AWAY) > kinds.index(BandKind.QUIET)


def test_a_new_pause_cuts_the_one_before_and_a_day_off_has_no_bands() -> None:
    first = pause(at(BERLIN, "2026-11-26 10:00"), at(BERLIN, "2026-11-26 12:00"))
    second = pause(at(BERLIN, "2026-11-26 11:00"), at(BERLIN, "2026-11-26 11:30"))
    assert pauses(day_log(NOW, first, second)) == [(first.at, second.at), (second.at, second.until)]
    saturday = at(BERLIN, "2026-11-28 11:00")
    prefs = settings(target=6, days=range(5), quiet=("12:30-13:00",))
    assert day_bands(prefs, day_log(saturday), BERLIN) == []


def test_a_walk_line_says_when_how_long_how_it_felt_and_whether_logged_by_hand() -> None:
    walk = bout(at(BERLIN, "2026-11-26 09:12"), 6)
    felt = CheckIn("c", NOW.date(), at(BERLIN, "2026-11-26 09:20"), "better", bout_id=walk.id)
    assert walk_line(day_log(NOW, walk, felt), walk) == "09:12 · 6 min · check-in: better · logged"
    answered = walk._replace(prompt_id="p1", note="to the river")
    assert walk_line(day_log(NOW, answered), answered) == "09:12 · 6 min · no check-in · to the river"


def tally(bouts: int, target: int = 6) -> DayTally:
    return DayTally(NOW.date(), bouts, bouts * 5.0, target, target * 5, bouts, 9 if target else 0)


def test_the_tally_bar_fills_a_segment_per_walk_across_the_width() -> None:
    drawn = render_tally(tally(2), 60, bar_rows=2).plain.splitlines()
    assert drawn[0] == "2 of 6 walks"
    assert drawn[1] == drawn[2] and len(drawn[1]) == 60
    assert (
        drawn[1].count(" ") == 5
        and drawn[1].split(" ")[1].startswith("█")
        and drawn[1].split(" ")[2].startswith("░")
    )
    assert drawn[3] == "10 of 30 min · walks in 2 of 9 work hours"
    over = render_tally(tally(8), 40, bar_rows=1).plain.splitlines()
    assert over[0] == "8 of 6 walks (+2)  target met ✓" and "░" not in over[1] and len(over) == 3
    assert render_tally(tally(1, target=0), 40).plain.startswith("1 walk · day off")


def test_the_countdown_is_minutes_then_hours_and_none_while_nothing_is_coming() -> None:
    def plan(minutes: float, state: PlanState = PlanState.SCHEDULED) -> Plan:
        return Plan(state, NOW + timedelta(minutes=minutes))

    assert count_down(plan(22.2), NOW) == ("22", "min")
    assert count_down(plan(65), NOW) == ("1:05", "h")
    assert count_down(plan(0.5), NOW) == ("30", "s")
    assert count_down(plan(10, PlanState.DUE), NOW) is None
    assert (
        count_down(
            Plan(PlanState.PAUSED, NOW + timedelta(hours=1), paused_until=NOW + timedelta(hours=1)), NOW
        )
        is None
    )
    assert count_down(Plan(PlanState.DAY_OVER), NOW) is None


def test_the_week_leaves_days_before_the_first_record_blank_and_rises_to_the_target() -> None:
    today = NOW.date()
    tallies = {today - timedelta(days=1): tally(6), today: tally(3)}
    lines = render_week(tallies, today, 10).plain.splitlines()
    assert len(lines) == 6
    columns = [[line[n * 10 : n * 10 + 6] for line in lines[:4]] for n in range(7)]
    assert all(cell.strip() == "" for day in columns[:5] for cell in day)  # before the first record
    assert all(cell == "██████" for cell in columns[5])  # target met: full to the top
    assert columns[6][0] == "┈┈┈┈┈┈" and columns[6][2:] == [
        "██████",
        "██████",
    ]  # half-way, the target line above
    assert [lines[4][n * 10 : n * 10 + 6] for n in range(7)] == [
        f"{today - timedelta(days=n):%a %d}" for n in range(6, -1, -1)
    ]
    assert lines[5].split() == ["6/6", "✓", "3/6"]


def test_the_store_knows_the_first_day_with_a_record(tmp_path: Path) -> None:
    store = Store(tmp_path / "data", warn=print)
    assert store.first_day() is None
    store.add(bout(at(BERLIN, "2026-11-20 09:00")))
    store.add(bout(at(BERLIN, "2026-10-30 09:00")))
    assert store.first_day() == at(BERLIN, "2026-10-30 09:00").date()


def test_the_year_shades_work_days_by_walks_and_leaves_days_off_and_days_before_the_first_blank() -> None:
    from walkbreak.tui.widgets.history_pictures import heat, render_year

    today = NOW.date()  # a Thursday
    off = DayTally(today - timedelta(days=5), 2, 10.0, 0, 0, 2, 0)  # a Saturday with walks: no target
    tallies = {
        today: tally(6),
        today - timedelta(days=1): tally(0),
        today - timedelta(days=2): tally(3),
        off.day: off,
    }
    lines = render_year(tallies, today, 60).plain.splitlines()
    assert len(lines) == 9 and lines[-1].startswith("    less ·░▒▓█ target met")
    last = [line[-1] for line in lines[1:8]]  # this week's column, Monday to Sunday
    assert (
        last[3] == "█" and last[2] == "·" and last[1] == "▒" and last[4:] == [" ", " ", " "]
    )  # days to come: blank
    before = [line[-2] for line in lines[1:8]]  # last week: only Saturday has a record, a day off
    assert before == [" "] * 7
    assert [heat(tally(n))[0] for n in range(7)] == ["·", "░", "▒", "▒", "▓", "▓", "█"] and heat(None) == (
        " ",
        "",
    )


def test_the_last_weeks_draw_a_column_a_day_up_to_the_target_line() -> None:
    from walkbreak.tui.widgets.history_pictures import ROWS, render_weeks

    today = NOW.date()
    lines = render_weeks({today: tally(6), today - timedelta(days=1): tally(3)}, today, 40).plain.splitlines()
    assert len(lines) == ROWS + 2
    columns = ["".join(line[n] for line in lines[:ROWS]) for n in range(len(lines[0]))]
    assert columns[-2] == "█" * ROWS  # today: met
    assert columns[-4][0] == "┈" and columns[-4][-2:] == "██"  # yesterday: half-way, the target line above
    assert all(c.strip() == "" for c in columns[:-4])  # before the first record
    assert lines[ROWS].rstrip().endswith("W T")  # Wednesday, Thursday
