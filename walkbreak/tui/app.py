"""The walkbreak dashboard: hosts the engine on Textual's loop and answers prompts with one key.

Its parts, each a class the next builds on: `app_base.py` (state, the store, the clock, toasts),
`app_answers.py` (the answers), `app_edits.py` (today's walks), and this module's `WalkbreakApp`
(keys, the engine it hosts, screens, commands).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

from textual.app import SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from walkbreak import answers, collector
from walkbreak.clock import Clock
from walkbreak.core.message import PromptMessage
from walkbreak.core.model import Prompt
from walkbreak.core.settings import Settings
from walkbreak.core.today import DayView, day_view
from walkbreak.store import Store
from walkbreak.tui import walk_flow
from walkbreak.tui.app_edits import AppEdits
from walkbreak.tui.screens.dashboard import DashboardScreen

if TYPE_CHECKING:
    from walkbreak.config_watch import ConfigWatch
    from walkbreak.tui.screens.entries import EntriesScreen
    from walkbreak.tui.screens.walk import WalkScreen


class WalkbreakApp(AppEdits):
    """The dashboard: its keys, its screens and its commands (its arguments: `AppBase`)."""

    CSS_PATH = "walkbreak.tcss"
    TITLE = "walkbreak"
    ENABLE_COMMAND_PALETTE = True

    BINDINGS = [
        Binding("w,enter", "walk", "Walk"),
        Binding("s", "snooze", "Snooze"),
        Binding("k", "skip", "Skip"),
        Binding("m", "log", "Log"),
        Binding("e", "entries", "Edit"),
        Binding("u", "undo", "Undo", show=False),
        Binding("U", "redo", "Redo", show=False),
        Binding("p", "pause", "Pause"),
        Binding("r", "resume", "Resume", show=False),
        Binding("h", "history", "History"),
        Binding("l", "longer", "Longer walk", show=False),
        Binding("c", "check_in", "Check in", show=False),
        Binding("a", "advice(True)", "Accept", show=False),
        Binding("d", "advice(False)", "Decline", show=False),
        Binding("y", "yes_no(True)", "Yes", show=False),
        Binding("n", "yes_no(False)", "No", show=False),
        Binding("question_mark", "help", "Help"),
        Binding("q", "quit", "Quit", show=False),
        Binding("escape", "hide_help_panel", "Close the keys", show=False),
    ]

    # Hosting the engine on this loop

    welcome = ""
    """The config file's path, when this is the very first start: a welcome says what walkbreak
    does and where to change it, once."""

    def on_mount(self) -> None:
        if self.welcome:
            from walkbreak.tui.screens.welcome import WelcomeScreen

            self.call_after_refresh(self.push_screen, WelcomeScreen(self.settings, self.welcome))
        # The engine (and apscheduler's import) starts after the first paint, and so does the
        # streak's read: a thread parsing years of month files would hold the GIL the paint needs.
        self.call_after_refresh(lambda: self.watch_view(self.view))
        self.call_after_refresh(lambda: self.run_worker(self._start_engine(), name="engine"))
        self._arm_clock()

    async def _start_engine(self) -> None:
        try:
            await self._run_engine()
        finally:
            collector.release()  # whether or not the engine could start, the dashboard is up

    async def _run_engine(self) -> None:
        from walkbreak.engine import Engine, presence_probes
        from walkbreak.store.lease import Lease

        if not self.demo:  # after the first paint, like the engine: it is not needed for it
            from walkbreak.logs import log_to_file

            log_to_file()  # warnings, errors and the engine's notes, in the user's log dir

        self.engine = Engine(
            self.settings,
            self.store,
            self.clock,
            self.notifier,
            on_change=self._engine_changed,
            on_prompt=self._engine_prompted,
            on_followup=self._engine_followed_up,
            presence=presence_probes(self.settings, self.clock),
            lease=Lease(self.store.directory, "dashboard"),
            config=self.config,
            **self.engine_options,
        )
        await self.engine.start()

    async def on_unmount(self) -> None:
        if self.engine is not None:
            await self.engine.stop()

    def _engine_changed(self, view: DayView) -> None:
        if self.engine is not None:
            self.settings = self.engine.settings  # with the walk plan in force, read from the store
        self.view = view
        walk_flow.close_if_ended(self)
        walk = walk_flow.needing_guide(self)
        if walk is not None:  # begun from a notification or a shell: its guide shows here
            self.guiding = ""  # at once: one guide at a time, whatever comes meanwhile
            self.run_worker(walk_flow.take_over(self, walk), name="guide")

    def _engine_prompted(self, prompt: Prompt, message: PromptMessage) -> None:
        if self.settings.notify.bell:
            self.bell()
        if not isinstance(self.screen, DashboardScreen):  # there, the prompt's panel shows it
            self.notify(message.body, title=message.title, timeout=10)

    def _engine_followed_up(self, message: PromptMessage) -> None:
        if self.settings.notify.bell:
            self.bell()
        self.notify(message.body, title=message.title, timeout=10)

    QUIT_AGAIN_SECONDS = 10.0
    """How long a second q has to come after the warning that prompts stop."""

    async def action_quit(self) -> None:
        """Quit; in the dashboard that sends the prompts, only at a second q, after saying that
        the prompts stop (a user who closes it for the day should know, not find out at 17:00)."""
        import time

        engine = self.engine
        sends = engine is not None and engine.leading and not self.demo
        if sends and time.monotonic() - self._quit_warned > self.QUIT_AGAIN_SECONDS:
            self._quit_warned = time.monotonic()
            self.notify(
                "This dashboard sends your walk prompts: they stop when it closes "
                "(`walkbreak service install` keeps them coming without it).",
                title="Press q again to quit",
                severity="warning",
                timeout=self.QUIT_AGAIN_SECONDS,
            )
            return
        await super().action_quit()

    # Screens

    def action_history(self) -> None:
        from walkbreak.tui.screens.history import HistoryScreen

        self.push_screen(HistoryScreen())

    def action_entries(self) -> None:
        from walkbreak.tui.screens.entries import EntriesScreen

        self.push_screen(EntriesScreen())

    def action_help(self) -> None:
        from walkbreak.tui.screens.help import HelpScreen

        self.push_screen(HelpScreen())

    def on_entries_screen_edit(self, message: EntriesScreen.Edit) -> None:
        self.edit_bout(message.bout)

    def on_entries_screen_delete(self, message: EntriesScreen.Delete) -> None:
        self.delete_bout(message.bout)

    def on_walk_screen_phase_changed(self, message: WalkScreen.PhaseChanged) -> None:
        self.phase_changed(message.name, message.cue)

    def phase_changed(self, name: str, cue: str) -> None:
        """The walk guide moved to a new part: bell, toast, and a desktop notification if configured."""
        if self.settings.notify.bell:
            self.bell()
        self.notify(cue, title=f"Now: {name} pace", timeout=4)
        if self.settings.notify.walk_phases:
            message = PromptMessage(f"Now: {name} pace", cue, 0, False, 60, answers=False)
            self.run_worker(self.notifier.show(message), group="phase")

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for title, help_text, action in (
            ("Walk now", "Answer the prompt and start the walk guide", self.action_walk),
            ("Snooze", "Put the waiting prompt off", self.action_snooze),
            ("Skip", "Skip the waiting prompt, with a reason", self.action_skip),
            ("Longer walk", "9, 12 or 15 minutes: comfortable, brisk, comfortable", self.action_longer),
            ("Check in", "How your back feels after today's latest walk", self.action_check_in),
            ("Log a walk", "A walk taken without a prompt", self.action_log),
            ("Edit today's walks", "Change or delete a walk", self.action_entries),
            ("Undo", "Undo the last change to today's walks", self.action_undo),
            ("Redo", "Put back what Undo took", self.action_redo),
            ("Pause prompts", "30 min, 1 h, 2 h or the rest of today", self.action_pause),
            ("Resume prompts", "End a pause now", self.action_resume),
            ("History", "The last 7 and 30 days", self.action_history),
            ("Help", "Keys, and what walkbreak is not", self.action_help),
        ):
            yield SystemCommand(title, help_text, action)


def make_app(
    settings: Settings, store: Store, clock: Clock, *, demo: bool = False, config: ConfigWatch | None = None
) -> WalkbreakApp:
    """The dashboard as the CLI, the demo and the tests build it."""
    logging.getLogger().addHandler(logging.NullHandler())  # nothing may print over the screen
    logging.captureWarnings(True)
    # A damaged file moved aside or an unreadable record: to the log, never printed over the screen.
    store.warn = logging.getLogger("walkbreak.store").warning
    now = clock.now()
    # Read before the event loop runs, so the first frame already shows the day.
    first = day_view(settings, now, answers.planning_log(store, now))
    return WalkbreakApp(settings, store, clock, None, demo=demo, first_view=first, config=config)
