"""The day across the screen: hours, the day's marks over bands of work, quiet, pauses and time
away, and the walk picked with ←/→ or a click, described in a line."""

from __future__ import annotations

from datetime import UTC, datetime

from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widget import Widget

from walkbreak.core import timeline
from walkbreak.core.busy import Busy
from walkbreak.core.day_bands import BandKind, day_bands, walk_line
from walkbreak.core.model import Bout, ControlKind, DayLog, Outcome
from walkbreak.core.settings import Settings
from walkbreak.tui.widgets.cells import runs

MARKS = {
    "walk": ("●", "$success"),
    "snooze": ("z", "$text-secondary"),
    "skip": ("✕", "$warning"),
    "missed": ("○", "$error"),
    "waiting": ("◆", "$accent"),
}
NOW = ("▼", "bold $accent")
BANDS = {
    BandKind.WORK: ("━", "$primary"),
    BandKind.QUIET: ("┅", "$foreground 50%"),
    BandKind.BUSY: ("▆", "$secondary"),
    BandKind.AWAY: ("░", "$text-secondary"),
    BandKind.PAUSED: ("▒", "$warning"),
}
PAST_WORK = ("─", "$primary 60%")
"""Work time already gone, so the rest of the day stands out."""


class Timeline(Widget, can_focus=True):
    """Five lines: hours, marks (▼ where now is), bands, the picked walk, the legend.

    Three when the screen is short: the picked walk and the legend go. ←/→ or a click picks
    another walk; the latest is picked until then.
    """

    BINDINGS = [
        Binding("left", "pick(-1)", "Earlier walk", show=False),
        Binding("right", "pick(1)", "Later walk", show=False),
    ]
    DEFAULT_CSS = """
    Timeline { height: 5; }
    Timeline:focus { background-tint: $foreground 4%; }
    """

    class Picked(Message):
        """Another walk was picked (its id)."""

        def __init__(self, walk_id: str) -> None:
            super().__init__()
            self.walk_id = walk_id

    def __init__(self, settings: Settings, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.settings = settings
        self.day_log: DayLog | None = None
        self.now: datetime | None = None
        self.busy: tuple[Busy, ...] = ()
        self.picked: str | None = None
        """The id of the walk picked by the user; None: the latest."""
        self._drawn: tuple[tuple[int, int], Content] | None = None

    def show(self, log: DayLog, now: datetime, busy: tuple[Busy, ...] = ()) -> None:
        """Draw the day `log` as seen at `now`, with the calendars' `busy` blocks; repaint only
        when the drawing changed."""
        self.day_log, self.now, self.busy = log, now, busy
        if (
            not self.size.width or self._draw() is not None
        ):  # not laid out yet (the first paint): render draws it, once
            self.refresh()

    @property
    def walk(self) -> Bout | None:
        """The walk described under the bands: the one picked, else the latest."""
        walks = self.day_log.bouts if self.day_log else ()
        return next((b for b in walks if b.id == self.picked), walks[-1] if walks else None)

    def pick(self, walk_id: str) -> None:
        """Describe the walk `walk_id`."""
        if walk_id != self.picked:
            self.picked = walk_id
            self._drawn = None
            self.refresh()
            self.post_message(self.Picked(walk_id))

    def action_pick(self, step: int) -> None:
        walks = sorted(self.day_log.bouts if self.day_log else (), key=lambda b: b.start)
        if not walks:
            return
        current = self.walk
        index = next((n for n, b in enumerate(walks) if current and b.id == current.id), len(walks) - 1)
        self.pick(walks[max(0, min(len(walks) - 1, index + step))].id)

    def on_click(self, event: events.Click) -> None:
        """A click on or near a walk's mark picks it."""
        offset = event.get_content_offset(self)
        if self.day_log is None or self.now is None or offset is None:
            return
        place = _Place(self.settings, self.day_log, self.now, max(self.size.width, 20))
        near = [
            (abs(c - offset.x), b.id) for b in self.day_log.bouts if (c := place.column(b.start)) is not None
        ]
        if near and min(near)[0] <= 1:
            self.pick(min(near)[1])

    def render(self) -> Content:
        if self._drawn is None or self._drawn[0] != (max(self.size.width, 20), self.size.height):
            self._draw()
        return self._drawn[1] if self._drawn else Content("")

    def _draw(self) -> Content | None:
        """Render for the current size and remember it; returns the drawing if it changed."""
        if self.day_log is None or self.now is None:
            return None
        size = (max(self.size.width, 20), self.size.height)
        walk = self.walk
        content = render_timeline(
            self.settings,
            self.day_log,
            self.now,
            size[0],
            full=size[1] >= 5,
            picked=walk.id if walk else None,
            busy=self.busy,
        )
        if self._drawn == (size, content):
            return None
        self._drawn = (size, content)
        return content


class _Place:
    """Where an instant of the day falls on a line of `width` columns."""

    def __init__(self, settings: Settings, log: DayLog, now: datetime, width: int) -> None:
        zone = now.tzinfo
        assert zone is not None
        self.zone = zone
        self.spans = [timeline.window_span(log.day, w, zone) for w in settings.work.windows_on(log.day)]
        self.columns = width - 1
        self.start = self.spans[0][0] if self.spans else now
        self.seconds = (self.spans[-1][1] - self.start).total_seconds() if self.spans else 0

    def column(self, at: datetime) -> int | None:
        offset = (at.astimezone(UTC) - self.start).total_seconds()
        if offset < 0 or offset >= self.seconds:
            return None
        return int(offset / self.seconds * self.columns)

    def middle(self, index: int) -> datetime:
        return self.start + (self.spans[-1][1] - self.start) * ((index + 0.5) / self.columns)


def render_timeline(
    settings: Settings,
    log: DayLog,
    now: datetime,
    width: int,
    *,
    full: bool = True,
    picked: str | None = None,
    busy: tuple[Busy, ...] = (),
) -> Content:
    """The timeline of `log` in `width` columns: five lines when `full`, else three; `busy`:
    the calendars' busy blocks, drawn as bands."""
    place = _Place(settings, log, now, width)
    if not place.spans:
        return Content.styled("No work hours today.", "$text-muted")
    columns = place.columns
    bands = day_bands(settings, log, place.zone, busy)
    band_row: list[tuple[str, str]] = []
    seen: set[BandKind] = set()
    for index in range(columns):
        middle = place.middle(index)
        kind = next((b.kind for b in reversed(bands) if b.start <= middle < b.end), None)
        if kind is None:
            band_row.append((" ", ""))
            continue
        seen.add(kind)
        band_row.append(PAST_WORK if kind is BandKind.WORK and middle < now else BANDS[kind])

    marks: list[tuple[str, str]] = [(" ", "")] * columns
    here = place.column(now)
    if here is not None:
        marks[here] = NOW
    kinds: set[str] = set()
    for at, event, walk_id in _events(log):
        where = place.column(at)
        if where is not None:
            kinds.add(event)
            char, style = MARKS[event]
            marks[where] = (char, f"{style} reverse" if walk_id is not None and walk_id == picked else style)

    hours = [" "] * columns
    for hour in range(24):
        mark = place.column(timeline.local_instant(log.day, hour * 60, place.zone))
        if (
            mark is not None
            and mark + 2 <= columns
            and all(c == " " for c in hours[max(0, mark - 1) : mark + 2])
        ):
            hours[mark : mark + 2] = list(f"{hour:02d}")
    lines: list[Content | str] = [
        Content.styled("".join(hours), "$text-muted"),
        "\n",
        *runs(marks),
        "\n",
        *runs(band_row),
    ]
    if full:
        walk = next((b for b in log.bouts if b.id == picked), None)
        detail = (
            Content.assemble(
                Content.styled("● ", "$success"), walk_line(log, walk), Content.styled("  ←/→", "$text-muted")
            )
            if walk
            else Content.styled("No walks yet today.", "$text-muted")
        )
        lines += ["\n", detail, "\n", _legend(seen, kinds, width)]
    return Content.assemble(*lines)


def _events(log: DayLog) -> list[tuple[datetime, str, str | None]]:
    """The day's marks in time order: (when, kind, the walk's id for a walk)."""
    found: list[tuple[datetime, str, str | None]] = [(b.start, "walk", b.id) for b in log.bouts]
    kinds = {Outcome.SKIPPED: "skip", Outcome.EXPIRED: "missed", Outcome.WALKED: None, None: "waiting"}
    found += [(p.fired_at, kind, None) for p in log.prompts if (kind := kinds[p.outcome])]
    found += [(c.at, "snooze", None) for c in log.controls if c.kind is ControlKind.SNOOZE]
    # Ties: the walk is drawn last, so it stays visible (and pickable) over a prompt at the same minute.
    return sorted(found, key=lambda e: (e[0], e[1] == "walk"))


def _legend(bands: set[BandKind], marks: set[str], width: int) -> Content:
    """What the day's symbols mean: only those drawn today, bands first."""
    pieces = [(BANDS[k][0], BANDS[k][1], k.value) for k in BandKind if k in bands]
    pieces += [(MARKS[k][0], MARKS[k][1], _MARK_NAMES[k]) for k in MARKS if k in marks]
    parts: list[Content | str] = []
    used = 0
    for char, style, name in pieces:
        if used + len(name) + 4 > width:
            break
        parts += [Content.styled(char, style), Content.styled(f" {name}  ", "$text-muted")]
        used += len(name) + 4
    return Content.assemble(*parts)


_MARK_NAMES = {"walk": "walk", "snooze": "snooze", "skip": "skip", "missed": "missed", "waiting": "prompt"}
