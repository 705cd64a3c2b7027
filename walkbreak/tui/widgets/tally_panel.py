"""Today's walks against the target: the biggest thing on the dashboard, read at a glance."""

from __future__ import annotations

from textual.content import Content
from textual.widget import Widget

from walkbreak.core.status import format_number
from walkbreak.core.tally import DayTally

DONE = ("█", "$success")
TO_GO = ("░", "$foreground 30%")


class TallyPanel(Widget):
    """The count, a bar of one segment per walk of the target as wide as the panel, and the
    minutes and spread under it; on a short screen the bar is one line high."""

    DEFAULT_CSS = """
    TallyPanel { height: 4; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.tally: DayTally | None = None
        self._drawn: tuple[tuple[int, int, DayTally], Content] | None = None

    def show(self, tally: DayTally) -> None:
        """Draw `tally` (repainting only if it changed)."""
        if tally != self.tally:
            self.tally = tally
            self.refresh()

    def render(self) -> Content:
        if self.tally is None:
            return Content("")
        key = (self.size.width, self.size.height, self.tally)
        if self._drawn is None or self._drawn[0] != key:
            bar_rows = 2 if self.size.height >= 4 else 1
            self._drawn = (key, render_tally(self.tally, max(self.size.width, 10), bar_rows=bar_rows))
        return self._drawn[1]


def headline(tally: DayTally) -> str:
    """ "2 of 6 walks", "8 of 6 walks (+2)", "3 walks · day off"."""
    if not tally.target:
        return f"{tally.bouts} walk{'s' if tally.bouts != 1 else ''} · day off"
    extra = f" (+{tally.bouts - tally.target})" if tally.bouts > tally.target else ""
    return f"{tally.bouts} of {tally.target} walks{extra}"


def render_tally(tally: DayTally, width: int, *, bar_rows: int = 2) -> Content:
    """The headline, the bar (`bar_rows` high) and the minutes, in `width` columns."""
    mark = Content.styled("  target met ✓", "bold $success") if tally.met else Content("")
    top = Content.assemble(Content.styled(headline(tally), "bold"), mark)
    if tally.target:
        minutes = f"{format_number(tally.minutes)} of {tally.target_minutes} min"
        detail = f"{minutes} · walks in {tally.spread} of {tally.work_hours} work hours"
        if len(detail) > width:  # a narrow screen: the same in fewer words
            detail = f"{format_number(tally.minutes)}/{tally.target_minutes} min · {tally.spread}/{tally.work_hours} hours"
    else:
        detail = f"{format_number(tally.minutes)} min walked · no target on a day off"
    row = _bar(tally, width)
    bar = Content("\n").join([row] * bar_rows)
    return Content("\n").join([top, bar, Content.styled(detail, "$text-muted")])


def _bar(tally: DayTally, width: int) -> Content:
    """One segment per walk of the target (or per walk, past it or on a day off), filled for
    each walk done, a gap between segments while they are wide enough to show one."""
    segments = max(tally.target, tally.bouts, 1)
    gap = 1 if width >= segments * 3 else 0
    cells = width - gap * (segments - 1)
    pieces: list[Content] = []
    for n in range(segments):
        size = cells * (n + 1) // segments - cells * n // segments
        char, style = DONE if n < tally.bouts else TO_GO
        pieces.append(Content.styled(char * size, style))
        if gap and n < segments - 1:
            pieces.append(Content(" "))
    return Content.assemble(*pieces)
