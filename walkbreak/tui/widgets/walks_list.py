"""Today's walks as a list beside the timeline (on a wide screen): the picked one marked."""

from __future__ import annotations

from textual import events
from textual.content import Content
from textual.message import Message

from walkbreak.core.day_bands import walk_line
from walkbreak.core.model import Bout, DayLog
from walkbreak.tui.widgets.quiet_static import QuietStatic


class WalksList(QuietStatic):
    """A line per walk, in time order; a click on one picks it on the timeline too."""

    # Here, not in walkbreak.tcss: parsed only once the dashboard is big enough to mount this.
    SCOPED_CSS = False  # its rules start at the screen
    DEFAULT_CSS = """
    WalksList { display: none; }
    DashboardScreen.-very-wide.-very-tall WalksList {
        display: block; width: 50; height: auto; min-height: 7; margin-left: 1;
    }
    """

    class Picked(Message):
        """A walk was clicked (its id)."""

        def __init__(self, walk_id: str) -> None:
            super().__init__()
            self.walk_id = walk_id

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.walks: tuple[Bout, ...] = ()
        self.day_log: DayLog | None = None
        self.picked: str | None = None

    def show(self, log: DayLog, picked: Bout | None) -> None:
        """List the walks of `log`, marking `picked`."""
        self.day_log, self.walks = log, tuple(sorted(log.bouts, key=lambda b: b.start))
        self.picked = picked.id if picked else None
        self._draw()

    def pick(self, walk_id: str) -> None:
        """Mark the walk `walk_id` (picked on the timeline)."""
        self.picked = walk_id
        self._draw()

    def _draw(self) -> None:
        if self.day_log is None:
            return
        if not self.walks:
            self.show_content(Content.styled("No walks yet today.", "$text-muted"))
            return
        lines = [
            Content.styled(
                f"{'▶' if b.id == self.picked else ' '} {walk_line(self.day_log, b)}",
                "bold" if b.id == self.picked else "",
            )
            for b in self.walks
        ]
        self.show_content(Content("\n").join(lines))

    def on_click(self, event: events.Click) -> None:
        """A click on a walk's line picks it (on the timeline too)."""
        offset = event.get_content_offset(self)
        if offset is not None and 0 <= offset.y < len(self.walks):
            self.pick(self.walks[offset.y].id)
            self.post_message(self.Picked(self.walks[offset.y].id))
