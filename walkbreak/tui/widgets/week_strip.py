"""The last seven days under the timeline (on a tall, wide screen): a column a day, rising to
the day's target."""

from __future__ import annotations

from datetime import date, timedelta

from textual.content import Content

from walkbreak.core.tally import DayTally
from walkbreak.tui.widgets.cells import column_cell
from walkbreak.tui.widgets.quiet_static import QuietStatic

ROWS = 4
"""Lines of a column (a full column is the day's target met) until the panel is laid out: then
as many as its height allows."""


class WeekStrip(QuietStatic):
    """Seven days side by side: a column of walks against the target, the day, the count."""

    # Here, not in walkbreak.tcss: parsed only once the dashboard is big enough to mount this.
    SCOPED_CSS = False  # its rules start at the screen
    DEFAULT_CSS = """
    WeekStrip { display: none; }
    DashboardScreen.-very-wide.-very-tall WeekStrip { display: block; height: 1fr; min-height: 8; }
    """

    _shown: tuple[dict[date, DayTally] | None, DayTally] | None = None

    def show(self, recent: dict[date, DayTally] | None, today: DayTally) -> None:
        """Draw the six days before `today` from `recent` (blank until read), then today."""
        self._shown = (recent, today)
        cell = max(8, self.content_size.width // 7) if self.content_size.width else 14
        rows = max(ROWS, self.content_size.height - 2)
        self.show_content(render_week({**(recent or {}), today.day: today}, today.day, cell, rows))

    def on_resize(self) -> None:
        if self._shown:
            self.show(*self._shown)


def render_week(tallies: dict[date, DayTally], today: date, cell: int, rows: int = ROWS) -> Content:
    """`rows` lines of columns, then the days and the counts, each day `cell` wide; a day
    missing from `tallies` (before the first record) is left blank."""
    days = [today - timedelta(days=back) for back in range(6, -1, -1)]
    width = max(2, cell - 4)
    lines: list[list[Content]] = [[] for _ in range(rows + 2)]
    for day in days:
        tally = tallies.get(day)
        for row in range(rows):
            lines[row].append(column_cell(tally, rows - 1 - row, rows, width).pad_right(cell - width))
        lines[rows].append(
            Content.styled(f"{day:%a %d}".ljust(cell), "bold" if day == today else "$text-muted")
        )
        count = _count(tally)
        lines[rows + 1].append(count.pad_right(cell - len(count.plain)))
    return Content("\n").join(Content.assemble(*row) for row in lines)


def _count(tally: DayTally | None) -> Content:
    if tally is None:
        return Content("")
    if not tally.target:
        return Content.styled(f"{tally.bouts} · day off", "$text-muted")
    return Content.styled(
        f"{tally.bouts}/{tally.target}{' ✓' if tally.met else ''}", "$success" if tally.met else ""
    )
