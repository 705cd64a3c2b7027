"""A one-page Markdown summary per week, for a physical therapist.

Pure: works on `dict[date, DayLog]` and `Settings` and returns text; `walkbreak.commands.export`
reads the store and writes the file.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta

from walkbreak.core.feelings import Feeling, flag_words
from walkbreak.core.model import Advice, CheckIn, DayLog, Outcome, Prompt
from walkbreak.core.settings import Settings, plan_in_force
from walkbreak.core.status import format_tenths
from walkbreak.core.tally import DayTally, day_tally, summarize, week_of
from walkbreak.core.walk_plans import describe

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
"""English names, not strftime's: the report must not change with the reader's locale."""

FOOTER = "walkbreak is a reminder tool, not medical advice."
WEEK_HEADING = "## Week of "

_SORE = frozenset({Feeling.SORE, Feeling.SPIKED})
"""Check-ins counted in the trend: soreness is what a therapist scales the walking by."""

_SKIP_LABELS = {"back-pain": "back pain", "already-walked": "already walked", "": "no reason given"}
_DIRECTIONS = {"scale-back": "scale back", "scale-up": "scale up"}
_ANSWERS = {"accepted": "Accepted", "declined": "Declined", "": "Not answered"}


def day_label(day: date, *, year: bool = False) -> str:
    """ "Mon 23 Nov", or "Mon 23 Nov 2026"."""
    text = f"{_WEEKDAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]}"
    return f"{text} {day.year}" if year else text


def week_report(settings: Settings, logs: Mapping[date, DayLog], first: date, last: date) -> str:
    """The Markdown report: a title, then one section per Monday-to-Sunday week from `first` to `last`.

    Days outside `first`..`last` are left out of their week (so the current week stops at today).
    Targets and work hours are today's settings applied to every day: the store keeps no history
    of the config, and the title says so.
    """
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    shown = {d: logs.get(d, DayLog(d)) for d in days}
    recorded = [d for d in days if _has_records(shown[d])]
    if recorded and week_of(recorded[0])[0] > first:
        # Weeks before anything was recorded are not weeks of missed walks: the report starts
        # with the first week that has a record.
        first = week_of(recorded[0])[0]
        days = [d for d in days if d >= first]
    parts = [_title(settings, first, last)]
    if not any(_has_records(log) for log in shown.values()):
        parts.append(f"Nothing was recorded from {day_label(first)} to {day_label(last, year=True)}.")
    else:
        weeks = []
        monday = week_of(first)[0]
        while monday <= last:
            weeks.append(_week(settings, monday, [shown[d] for d in days if week_of(d)[0] == monday]))
            monday += timedelta(days=7)
        parts.append("\n\n---\n\n".join(weeks))  # a rule between weeks: one week, one page
    parts.append(f"---\n\n*{FOOTER}*")
    return "\n\n".join(parts) + "\n"


def _has_records(log: DayLog) -> bool:
    return bool(log.bouts or log.prompts or log.checkins or log.advice)


def _title(settings: Settings, first: date, last: date) -> str:
    start = day_label(first, year=first.year != last.year)
    walk = describe(plan_in_force(settings))
    return (
        f"# Walking report: {start} – {day_label(last, year=True)}\n\n"
        f"Target: {settings.walk.daily_target} walks on each work day ({_work_days(settings)}). "
        f"Current walk plan: {walk}.\n"
        "Targets and work hours are today's settings, applied to every day shown.\n"
        '"Spread" is how many of the day\'s work hours had a walk start in them; '
        '"slightly sore → settled" adds the answer to the follow-up question a few hours later.'
    )


def _work_days(settings: Settings) -> str:
    """ "Mon–Fri", or "Mon, Wed, Thu" when the work days are not one run."""
    days = sorted(settings.work.days)
    if not days:
        return "none"
    if len(days) > 2 and days == list(range(days[0], days[-1] + 1)):
        return f"{_WEEKDAYS[days[0]]}–{_WEEKDAYS[days[-1]]}"
    return ", ".join(_WEEKDAYS[d] for d in days)


def _week(settings: Settings, monday: date, logs: Sequence[DayLog]) -> str:
    """One week: its table of days, then totals, prompts, check-ins, trend, red flags and suggestions."""
    tallies = [day_tally(settings, log) for log in logs]
    heading = f"{WEEK_HEADING}{day_label(monday, year=True)}"
    if len(logs) < 7:
        heading += f" ({day_label(logs[0].day)} to {day_label(logs[-1].day)} only)"
    rows = [_day_cells(tally, log) for tally, log in zip(tallies, logs, strict=True)]
    checkins = [c for log in logs for c in log.checkins]
    lines = [
        _walks_line(tallies),
        _prompts_line([p for log in logs for p in log.prompts]),
        _checkins_line(checkins),
        _trend_line(checkins),
        *_red_flag_lines(checkins),
        *_suggestion_lines([a for log in logs for a in log.advice]),
    ]
    return "\n\n".join([heading, _table(_HEADER, rows), "\n".join(lines)])


_HEADER = ("Day", "Walks / target", "Minutes", "Spread", "Check-ins after walks")


def _day_cells(tally: DayTally, log: DayLog) -> list[str]:
    if tally.work_day:
        walks = f"{tally.bouts} / {tally.target}"
        spread = f"{tally.spread} of {tally.work_hours} h"
    else:
        walks = f"{tally.bouts} (day off)" if tally.bouts else "day off"
        spread = "–"
    return [day_label(tally.day), walks, format_tenths(tally.minutes), spread, _checkins_cell(log.checkins)]


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A Markdown table padded into columns, so it reads as a table in a plain text editor too."""
    cells = [[_escape(c) for c in row] for row in [header, *rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |" for row in cells]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(line.rstrip() for line in lines)


def _checkins_cell(checkins: Sequence[CheckIn]) -> str:
    """The day's check-ins in time order, "slightly sore → settled" for a follow-up; repeats as "same ×2"."""
    runs: list[tuple[str, int]] = []
    for checkin in checkins:
        label = checkin.feeling
        if checkin.followup:
            label += f" → {checkin.followup}"
        if checkin.flags:
            label += " (red flag)"
        if runs and runs[-1][0] == label:
            runs[-1] = (label, runs[-1][1] + 1)
        else:
            runs.append((label, 1))
    return ", ".join(f"{label} ×{count}" if count > 1 else label for label, count in runs) or "–"


def _escape(text: str) -> str:
    """A table cell: a "|" would end the cell, a newline the row."""
    return text.replace("|", "\\|").replace("\n", " ")


def _walks_line(tallies: Sequence[DayTally]) -> str:
    total = summarize(tallies[0].day, tallies[-1].day, tallies)
    if not total.work_days:  # a week cut down to its weekend
        return f"- **Walks:** {total.bouts} ({format_tenths(total.minutes)} minutes); no work days."
    target_minutes = sum(t.target_minutes for t in tallies)
    return (
        f"- **Walks:** {total.bouts} against a target of {total.target_bouts} "
        f"({format_tenths(total.minutes)} of {target_minutes} minutes); "
        f"target met on {total.days_met} of {total.work_days} work days."
    )


def _prompts_line(prompts: Sequence[Prompt]) -> str:
    if not prompts:
        return "- **Prompts:** none."
    outcomes = Counter(p.outcome for p in prompts)
    skipped = Counter(_SKIP_LABELS.get(p.reason, p.reason) for p in prompts if p.outcome is Outcome.SKIPPED)
    parts = [f"{outcomes[Outcome.WALKED]} walked"]
    skips = f"{outcomes[Outcome.SKIPPED]} skipped"
    if skipped:
        skips += " (" + ", ".join(f"{n} {reason}" for reason, n in sorted(skipped.items())) + ")"
    parts += [skips, f"{outcomes[Outcome.EXPIRED]} unanswered"]
    if outcomes[None]:
        parts.append(f"{outcomes[None]} still waiting")
    return f"- **Prompts:** {len(prompts)} sent; " + ", ".join(parts) + "."


def _checkins_line(checkins: Sequence[CheckIn]) -> str:
    if not checkins:
        return "- **Check-ins:** none."
    return f"- **Check-ins:** {len(checkins)}; {_feeling_counts(checkins)}."


def _feeling_counts(checkins: Sequence[CheckIn]) -> str:
    """ "3 better, 2 same, 2 slightly sore (1 settled, 1 still sore)", in the order of `Feeling`."""
    counts = Counter(c.feeling for c in checkins)
    order = [*Feeling, *sorted(set(counts) - set(Feeling))]
    parts = []
    for feeling in order:
        if not counts[feeling]:
            continue
        part = f"{counts[feeling]} {feeling}"
        followups = Counter(c.followup for c in checkins if c.feeling == feeling and c.followup)
        if followups:
            part += " (" + ", ".join(f"{n} {answer}" for answer, n in sorted(followups.items())) + ")"
        parts.append(part)
    return ", ".join(parts)


def _trend_line(checkins: Sequence[CheckIn]) -> str:
    """How often the back was sore or worse early in the week (Mon–Wed) against later (Thu–Sun).

    A share, not an average of feelings: counts a therapist can check against the table.
    """
    early = [c for c in checkins if c.day.weekday() < 3]
    late = [c for c in checkins if c.day.weekday() >= 3]
    sore_early = sum(c.feeling in _SORE for c in early)
    sore_late = sum(c.feeling in _SORE for c in late)
    if not early or not late:
        return "- **Trend:** too few check-ins to compare early and late in the week."
    if not sore_early and not sore_late:
        return "- **Trend:** no check-in this week was slightly sore or worse."
    # sore_late / len(late) against sore_early / len(early), compared without division
    later, earlier = sore_late * len(early), sore_early * len(late)
    verdict = (
        "less often sore later in the week"
        if later < earlier
        else "more often sore later in the week"
        if later > earlier
        else "as often sore early as late"
    )
    return (
        f"- **Trend:** slightly sore or worse in {sore_early} of {len(early)} check-ins Mon–Wed "
        f"and {sore_late} of {len(late)} Thu–Sun: {verdict}."
    )


def _red_flag_lines(checkins: Sequence[CheckIn]) -> list[str]:
    flagged = [c for c in checkins if c.flags]
    if not flagged:
        return ["- **Red flags:** none."]
    return [
        "- **Red flags** (walkbreak then tells the user to see a doctor promptly and holds walk prompts "
        "until they resume them):"
    ] + [f"  - {_when(c.at)}, after a walk: {_flags(c)} (check-in: {c.feeling})." for c in flagged]


def _flags(checkin: CheckIn) -> str:
    """The check-in's red flags in today's words (older records say "after a fall")."""
    return ", ".join(flag_words(f) for f in checkin.flags)


def _suggestion_lines(advice: Sequence[Advice]) -> list[str]:
    if not advice:
        return ["- **Suggestions to scale back or up:** none."]
    return ["- **Suggestions to scale back or up:**"] + [
        f'  - {_when(a.at)}, {_DIRECTIONS.get(a.direction, a.direction)}: "{a.text}". Why: "{a.reason}". '
        f"{_ANSWERS.get(a.answer, a.answer)}."
        for a in advice
    ]


def _when(moment: datetime) -> str:
    """ "Wed 25 Nov 14:20", in the zone the record was made in."""
    return f"{day_label(moment.date())} {moment:%H:%M}"
