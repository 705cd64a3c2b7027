"""History: the last weeks as columns against the target, a year as a heatmap, and the totals
since the first record."""

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
from walkbreak.core.named_tuple import NamedTuple
from walkbreak.core.status import format_number
from walkbreak.core.tally import DayTally, PeriodSummary, summarize
from walkbreak.summary import current_streak, tallies
from walkbreak.tui.widgets.footer import KeysFooter
from walkbreak.tui.widgets.history_pictures import render_weeks, render_year

if TYPE_CHECKING:
    from walkbreak.tui.app import WalkbreakApp


class HistoryScreen(Screen[None]):
    """The weeks and the year as pictures, then the numbers `walkbreak history` gives."""

    app: WalkbreakApp

    BINDINGS = [Binding("escape,h,q", "app.pop_screen", "Back")]
    DEFAULT_CSS = """
    HistoryScreen #weeks, HistoryScreen #year, HistoryScreen #totals {
        height: auto; border: round $primary 60%; border-title-color: $text; border-title-style: bold;
        padding: 0 1;
    }
    HistoryScreen VerticalScroll { padding: 0 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.read: Read | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static("Reading history…", id="weeks")
            yield Static(id="year")
            yield Static(id="totals")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#weeks").border_title = "Last weeks"
        self.query_one("#year").border_title = "The last year"
        self.query_one("#totals").border_title = "Totals"
        self.run_worker(self.load, thread=True)

    def load(self) -> None:
        """Read a year (and the streak) from the store, off the event loop."""
        now = self.app.clock.now()
        today = now.date()
        store = self.app.store
        first = store.first_day() or today
        every = tallies(store, self.app.settings, first, today, now)  # totals count from the first record
        streak = current_streak(store, self.app.settings, dict(every), today, now)
        logs = store.days(today - timedelta(days=29), today, (CheckIn, Advice))
        trend = [c.feeling for d in sorted(logs) for c in logs[d].checkins]
        care_lines = [*events([logs[d] for d in sorted(logs)]), in_force(self.app.settings)]
        year = {day: tally for day, tally in every.items() if day > today - timedelta(days=371)}
        read = Read(year, today, first, streak, trend, care_lines, summarize(first, today, every.values()))
        self.app.call_from_thread(self.draw, read)

    def draw(self, read: Read) -> None:
        """Draw what `load` read, for the screen's width."""
        self.read = read
        width = self.query_one("#weeks").content_size.width or self.size.width - 4
        self.query_one("#weeks", Static).update(render_weeks(read.tallies, read.today, width))
        self.query_one("#year", Static).update(render_year(read.tallies, read.today, width))
        self.query_one("#totals", Static).update(render_totals(read))

    def on_resize(self) -> None:
        if self.read is not None:
            self.draw(self.read)


class Read(NamedTuple):
    """What the history screen read: tallies since the first record (at most a year back)."""

    tallies: dict[date, DayTally]
    today: date
    first: date
    streak: int
    feelings: list[str]
    care_lines: list[str]
    since: PeriodSummary


def render_totals(read: Read) -> Content:
    """The streak, the last 7 and 30 days and everything since the first record, counted only
    from that first day; then the check-ins and the care notes."""
    lines = [Content(f"streak: {read.streak} day{'s' if read.streak != 1 else ''} meeting the target")]
    for days in (7, 30):
        start = max(read.first, read.today - timedelta(days=days - 1))
        period = summarize(start, read.today, read.tallies.values())
        lines.append(Content(f"last {days} days: {_period(period)}"))
    total = (read.today - read.first).days + 1
    lines.append(
        Content(
            f"since {read.first:%d %b %Y} ({total} day{'s' if total != 1 else ''}): {_period(read.since)}"
        )
    )
    lines.append(Content(f"check-ins: {_trend(read.feelings)}"))
    lines += [Content.styled(line, "$text-muted") for line in read.care_lines]
    return Content("\n").join(lines)


def _period(period: PeriodSummary) -> str:
    return (
        f"{period.bouts}/{period.target_bouts} walks, {format_number(period.minutes)} min, "
        f"target met on {period.days_met} of {period.work_days} work days"
    )


def _trend(feelings: list[str]) -> str:
    """The latest check-ins, newest last."""
    return ", ".join(feelings[-5:]) if feelings else "none yet"
