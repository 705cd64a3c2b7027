"""The day's work windows across the screen, marking each walk, prompt, snooze and skip."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import groupby

from textual.content import Content
from textual.widget import Widget

from walkbreak.core import timeline
from walkbreak.core.model import ControlKind, DayLog, Outcome
from walkbreak.core.settings import Settings

MARKS = {
    "walk": ("●", "$success"),
    "snooze": ("z", "$secondary"),
    "skip": ("✕", "$warning"),
    "missed": ("○", "$error"),
    "waiting": ("◆", "$accent"),
}
LEGEND = "● walk  ◆ prompt  z snooze  ✕ skip  ○ missed"


class Timeline(Widget):
    """Hours along the top, the day's events in their time slots, and where now is."""

    DEFAULT_CSS = """
    Timeline { height: 4; }
    """

    def __init__(self, settings: Settings, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.settings = settings
        self.day_log: DayLog | None = None
        self.now: datetime | None = None
        self._drawn: tuple[int, Content] | None = None

    def show(self, log: DayLog, now: datetime) -> None:
        """Draw the day `log` as seen at `now`; repaint only when the drawing changed."""
        self.day_log, self.now = log, now
        if self._draw() is not None:
            self.refresh()

    def render(self) -> Content:
        """Four lines: hours, events, the now marker, the legend (drawn again only on a resize)."""
        if self._drawn is None or self._drawn[0] != max(self.size.width, 20):
            self._draw()
        return self._drawn[1] if self._drawn else Content("")

    def _draw(self) -> Content | None:
        """Render for the current width and remember it; returns the drawing if it changed."""
        if self.day_log is None or self.now is None:
            return None
        width = max(self.size.width, 20)
        content = render_timeline(self.settings, self.day_log, self.now, width)
        if self._drawn == (width, content):
            return None
        self._drawn = (width, content)
        return content


def render_timeline(settings: Settings, log: DayLog, now: datetime, width: int) -> Content:
    """The timeline of `log` in `width` columns."""
    zone = now.tzinfo
    assert zone is not None
    windows = settings.work.windows_on(log.day)
    if not windows:
        return Content.styled("No work hours today.", "$text-muted")
    spans = [timeline.window_span(log.day, w, zone) for w in windows]
    start, end = spans[0][0], spans[-1][1]
    columns = width - 1
    seconds = (end - start).total_seconds()

    def column(at: datetime) -> int | None:
        offset = (at.astimezone(UTC) - start).total_seconds()
        if offset < 0 or offset >= seconds:
            return None
        return int(offset / seconds * columns)

    track: list[tuple[str, str]] = []
    for index in range(columns):
        middle = start + (end - start) * ((index + 0.5) / columns)
        working = any(s <= middle < e for s, e in spans)
        track.append(("─", "$foreground 40%") if working else (" ", ""))
    events: list[tuple[datetime, str]] = [(b.start, "walk") for b in log.bouts]
    for p in log.prompts:
        kind = {Outcome.SKIPPED: "skip", Outcome.EXPIRED: "missed", Outcome.WALKED: None, None: "waiting"}[
            p.outcome
        ]
        if kind:
            events.append((p.fired_at, kind))
    events += [(c.at, "snooze") for c in log.controls if c.kind is ControlKind.SNOOZE]
    for at, kind in sorted(events, key=lambda e: e[0]):
        where = column(at)
        if where is not None:
            track[where] = MARKS[kind]

    hours = [" "] * columns
    for hour in range(24):
        mark = column(timeline.local_instant(log.day, hour * 60, zone))
        if (
            mark is not None
            and mark + 2 <= columns
            and all(c == " " for c in hours[max(0, mark - 1) : mark + 2])
        ):
            hours[mark : mark + 2] = list(f"{hour:02d}")
    cursor = [" "] * columns
    here = column(now)
    if here is not None:
        cursor[here] = "▲"
    return Content.assemble(
        Content.styled("".join(hours), "$text-muted"),
        "\n",
        *_runs(track),
        "\n",
        Content.styled("".join(cursor), "$accent"),
        "\n",
        Content.styled(LEGEND, "$text-muted"),
    )


def _runs(cells: list[tuple[str, str]]) -> list[Content | str]:
    """Neighbouring (character, style) cells of one style as one piece: a wide terminal would
    otherwise have 160 pieces to style at each paint."""
    pieces: list[Content | str] = []
    for style, run in groupby(cells, key=lambda cell: cell[1]):
        text = "".join(char for char, _ in run)
        pieces.append(Content.styled(text, style) if style else text)
    return pieces
