"""The main screen: today's tally, the timeline, what comes next, and a waiting prompt."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen

from walkbreak.core.care import followup_waiting
from walkbreak.core.checkins import waiting_advice
from walkbreak.core.message import prompt_message
from walkbreak.core.planner import PlanState
from walkbreak.tui.widgets.away_panel import AwayPanel
from walkbreak.tui.widgets.care_panel import FollowUpPanel, SuggestionPanel
from walkbreak.tui.widgets.footer import KeysFooter
from walkbreak.tui.widgets.next_prompt import NextPrompt
from walkbreak.tui.widgets.prompt_panel import PromptPanel
from walkbreak.tui.widgets.quiet_static import QuietStatic
from walkbreak.tui.widgets.tally_panel import TallyPanel
from walkbreak.tui.widgets.timeline import Timeline

if TYPE_CHECKING:
    from walkbreak.core.today import DayView
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


class DashboardScreen(Screen[None]):
    """Where the day stands, at a glance."""

    app: WalkbreakApp

    def compose(self) -> ComposeResult:
        yield QuietStatic(id="title-bar")
        with VerticalScroll(id="dashboard"):
            yield TallyPanel(id="tally")
            yield NextPrompt("Next   planning…", id="next")
            yield Timeline(self.app.settings, id="timeline")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.watch(self.app, "view", self.show, init=True)
        self.watch(self.app, "streak", lambda _: self.show(self.app.view), init=False)
        self.watch(self.app, "minute", lambda _: self.show(self.app.view), init=False)

    def show(self, view: DayView | None) -> None:
        """Draw the engine's latest view of the day."""
        title = "walkbreak" + ("  ·  DEMO (scaled clock, throwaway data)" if self.app.demo else "")
        if view is None:
            self.query_one("#title-bar", QuietStatic).show_content(title)
            return
        now = self.app.clock.now()
        viewer = f"  ·  viewer: {view.engine}" if view.engine else ""
        heading = Content(f"{title}  ·  {now:%a %d %b  %H:%M}{viewer}")
        if view.notifications:
            # Kept until a delivery works: the dashboard is then the only place prompts show.
            warning = f"desktop notifications unavailable: prompts show only here ({view.notifications})"
            heading = Content.assemble(heading, "\n", Content.styled(warning, "$warning"))
        if view.config:  # kept until the file is fixed: the settings in force are not the file's
            heading = Content.assemble(heading, "\n", Content.styled(view.config, "$warning"))
        self.query_one(Timeline).settings = self.app.settings  # work hours may have been edited
        self.query_one("#title-bar", QuietStatic).show_content(heading)
        self.query_one(TallyPanel).show(view.tally)
        self.query_one(NextPrompt).show(view.plan, now, self.app.streak, view.log.checkins, view.waiting)
        waiting = view.plan.open_prompt if view.plan.state is PlanState.DUE else None
        message = prompt_message(self.app.settings, view.log, waiting) if waiting else None
        away = next((a for a in view.log.away if not a.answer), None)
        # One y/n question at a time: the follow-up waits while "were you walking?" is asked.
        followup = None if away else followup_waiting(self.app.settings, view.log.checkins, now)
        for place, item in enumerate((message, away, followup, waiting_advice(view.log))):
            self._ask(place, item)
        self.query_one(Timeline).show(view.log, now)

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
                kind(item, id=panel_id), before=below[0] if below else self.query_one(Timeline)
            )
