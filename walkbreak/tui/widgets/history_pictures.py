"""History as pictures: the last weeks as columns against the target line, and a year as a
calendar heatmap (a cell a day). Days before the first record, days off and days to come are
left blank: they are not days without walks."""

from __future__ import annotations

from datetime import date, timedelta

from textual.content import Content

from walkbreak.core.tally import DayTally
from walkbreak.tui.widgets.cells import column_cell, runs

HEAT = (
    ("·", "$foreground 40%"),
    ("░", "$success 60%"),
    ("▒", "$success 70%"),
    ("▓", "$success 85%"),
    ("█", "$success"),
)
"""A work day's cell by its share of the target: none, up to a third, two thirds, less, met."""
ROWS = 5
"""Lines of the weeks' columns: a full column is the day's target met."""


def heat(tally: DayTally | None) -> tuple[str, str]:
    """The character and style of one day's cell in the year (blank when it has no target)."""
    if tally is None or not tally.target:
        return " ", ""
    if tally.met:
        return HEAT[4]
    share = tally.bouts / tally.target
    return HEAT[0] if share == 0 else HEAT[1 + min(2, int(share * 3))]


def render_year(tallies: dict[date, DayTally], today: date, width: int) -> Content:
    """Seven lines (Monday to Sunday) of a week per column, ending with this week, as many weeks
    as fit in `width` (at most 53), month names above, and the key below."""
    cell = 2 if width >= 53 * 2 + 4 else 1  # a wide screen draws each day two cells wide
    weeks = max(4, min(53, (width - 4) // cell))
    monday = today - timedelta(days=today.weekday()) - timedelta(weeks=weeks - 1)
    months = [" "] * (weeks * cell)
    for week in range(weeks):
        first, place = monday + timedelta(weeks=week), week * cell
        if (
            first.day <= 7
            and place + 3 <= len(months)
            and all(c == " " for c in months[max(0, place - 1) : place + 3])
        ):
            months[place : place + 3] = list(f"{first:%b}")
    heading = "".join(months)
    lines = [Content.styled("    " + heading, "$text-muted")]
    for weekday in range(7):
        cells = []
        for week in range(weeks):
            day = monday + timedelta(weeks=week, days=weekday)
            char, style = heat(tallies.get(day)) if day <= today else (" ", "")
            cells.append((char * cell, style))
        label = f"{(monday + timedelta(days=weekday)):%a}"[:2] + "  " if weekday % 2 == 0 else "    "
        lines.append(Content.assemble(Content.styled(label, "$text-muted"), *runs(cells)))
    key = [Content.styled("    less ", "$text-muted")]
    for char, style in HEAT:
        key.append(Content.styled(char, style))
    key.append(Content.styled(" target met · blank: day off or before your first walk", "$text-muted"))
    lines.append(Content.assemble(*key))
    return Content("\n").join(lines)


def render_weeks(tallies: dict[date, DayTally], today: date, width: int) -> Content:
    """The last days as columns rising to the target line (┈), two columns a day, as many weeks
    as fit in `width` (at most 4), each Monday labelled."""
    per_day = 4 if width >= 28 * 4 else 2  # a column and a gap; wider where the screen allows
    days = max(7, min(28, width // per_day // 7 * 7))
    shown = [today - timedelta(days=back) for back in range(days - 1, -1, -1)]
    lines: list[Content] = []
    for level in range(ROWS - 1, -1, -1):
        cells = [column_cell(tallies.get(day), level, ROWS, per_day - 1) for day in shown]
        lines.append(Content.assemble(*(piece for cell in cells for piece in (cell, Content(" ")))))
    initials = "".join(f"{day:%a}"[: per_day - 1].ljust(per_day) for day in shown)
    lines.append(Content.styled(initials, "$text-muted"))
    dates = [" "] * (days * per_day)
    for n, day in enumerate(shown):
        if day.weekday() == 0 and n * per_day + 6 <= len(dates):
            dates[n * per_day : n * per_day + 6] = list(f"{day:%d %b}")
    lines.append(Content.styled("".join(dates), "$text-muted"))
    return Content("\n").join(lines)
