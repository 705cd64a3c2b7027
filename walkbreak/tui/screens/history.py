"""The last 7 and 30 days: walks against the target, streak, spread and check-ins."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from walkbreak.core.care import events, in_force
from walkbreak.core.model import Advice, CheckIn
from walkbreak.core.status import format_number
from walkbreak.core.tally import DayTally, summarize
from walkbreak.summary import current_streak, tallies
from walkbreak.tui.widgets.footer import KeysFooter

if TYPE_CHECKING:
    from walkbreak.tui.app import WalkbreakApp

BLOCKS = "▁▂▃▄▅▆▇█"
BAR = 12
"""Cells for one day's bar (targets above 12 are drawn at 12)."""


class HistoryScreen(Screen[None]):
    """The same numbers as `walkbreak history`, drawn as bars."""

    app: WalkbreakApp

    BINDINGS = [Binding("escape,h,q", "app.pop_screen", "Back")]

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static("Reading history…", id="history")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.run_worker(self.load, thread=True)

    def load(self) -> None:
        """Read 30 days (and the streak) from the store, off the event loop."""
        now = self.app.clock.now()
        today = now.date()
        known = tallies(self.app.store, self.app.settings, today - timedelta(days=29), today, now)
        streak = current_streak(self.app.store, self.app.settings, known, today, now)
        logs = self.app.store.days(today - timedelta(days=29), today, (CheckIn, Advice))
        trend = [c.feeling for d in sorted(logs) for c in logs[d].checkins]
        care_lines = [*events([logs[d] for d in sorted(logs)]), in_force(self.app.settings)]
        self.app.call_from_thread(
            self.query_one("#history", Static).update, render_history(known, today, streak, trend, care_lines)
        )


def render_history(
    known: dict[date, DayTally], today: date, streak: int, feelings: list[str], care_lines: list[str]
) -> Content:
    """Bars for the last 7 days, a strip for the last 30, and the totals."""
    lines: list[Content] = [Content.styled("Last 7 days", "bold")]
    for offset in range(6, -1, -1):
        day = today - timedelta(days=offset)
        tally = known.get(day)
        if tally is None:
            continue
        done, target = min(tally.bouts, BAR), min(tally.target, BAR)
        bar = Content.assemble(
            ("█" * done, "$success"),
            ("░" * max(0, target - done), "$foreground 30%"),
            " " * (BAR - max(done, target)),
        )
        walks = f"{tally.bouts}/{tally.target}" if tally.target else f"{tally.bouts}"
        extra = f"spread {tally.spread}/{tally.work_hours} h" if tally.target else "day off"
        met = Content.styled("  ✓ met", "$success") if tally.met else Content("")
        lines.append(
            Content.assemble(
                f"{day:%a %d %b}  ",
                bar,
                f"  {walks:>5}  {format_number(tally.minutes):>4} min  ",
                Content.styled(extra, "$text-muted"),
                met,
            )
        )
    month = summarize(today - timedelta(days=29), today, known.values())
    week = summarize(today - timedelta(days=6), today, known.values())
    strip = "".join(_block(known.get(today - timedelta(days=offset))) for offset in range(29, -1, -1))
    lines += [
        Content(""),
        Content.styled("Last 30 days", "bold"),
        Content.assemble(
            Content.styled(strip, "$success"),
            Content.styled("  (a column a day; full = target met; · = day off)", "$text-muted"),
        ),
        Content(""),
        Content(f"streak: {streak} day{'s' if streak != 1 else ''} meeting the target"),
        Content(
            f"7 days: {week.bouts}/{week.target_bouts} walks, target met on {week.days_met} of {week.work_days} work days"
        ),
        Content(
            f"30 days: {month.bouts}/{month.target_bouts} walks, {format_number(month.minutes)} min, target met on {month.days_met} of {month.work_days} work days"
        ),
        Content(f"check-ins: {_trend(feelings)}"),
        *(Content(line) for line in care_lines),
    ]
    return Content("\n").join(lines)


def _block(tally: DayTally | None) -> str:
    """One column of the 30-day strip: a day off is a dot, a work day a bar up to its target."""
    if tally is None or not tally.target:
        return "·"
    return BLOCKS[min(7, round(7 * tally.bouts / tally.target))]


def _trend(feelings: list[str]) -> str:
    """The latest check-ins, newest last."""
    return ", ".join(feelings[-5:]) if feelings else "none yet"
