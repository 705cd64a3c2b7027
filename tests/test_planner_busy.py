"""The planner with busy time from calendars: properties over random days (hypothesis), and the
cases a user meets (a prompt due in a meeting, a morning of meetings, a gap too short)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import event, given, settings
from hypothesis import strategies as st

from tests.test_planner_properties import scenarios
from walkbreak.core import timeline
from walkbreak.core.busy import Busy, Event, busy_blocks, counts_as_busy, next_busy, no_start
from walkbreak.core.model import Bout, Control, ControlKind, DayLog
from walkbreak.core.planner import PlanState, pause_end, plan
from walkbreak.core.settings import (
    CalendarSettings,
    PromptSettings,
    Settings,
    TimeWindow,
    WalkSettings,
    WorkSettings,
)
from walkbreak.core.status import next_text

BERLIN = ZoneInfo("Europe/Berlin")
DAY = date(2026, 12, 2)  # a Wednesday


def at(clock: str, day: date = DAY) -> datetime:
    hours, minutes = clock.split(":")
    return datetime(day.year, day.month, day.day, int(hours), int(minutes), tzinfo=BERLIN)


def meeting(start: str, end: str, title: str = "meeting") -> Busy:
    return Busy(at(start), at(end), title, "work")


@st.composite
def busy_days(draw: st.DrawFn) -> tuple[Settings, datetime, DayLog, tuple[Busy, ...]]:
    """A random scenario (settings, now, records) with a calendar's busy blocks that day."""
    prefs, now, log = draw(scenarios())
    zone = now.tzinfo
    assert zone is not None
    start = timeline.start_of_day(now.date(), zone)
    blocks = []
    for _ in range(draw(st.integers(0, 6))):
        begin = start + timedelta(minutes=draw(st.integers(0, 1439)))
        blocks.append(Busy(begin.astimezone(zone), begin + timedelta(minutes=draw(st.integers(1, 240))), "m"))
    calendar = CalendarSettings(buffer_minutes=draw(st.integers(0, 30)))
    return prefs._replace(calendar=calendar), now, log, tuple(blocks)


@settings(max_examples=1500, deadline=None)
@given(busy_days())
def test_no_prompt_starts_in_a_busy_block_or_its_buffer(case) -> None:
    prefs, now, log, busy = case
    result = plan(prefs, now, log, busy=busy)
    if result.at is None or result.snoozed is not None:
        return
    event("a prompt planned")
    instant = result.at.astimezone(UTC)
    buffer = timedelta(minutes=prefs.calendar.buffer_minutes)
    walk = timedelta(minutes=prefs.walk.bout_minutes)
    for block in busy:  # in UTC: wall-clock arithmetic across a clock change is an hour off
        start = block.start.astimezone(UTC)
        assert not start - buffer - walk <= instant < block.end, f"{result.at} in or before {block}"


@settings(max_examples=1500, deadline=None)
@given(busy_days())
def test_a_snoozed_prompt_does_not_come_back_in_a_meeting(case) -> None:
    prefs, now, log, busy = case
    result = plan(prefs, now, log, busy=busy)
    if result.at is not None:
        instant = result.at.astimezone(UTC)
        assert not any(b.start.astimezone(UTC) <= instant < b.end.astimezone(UTC) for b in busy)


@settings(max_examples=1000, deadline=None)
@given(busy_days())
def test_a_prompt_due_in_a_meeting_comes_at_its_end_when_the_gap_allows(case) -> None:
    prefs, now, log, busy = case
    # With the target met the gap is the interval, whatever the free time: the prompt without a
    # calendar and the one with it are then comparable.
    prefs = prefs._replace(prompts=prefs.prompts._replace(keep_prompting_after_target=True))
    log = log._replace(bouts=log.bouts + tuple(log.bouts[:1]) * prefs.walk.daily_target)
    if len(log.bouts) < prefs.walk.daily_target:
        return
    free = plan(prefs, now, log)
    if free.at is None or free.snoozed is not None or pause_end(log, now) is not None:
        return  # (a pause holds the prompt too: the gap after the meeting may be in it)
    due = free.at.astimezone(UTC)  # instants: one zone's times compare as wall clocks, fold ignored
    inside = [b for b in busy if b.start.astimezone(UTC) <= due < b.end.astimezone(UTC)]
    if not inside:
        return
    block = max(inside, key=lambda b: b.end.astimezone(UTC))
    lead = timedelta(minutes=prefs.walk.bout_minutes + prefs.calendar.buffer_minutes)
    zone = now.tzinfo
    assert zone is not None
    holes = timeline.merge(
        [timeline.window_span(now.date(), w, zone) for w in prefs.prompts.quiet] + no_start(busy, lead)
    )
    end = block.end.astimezone(UTC)
    work = [timeline.window_span(now.date(), w, zone) for w in prefs.work.windows_on(now.date())]
    if any(s <= end < e for s, e in holes) or not any(s <= end < e for s, e in work):
        return  # another meeting, a quiet window or the end of work follows: no gap at its end
    event("the gap after the meeting allows a walk")
    result = plan(prefs, now, log, busy=busy)
    # At its end, or sooner: at the end of an earlier meeting that ran through a break, where the
    # walk due in it carried over (instants: one zone's repeated hour compares as wall clocks).
    assert result.at is not None and result.at.astimezone(UTC) <= end, f"due {free.at} in {block}: {result}"
    at = result.at.astimezone(UTC)
    if result.after is not None:  # "after your meeting": it comes as that meeting ends
        assert result.after.end.astimezone(UTC) == at
    else:  # sooner, after an earlier meeting, but held to the end of a quiet window that followed it
        assert at < end and any(e == at for _, e in holes), f"due {free.at} in {block}: {result}"
    if len(prefs.work.windows_on(now.date())) == 1:
        assert result.at.astimezone(UTC) == end


@settings(max_examples=500, deadline=None)
@given(busy_days())
def test_busy_time_outside_work_changes_nothing(case) -> None:
    prefs, now, log, busy = case
    zone = now.tzinfo
    assert zone is not None
    work = [timeline.window_span(now.date(), w, zone) for w in prefs.work.windows_on(now.date())]
    lead = timedelta(minutes=prefs.walk.bout_minutes + prefs.calendar.buffer_minutes)
    # Blocks that (with their lead) touch no work window: evenings, nights, weekends.
    spans = [(b, b.start.astimezone(UTC), b.end.astimezone(UTC)) for b in busy]
    outside = tuple(b for b, start, end in spans if not any(start - lead < e and s < end for s, e in work))
    assert plan(prefs, now, log, busy=outside) == plan(prefs, now, log)


# The cases a user meets, at the default settings: 09:00-12:30 and 13:30-17:30, a walk an hour.

WORK = Settings(
    work=WorkSettings(windows=(TimeWindow(9 * 60, 12 * 60 + 30), TimeWindow(13 * 60 + 30, 17 * 60 + 30))),
    prompts=PromptSettings(interval_minutes=60, min_gap_minutes=20),
)


def test_a_prompt_due_in_a_meeting_comes_at_its_end_and_says_so() -> None:
    log = DayLog.of(DAY, [Bout(id="b", day=DAY, start=at("09:50"), minutes=5)])
    assert plan(WORK, at("10:00"), log).at == at("10:55")
    result = plan(WORK, at("10:00"), log, busy=(meeting("10:30", "11:30", "Design review"),))
    assert result.at == at("11:30") and result.state is PlanState.SCHEDULED
    assert result.after == meeting("10:30", "11:30", "Design review")


def test_no_prompt_just_before_a_meeting() -> None:
    log = DayLog.of(DAY, [Bout(id="b", day=DAY, start=at("09:50"), minutes=5)])
    # Due 10:55; a meeting at 11:00 leaves 5 minutes, less than a walk and the 5-minute buffer.
    result = plan(WORK, at("10:00"), log, busy=(meeting("11:00", "11:45"),))
    assert result.at == at("11:45")
    # At 11:06 there is time for the walk and the buffer: the prompt comes as planned.
    assert plan(WORK, at("10:00"), log, busy=(meeting("11:06", "11:45"),)).at == at("10:55")


def test_a_gap_too_short_for_a_walk_is_passed_over() -> None:
    log = DayLog.of(DAY, [Bout(id="b", day=DAY, start=at("09:50"), minutes=5)])
    busy = (meeting("10:30", "11:00"), meeting("11:05", "12:00", "Planning"))
    result = plan(WORK, at("10:00"), log, busy=busy)
    assert result.at == at("12:00") and result.after is not None and result.after.title == "Planning"


def test_after_a_morning_of_meetings_the_walk_comes_when_they_end() -> None:
    busy = (meeting("09:00", "10:00"), meeting("10:00", "11:30"), meeting("11:30", "12:15"))
    result = plan(WORK, at("08:30"), DayLog(DAY), busy=busy)
    assert result.at == at("12:15")


def test_the_catch_up_counts_only_free_time() -> None:
    """Six walks to go at 13:30 and four free hours: a walk every 40 minutes or so. With three of
    those hours in meetings, the walks crowd into the hour left, at the minimum gap."""
    behind = Settings(work=WORK.work, prompts=WORK.prompts)
    after_lunch = plan(behind, at("13:30"), DayLog(DAY))
    busy = (meeting("14:30", "17:30"),)
    crowded = plan(behind, at("13:30"), DayLog(DAY), busy=busy)
    assert after_lunch.at is not None and crowded.at is not None
    assert crowded.at < after_lunch.at
    assert crowded.at == at("13:50")  # the minimum gap of 20 minutes


def test_declined_transparent_cancelled_short_all_day_and_own_blocks_are_not_busy() -> None:
    rules = CalendarSettings(me=("Me@Example.org",), ignore_titles=("*focus*", "walk"))
    base = Event(at("10:00"), at("11:00"), "Sprint planning")
    assert counts_as_busy(base, rules)
    assert not counts_as_busy(base._replace(transparent=True), rules)
    assert not counts_as_busy(base._replace(cancelled=True), rules)
    assert not counts_as_busy(base._replace(declined_by=frozenset({"me@example.org"})), rules)
    assert counts_as_busy(base._replace(declined_by=frozenset({"someone@example.org"})), rules)
    assert not counts_as_busy(base._replace(end=at("10:05")), rules)  # under min_event_minutes
    assert not counts_as_busy(base._replace(title="Focus time"), rules)
    assert not counts_as_busy(base._replace(title="Walk"), rules)
    assert counts_as_busy(base._replace(title="Walkthrough"), rules)
    day = base._replace(start=at("00:00"), end=at("00:00", date(2026, 12, 3)), all_day=True)
    assert not counts_as_busy(day, rules) and counts_as_busy(day, rules._replace(all_day_busy=True))
    blocks = busy_blocks(
        [base._replace(title="Later", start=at("15:00"), end=at("16:00")), base], rules, "work"
    )
    assert [b.title for b in blocks] == ["Sprint planning", "Later"] and blocks[0].source == "work"
    assert next_busy(blocks, at("10:30")) == blocks[0] and next_busy(blocks, at("12:00")) == blocks[1]
    assert next_busy(blocks, at("16:00")) is None


def test_a_meeting_through_lunch_is_no_break() -> None:
    """Lunch (12:30-13:30) restarts the count: the first walk after it comes an interval later.
    A meeting from 12:00 to 14:00 is no break: the walk due at 12:20 comes when it ends."""
    log = DayLog.of(DAY, [Bout(id="b", day=DAY, start=at("11:15"), minutes=5)])
    due = plan(WORK, at("11:30"), log).at
    assert due is not None and at("12:00") < due < at("12:30")
    for lunch_meeting in (
        meeting("12:00", "14:00", "Offsite lunch"),
        meeting("12:00", "13:30", "Offsite lunch"),
    ):
        result = plan(WORK, at("11:30"), log, busy=(lunch_meeting,))
        assert result.at == lunch_meeting.end and result.after == lunch_meeting
    # A meeting that ends when lunch begins leaves the break: the count restarts at 13:30.
    result = plan(WORK, at("11:30"), log, busy=(meeting("12:00", "12:30"),))
    assert result.at is not None and result.at >= at("13:50") and result.after is None


def test_a_meeting_between_work_windows_is_not_one_that_ran_through_the_break() -> None:
    """Found by the property above in CI: a walk due after a window had ended, in a meeting
    that ended as the next window began, was taken for one due in a meeting that ran through
    the break, and came as that window began instead of an interval into it."""
    prefs = Settings(
        work=WorkSettings(days=frozenset(range(7)), windows=(TimeWindow(0, 1), TimeWindow(405, 406))),
        walk=WalkSettings(bout_minutes=1, daily_target=1),
        prompts=PromptSettings(interval_minutes=165, min_gap_minutes=165, expire_minutes=1),
    )
    day = date(2026, 3, 8)
    snooze = Control(id="c0", day=day, at=at("00:00", day), kind=ControlKind.SNOOZE, until=at("00:01", day))
    log = DayLog.of(day, [snooze])
    between = (Busy(at("02:45", day), at("06:45", day), "m"),)  # touches neither window
    assert plan(prefs, at("00:00", day), log, busy=between) == plan(prefs, at("00:00", day), log)


def test_a_walk_due_in_meetings_that_last_past_work_comes_before_them() -> None:
    """The real work calendar's Monday (tests/real_exports.py): at 13:40, no walk yet, meetings
    from 14:00 to 17:45. The walk due in them would wait past the end of work: it comes now, in
    the ten minutes left before them (a walk and the buffer fit before 14:00)."""
    busy = (meeting("14:00", "15:30"), meeting("15:30", "17:00"), meeting("17:00", "17:45"))
    free = plan(WORK, at("13:40"), DayLog(DAY)).at  # without the calendar
    assert free is not None and at("14:00") <= free < at("17:30")
    ahead = plan(WORK, at("13:40"), DayLog(DAY), busy=busy)
    assert ahead.at == at("13:40") and ahead.before == busy[0] and ahead.after is None
    assert next_text(ahead, at("13:40")) == "next 13:40 (now), before your 14:00–15:30 meeting"
    assert plan(WORK, at("13:45"), DayLog(DAY), busy=busy).at == at("13:45")  # back by 13:55
    assert plan(WORK, at("13:51"), DayLog(DAY), busy=busy).at is None  # no time left before 14:00
    # A workshop all day: the walk comes at the start of work, before it.
    workshop = (meeting("09:30", "18:00", "Workshop"),)
    assert plan(WORK, at("08:30"), DayLog(DAY), busy=workshop).at == at("09:00")


def test_no_walk_pulled_forward_straight_after_one_or_through_lunch() -> None:
    # A walk ended 16:25: the next may not come before 16:45 (the minimum gap), inside the
    # lead of the 16:50 meeting that lasts past work; none today then.
    log = DayLog.of(DAY, [Bout(id="b", day=DAY, start=at("16:20"), minutes=5)])
    result = plan(WORK, at("16:30"), log, busy=(meeting("16:50", "18:00"),))
    assert result.at is None and result.state is PlanState.DAY_OVER
    # The morning's meeting runs into lunch, not past the day's work: the walk waits for its end.
    log = DayLog.of(DAY, [Bout(id="b", day=DAY, start=at("11:15"), minutes=5)])
    result = plan(WORK, at("11:30"), log, busy=(meeting("12:00", "14:00", "Offsite lunch"),))
    assert result.at == at("14:00") and result.before is None
