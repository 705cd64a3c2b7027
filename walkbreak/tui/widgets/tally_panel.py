"""Today's walks against the target, as a bar you can read at a glance."""

from __future__ import annotations

from textual.content import Content

from walkbreak.core.status import format_number
from walkbreak.core.tally import DayTally
from walkbreak.tui.widgets.quiet_static import QuietStatic


class TallyPanel(QuietStatic):
    """Walks done against the target: one block per walk, then minutes and spread."""

    DEFAULT_CSS = """
    TallyPanel { height: 2; }
    """

    def show(self, tally: DayTally) -> None:
        """Draw `tally`."""
        self.show_content(render_tally(tally))


def render_tally(tally: DayTally) -> Content:
    """The bar and the numbers under it."""
    target = tally.target or max(tally.bouts, 1)
    block = max(1, min(4, 28 // max(target, 1)))
    done = min(tally.bouts, target)
    bar = Content.assemble(
        *((("█" * block) + " ", "$success") for _ in range(done)),
        *((("░" * block) + " ", "$foreground 30%") for _ in range(target - done)),
    )
    extra = f" +{tally.bouts - target}" if tally.bouts > target else ""
    if tally.target:
        headline = f"{tally.bouts} of {tally.target} walks{extra}"
        minutes = f"{format_number(tally.minutes)} of {tally.target_minutes} min"
        spread = f" · spread {tally.spread} of {tally.work_hours} work hours"
    else:
        headline, minutes, spread = (
            f"{tally.bouts} walks · day off",
            f"{format_number(tally.minutes)} min",
            "",
        )
    mark = Content.styled("  target met ✓", "bold $success") if tally.met else Content("")
    return Content.assemble(
        Content.styled("Today ", "bold"),
        bar,
        Content.styled(headline, "bold"),
        mark,
        "\n",
        Content.styled(f"      {minutes}{spread}", "$text-muted"),
    )
