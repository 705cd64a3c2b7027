"""Properties of any planned prompt, over random settings, times and records (hypothesis)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import event, given, settings
from hypothesis import strategies as st

from walkbreak.core import timeline
from walkbreak.core.model import Bout, Control, ControlKind, DayLog, Outcome, Prompt
from walkbreak.core.planner import PlanState, pause_end, plan
from walkbreak.core.settings import PromptSettings, Settings, TimeWindow, WalkSettings, WorkSettings

ZONES = [
    ZoneInfo(z) for z in ("Europe/Berlin", "America/New_York", "UTC", "Australia/Lord_Howe", "Asia/Kolkata")
]
# Days with clock changes in those zones, and ordinary days.
SPECIAL_DAYS = [date(2026, 3, 29), date(2026, 10, 25), date(2026, 3, 8), date(2026, 11, 1), date(2026, 4, 5)]


@st.composite
def window_lists(draw: st.DrawFn, most: int) -> tuple[TimeWindow, ...]:
    """Up to `most` sorted, non-overlapping windows."""
    edges = sorted(draw(st.sets(st.integers(0, 1440), min_size=0, max_size=2 * most)))
    if len(edges) % 2:
        edges = edges[:-1]
    return tuple(TimeWindow(edges[i], edges[i + 1]) for i in range(0, len(edges), 2))


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[Settings, datetime, DayLog]:
    """Settings, a moment of a day, and that day's records up to the moment."""
    zone = draw(st.sampled_from(ZONES))
    day = draw(st.one_of(st.sampled_from(SPECIAL_DAYS), st.dates(date(2025, 1, 1), date(2027, 12, 31))))
    work = draw(window_lists(3).filter(bool))
    interval = draw(st.integers(10, 240))
    prefs = Settings(
        work=WorkSettings(days=frozenset(range(7)), windows=work),
        walk=WalkSettings(bout_minutes=draw(st.integers(1, 30)), daily_target=draw(st.integers(1, 12))),
        prompts=PromptSettings(
            interval_minutes=interval,
            min_gap_minutes=draw(st.integers(5, interval)),
            expire_minutes=draw(st.integers(1, 60)),
            quiet=draw(window_lists(2)),
            keep_prompting_after_target=draw(st.booleans()),
        ),
    )
    start = timeline.start_of_day(day, zone)
    length = timeline.start_of_day(day + timedelta(days=1), zone) - start
    seconds = draw(st.integers(0, int(length.total_seconds()) - 1))
    now = (start + timedelta(seconds=seconds)).astimezone(zone)

    def moment() -> datetime:
        """A moment of the day up to now."""
        return (start + timedelta(seconds=draw(st.integers(0, seconds)))).astimezone(zone)

    records: list = []
    for n in range(draw(st.integers(0, 8))):
        minutes = draw(st.integers(1, 30))
        begin = moment() - timedelta(minutes=minutes)
        records.append(Bout(id=f"b{n}", day=day, start=begin.astimezone(zone), minutes=minutes))
    for n in range(draw(st.integers(0, 3))):
        fired = moment()
        outcome = draw(st.sampled_from([None, *Outcome]))
        answered = fired + timedelta(minutes=draw(st.integers(0, 20))) if outcome else None
        if answered and answered > now:
            answered = now
        records.append(Prompt(id=f"p{n}", day=day, fired_at=fired, outcome=outcome, answered_at=answered))
    for n in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(list(ControlKind)))
        when = moment()
        until = (
            when + timedelta(minutes=draw(st.integers(1, 30) | st.integers(1, 600)))
            if kind is not ControlKind.RESUME
            else None
        )
        records.append(Control(id=f"c{n}", day=day, at=when, kind=kind, until=until))
    return prefs, now, DayLog.of(day, records)


def time_for_a_prompt(prefs: Settings, now: datetime, log: DayLog) -> bool:
    """Whether a prompt must be planned: the target is not met, nothing holds prompts back (no
    pause in force, no snooze, no prompt waiting for an answer) and a work window has time free
    of quiet windows one full interval after now (or after its start, if later).

    Every walk, answer and snooze in these scenarios lies before now, and the gap is never
    longer than the interval, so the planner's candidate in that window is at most that late.
    """
    if len(log.bouts) >= prefs.walk.daily_target or pause_end(log, now) is not None:
        return False
    if any(c.kind is ControlKind.SNOOZE for c in log.controls) or any(p.outcome is None for p in log.prompts):
        return False
    zone = now.tzinfo
    assert zone is not None
    interval = timedelta(minutes=prefs.prompts.interval_minutes)
    quiet = [timeline.window_span(now.date(), w, zone) for w in prefs.prompts.quiet]
    for start, end in (timeline.window_span(now.date(), w, zone) for w in prefs.work.windows_on(now.date())):
        late = max(now.astimezone(UTC), start) + interval
        for instant in (late, *(e for _, e in quiet if e >= late)):
            if instant < end and not any(s <= instant < e for s, e in quiet):
                return True
    return False


@settings(max_examples=1500, deadline=None)
@given(scenarios())
def test_a_planned_prompt_is_never_in_the_past_or_outside_work_or_too_soon(case) -> None:
    prefs, now, log = case
    result = plan(prefs, now, log)
    if time_for_a_prompt(prefs, now, log):
        event("time for a prompt")
        assert result.state is PlanState.SCHEDULED and result.at is not None, f"nothing planned: {result}"
    if result.at is None:
        return
    zone = now.tzinfo
    instant = result.at.astimezone(UTC)
    assert instant >= now.astimezone(UTC), "in the past"
    assert result.at.astimezone(zone).date() == now.date(), "not today"
    spans = [timeline.window_span(now.date(), w, zone) for w in prefs.work.windows_on(now.date())]
    assert any(s <= instant < e for s, e in spans), "outside every work window"
    quiet = [timeline.window_span(now.date(), w, zone) for w in prefs.prompts.quiet]
    assert not any(s <= instant < e for s, e in quiet), "inside a quiet window"
    paused_until = pause_end(log, now)
    if paused_until:
        assert instant >= paused_until.astimezone(UTC), "inside a pause"
    if log.bouts:
        last_end = max(b.end.astimezone(UTC) for b in log.bouts)
        assert instant - last_end >= timedelta(minutes=prefs.prompts.min_gap_minutes), "too soon after a walk"


@settings(max_examples=500, deadline=None)
@given(scenarios())
def test_no_prompt_once_the_target_is_met_unless_asked(case) -> None:
    prefs, now, log = case
    result = plan(prefs, now, log)
    if len(log.bouts) >= prefs.walk.daily_target and not prefs.prompts.keep_prompting_after_target:
        assert result.at is None
