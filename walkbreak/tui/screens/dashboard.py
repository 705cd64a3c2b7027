"""The main screen: today's tally, the timeline, what comes next, and a waiting prompt."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget

from walkbreak.core.care import followup_waiting
from walkbreak.core.checkins import waiting_advice
from walkbreak.core.message import prompt_message
from walkbreak.core.model import CheckIn
from walkbreak.core.planner import PlanState
from walkbreak.tui.widgets.away_panel import AwayPanel
from walkbreak.tui.widgets.care_panel import FollowUpPanel, SuggestionPanel
from walkbreak.tui.widgets.footer import KeysFooter
from walkbreak.tui.widgets.next_prompt import NextPrompt
from walkbreak.tui.widgets.prompt_panel import PromptPanel
from walkbreak.tui.widgets.quiet_static import QuietStatic
from walkbreak.tui.widgets.tally_panel import TallyPanel
from walkbreak.tui.widgets.timeline import Timeline
from walkbreak.tui.widgets.walks_list import WalksList
from walkbreak.tui.widgets.week_strip import WeekStrip

if TYPE_CHECKING:
    from datetime import datetime

    from walkbreak.core.today import DayView, Desk
    from walkbreak.tui.app import WalkbreakApp


Panel = PromptPanel | AwayPanel | FollowUpPanel | SuggestionPanel
PANELS: tuple[tuple[type[Panel], str], ...] = (
    (PromptPanel, "prompt"),
    (AwayPanel, "away"),
    (FollowUpPanel, "followup"),
    (SuggestionPanel, "suggestion"),
)
"""The panels that ask something and their ids, top to bottom between what comes next and the
timeline."""


MINIMUM = (30, 8)
"""The smallest terminal that shows the day's tally and what comes next (columns, lines)."""


class Row(Widget):
    """Panels side by side (walkbreak.tcss lays the rows out). Not Textual's Horizontal: its
    DEFAULT_CSS is parsed at the first paint, and none is needed here."""


class DashboardScreen(Screen[None]):
    """Where the day stands, at a glance.

    The screen's size picks the layout (Textual's breakpoints set a class on the screen):
    below 76 columns the panels stack; below 20 lines they lose their borders and the timeline
    its legend; from 120×40 the day's walks stand beside the timeline and the week under it;
    below `MINIMUM` a line says the size needed.
    """

    app: WalkbreakApp

    AUTO_FOCUS = "Timeline"  # ←/→ pick a walk from the start; a focus that moved restyles twice
    HORIZONTAL_BREAKPOINTS = [(0, "-tiny"), (MINIMUM[0], "-narrow"), (76, "-wide"), (120, "-very-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-tiny-height"), (MINIMUM[1], "-short"), (20, "-tall"), (40, "-very-tall")]

    def compose(self) -> ComposeResult:
        # The breakpoint classes for the size the screen opens at, before its widgets are
        # styled: set at the first resize they would style the whole screen a second time.
        width, height = self.app.size
        for size, breakpoints in ((width, self.HORIZONTAL_BREAKPOINTS), (height, self.VERTICAL_BREAKPOINTS)):
            self.add_class(max(b for b in breakpoints if b[0] <= size)[1], update=False)
        yield QuietStatic(id="title-bar")
        with VerticalScroll(id="dashboard"):
            with Row(id="top"):
                yield TallyPanel(id="tally", classes="panel")
                yield NextPrompt("Next   planning…", id="next", classes="panel")
            with Row(id="day"):
                yield Timeline(self.app.settings, id="timeline", classes="panel")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#tally").border_title = "Today"
        self.query_one("#next").border_title = "Next walk"
        self.query_one("#timeline").border_title = "Timeline"
        self.watch(self.app, "view", self.show, init=True)
        self.watch(self.app, "streak", lambda _: self.show(self.app.view), init=False)
        self.watch(self.app, "recent", lambda _: self.show(self.app.view), init=False)
        self.watch(self.app, "minute", lambda _: self.show(self.app.view), init=False)

    def on_resize(self) -> None:
        """Mount the parts only some sizes show, the first time the screen has that size: the
        first paint at a usual size builds none of them."""
        width, height = self.size
        if (width < MINIMUM[0] or height < MINIMUM[1]) and not self.query(TooSmall):
            self.mount(TooSmall(id="too-small"), before=self.query_one(KeysFooter))
        for line in self.query(TooSmall):
            line.show_content(f"walkbreak needs {MINIMUM[0]}×{MINIMUM[1]} or more (this is {width}×{height})")
        if width >= 120 and height >= 40 and not self.query(WalksList):
            walks, week = WalksList(id="walks", classes="panel"), WeekStrip(id="week", classes="panel")
            walks.border_title, week.border_title = "Walks today", "Last 7 days"
            self.query_one("#day").mount(walks)
            self.query_one("#dashboard").mount(week)
            self.show(self.app.view)
        elif self.app.view is not None:  # the countdown shows only where there is room
            self._show_next(self.app.view, self.app.clock.now())

    def on_timeline_picked(self, message: Timeline.Picked) -> None:
        for walks in self.query(WalksList):
            walks.pick(message.walk_id)

    def on_walks_list_picked(self, message: WalksList.Picked) -> None:
        self.query_one(Timeline).pick(message.walk_id)

    def show(self, view: DayView | None) -> None:
        """Draw the engine's latest view of the day."""
        demo = "  ·  DEMO (scaled clock, throwaway data)" if self.app.demo else ""
        if view is None:
            self.query_one("#title-bar", QuietStatic).show_content(f"walkbreak{demo}")
            return
        now = self.app.clock.now()
        viewer = f"  ·  viewer: {view.engine}" if view.engine else ""
        # The notices say more under the tally; a short screen shows only these marks.
        alone = "  ·  ⚠ prompts show only here" if view.notifications else ""
        alone += "  ·  ⚠ config file not in force" if view.config else ""
        alone += "  ·  ⚠ a calendar could not be read" if view.calendar else ""
        heading = f"{now:%a %d %b  %H:%M}  ·  walkbreak{alone}{_desks(view.desks, now)}{demo}{viewer}"
        self.query_one("#title-bar", QuietStatic).show_content(heading)
        notices = []
        if view.notifications:
            # Kept until a delivery works: the dashboard is then the only place prompts show.
            notices.append(
                f"Desktop notifications unavailable: prompts show only here ({view.notifications})"
            )
        if view.config:  # kept until the file is fixed: the settings in force are not the file's
            notices.append(view.config)
        if view.calendar:  # kept until it can be read: its busy time may be out of date
            notices.append(f"{view.calendar} (its last good copy is in use; walkbreak calendar says more)")
        if notices and not self.query("#notices"):  # mounted the first time: most days have none
            self.query_one("#dashboard").mount(QuietStatic(id="notices"), after=self.query_one("#top"))
        for shown in self.query("#notices").results(QuietStatic):
            shown.show_content(Content.styled("\n".join(notices), "$warning"))
            shown.set_class(not notices, "-none")  # a class, not `display`: a short screen hides it too
        self.query_one(Timeline).settings = self.app.settings  # work hours may have been edited
        tally = self.query_one(TallyPanel)
        tally.show(view.tally)
        tally.border_subtitle = _streak_and_feelings(self.app.streak, view.log.checkins)
        self._show_next(view, now)
        waiting = view.plan.open_prompt if view.plan.state is PlanState.DUE else None
        message = prompt_message(self.app.settings, view.log, waiting) if waiting else None
        if message and view.desks:  # an answer given there shows here only once its files arrive
            names = " or ".join(desk.name for desk in view.desks)
            message = message._replace(
                body=f"{message.body}\nAnswered on {names}? It closes here when that arrives."
            )
        away = next((a for a in view.log.away if not a.answer), None)
        # One y/n question at a time: the follow-up waits while "were you walking?" is asked.
        followup = None if away else followup_waiting(self.app.settings, view.log.checkins, now)
        for place, item in enumerate((message, away, followup, waiting_advice(view.log))):
            self._ask(place, item)
        self.query_one(Timeline).show(view.log, now, view.busy)
        for walks in self.query(WalksList):
            walks.show(view.log, self.query_one(Timeline).walk)
        for week in self.query(WeekStrip):
            week.show(self.app.recent, view.tally)

    def _show_next(self, view: DayView, now: datetime) -> None:
        self.query_one(NextPrompt).show(view.plan, now, view.waiting, self.app.settings)

    def _ask(self, place: int, item: Any) -> None:
        """Show `item` in the panel at `place` in `PANELS` (None hides it).

        A panel is mounted the first time it has something to show, in its place above the
        timeline: the first paint builds no buttons for questions that may never come.
        """
        kind, panel_id = PANELS[place]
        mounted = self.query(kind)
        if mounted:
            mounted.first().show(item)
        elif item is not None:
            below = [panel for later, _ in PANELS[place + 1 :] for panel in self.query(later)]
            self.query_one("#dashboard").mount(
                kind(item, id=panel_id), before=below[0] if below else self.query_one("#day")
            )


class TooSmall(QuietStatic):
    """The line saying the size needed, mounted the first time the screen is too small."""

    SCOPED_CSS = False  # its rules follow the screen's classes (walkbreak.tcss hides the dashboard)

    DEFAULT_CSS = """
    TooSmall { display: none; width: 1fr; height: 1fr; content-align: center middle; text-style: bold; }
    DashboardScreen.-tiny TooSmall, DashboardScreen.-tiny-height TooSmall { display: block; }
    """


def _desks(desks: tuple[Desk, ...], now: datetime) -> str:
    """The title bar's note of the other devices: "  ·  with desk as of 14:02" (what is known of
    it: its files last arrived then)."""
    if not desks:
        return ""
    seen = ", ".join(
        f"{desk.name} as of {desk.arrived:%H:%M}"
        if desk.arrived.date() == now.date()
        else f"{desk.name} as of {desk.arrived:%a %H:%M}"
        for desk in desks
    )
    return f"  ·  with {seen}"


def _streak_and_feelings(streak: int | None, checkins: tuple[CheckIn, ...]) -> str:
    """The today panel's foot: "streak 3 days · check-ins: same, better"."""
    days = "" if streak is None else f"streak {streak} day{'s' if streak != 1 else ''} · "
    feelings = ", ".join(c.feeling for c in checkins[-3:])
    return f"{days}check-ins: {feelings}" if feelings else f"{days}no check-ins yet"
