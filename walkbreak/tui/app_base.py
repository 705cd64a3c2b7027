"""What the dashboard is built on: its state, the engine it hosts on Textual's loop, the clock
that redraws it, its toasts, and `write`, the one way its answers reach the store."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.notifications import SeverityLevel
from textual.reactive import reactive
from textual.screen import Screen

from walkbreak import answers
from walkbreak.clock import Clock
from walkbreak.core import checkins
from walkbreak.core.actions import Changes, NotAllowed
from walkbreak.core.model import Bout, DayLog, SkipReason
from walkbreak.core.planner import PlanState
from walkbreak.core.settings import Settings, with_plan
from walkbreak.core.tally import DayTally
from walkbreak.core.timeline import elapsed
from walkbreak.core.today import DayView
from walkbreak.store import Store
from walkbreak.tui.screens.dashboard import DashboardScreen

if TYPE_CHECKING:
    from textual.driver import Driver

    from walkbreak.config_watch import ConfigWatch
    from walkbreak.engine import Engine
    from walkbreak.notify.notifier import Notifier

log = logging.getLogger("walkbreak.tui")

SKIP_REASONS: list[tuple[str, str, SkipReason]] = [
    ("b", "Busy", SkipReason.BUSY),
    ("m", "In a meeting", SkipReason.MEETING),
    ("p", "Back pain", SkipReason.BACK_PAIN),
    ("a", "Already walked", SkipReason.ALREADY_WALKED),
]
PAUSES: list[tuple[str, str, str]] = [
    ("1", "30 minutes", "30"),
    ("2", "1 hour", "60"),
    ("3", "2 hours", "120"),
    ("4", "The rest of today", "day"),
]


class AppBase(App[None]):
    """The dashboard's state, engine and store (`WalkbreakApp` adds its keys).

    Args:
        settings: the user's settings.
        store: the records.
        clock: the time (scaled in the demo).
        notifier: desktop notifications for prompts (None: the backends for this machine, built
            when first needed).
        demo: show that this is the demo, on throwaway data.
        first_view: today as read before the app started, so the first frame shows it.
    """

    view: reactive[DayView | None] = reactive(None, always_update=True)
    """The engine's latest view of today."""
    streak: reactive[int | None] = reactive(None)
    """Days in a row meeting the target (read from history after start and at midnight)."""
    recent: reactive[dict[date, DayTally] | None] = reactive(None)
    """The tallies of the last 31 days since the first record (read with the streak), for the
    dashboard's week."""
    minute: reactive[int] = reactive(0)
    """Ticks as the clock moves on, so countdowns redraw."""

    def __init__(
        self,
        settings: Settings,
        store: Store,
        clock: Clock,
        notifier: Notifier | None,
        *,
        demo: bool = False,
        first_view: DayView | None = None,
        config: ConfigWatch | None = None,
    ) -> None:
        super().__init__()
        self.set_reactive(AppBase.view, first_view)
        self.settings = settings
        self.store = store
        self.clock = clock
        self._notifier = notifier
        self.demo = demo
        self.config = config
        self.engine: Engine | None = None
        self.engine_options: dict[str, Any] = {}
        """More arguments for the engine (the tests shorten its idle ticks)."""
        self.undo_stack: list[tuple[str, Callable[[DayLog], Changes]]] = []
        """What u takes back, newest last: a label and the change that undoes it, decided at undo time."""
        self.redo_stack: list[tuple[str, Callable[[DayLog], Changes]]] = []
        """What U puts back: what u took, newest last (emptied by any new change)."""
        self._guiding: str | None = None
        self.guided = clock.now().toordinal()
        """Walk guides opened (from a day-based start): each shows the next walking tip."""
        self._day: date | None = None
        self._quit_warned = float("-inf")
        """When q last warned that prompts stop (time.monotonic)."""
        self.errors: list[Exception] = []
        """Failures caught inside the running app (kept for tests and the log)."""

    @property
    def notifier(self) -> Notifier:
        """The desktop notifications, built on first use (by the engine, after the first paint:
        the backends' imports are not needed for it)."""
        if self._notifier is None:
            from walkbreak.notify import build_notifier

            self._notifier = build_notifier(self.settings.notify)
        return self._notifier

    @property
    def guiding(self) -> str | None:
        """The id of the walk whose guide this dashboard shows now ("" while one is starting)."""
        return self._guiding

    @guiding.setter
    def guiding(self, walk_id: str | None) -> None:
        opened_or_closed = (walk_id is None) != (self._guiding is None)
        self._guiding = walk_id
        if opened_or_closed and self.screen_stack:  # the footer's keys follow (not after shutdown)
            self.refresh_bindings()

    def _handle_exception(self, error: Exception) -> None:
        """A failure in a screen, widget, timer or worker becomes a toast; the app and its engine go on.

        Textual's default ends the app, which would stop the prompts for the rest of the day.
        Before the first screen is up there is nothing to keep, so the default applies.
        """
        if not self.is_running or self.screen_stack == []:
            super()._handle_exception(error)
            return
        self.errors.append(error)
        log.error("error inside the dashboard", exc_info=error)
        self.notify(
            f"Something went wrong: {error!r}. walkbreak keeps running.", severity="error", timeout=10
        )

    def get_default_screen(self) -> Screen[None]:
        return DashboardScreen()

    DASHBOARD_ONLY = frozenset({"longer", "check_in", "advice", "yes_no"})
    """Keys that answer what the dashboard shows: not while the walk guide, history or edit screen is up."""
    ON_A_WALK = frozenset({"help", "focus_next", "focus_previous"})
    """The only app keys while the walk guide is open (beside its own Enter and Esc; Tab moves
    between the fields of a dialog over it)."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "hide_help_panel":  # Esc closes the keys panel the palette opened, if open
            return bool(self.screen.query("HelpPanel"))
        if self.guiding is not None:
            # The walk guide is modal: no second walk, no dialog over it, no palette.
            return action in self.ON_A_WALK
        return action not in self.DASHBOARD_ONLY or isinstance(self.screen, DashboardScreen)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """A toast, in plain text unless asked: toasts carry times, reasons and errors that may hold
        a `[` (a note `[/nope]` once made a toast raise MarkupError)."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def get_driver_class(self) -> type[Driver]:
        """Textual's driver, but on Linux and macOS one whose input thread sleeps while no key
        comes (`quiet_driver`)."""
        driver = super().get_driver_class()
        if (driver.__module__, driver.__name__) != ("textual.drivers.linux_driver", "LinuxDriver"):
            return driver  # Windows, or a driver named in TEXTUAL_DRIVER
        from walkbreak.tui.quiet_driver import QuietLinuxDriver

        return QuietLinuxDriver

    def watch_view(self, view: DayView | None) -> None:
        """A new day: fresh undo history, and the streak read again."""
        if view is not None and view.now.date() != self._day:
            self._day = view.now.date()
            self.undo_stack.clear()
            self.redo_stack.clear()
            self.run_worker(self._read_streak, thread=True, exclusive=True, group="streak")

    def _read_streak(self) -> None:
        from walkbreak.summary import current_streak, tallies

        today = self.clock.now().date()
        now = self.clock.now()
        known = tallies(self.store, self.settings, today - timedelta(days=31), today, now)
        first = self.store.first_day() or today
        recent = {day: tally for day, tally in known.items() if day >= first}
        value = current_streak(self.store, self.settings, known, today, now)
        self.call_from_thread(setattr, self, "recent", recent)
        self.call_from_thread(setattr, self, "streak", value)

    def _arm_clock(self) -> None:
        now = self.clock.now()
        wait = 60 - now.second - now.microsecond / 1e6
        view = self.view
        if view and view.plan.at and view.plan.state is not PlanState.DUE:
            until = elapsed(now, view.plan.at).total_seconds()
            if 0 < until <= 61:
                wait = min(wait, 1.0)
        self.set_timer(max(wait / self.clock.speed, 0.05), self._clock_ticked)

    def _clock_ticked(self) -> None:
        self.minute += 1
        self._arm_clock()

    async def write(
        self,
        decide: Callable[[DayLog], Changes],
        undo: str | None = None,
        care: bool = False,
        day: date | None = None,
        redo: str | None = None,
        keep_redo: bool = False,
    ) -> bool:
        """Apply an answer through the store (in a thread), then re-plan; errors become toasts.

        With `undo`, the change can be taken back with u; with `care`, the care rules then add
        the suggestion the check-ins call for, if any. `day`: another day than today (a walk
        begun before midnight). `redo`: this takes a change back, and U can put it back under
        that label; a new change empties what U would put back (`keep_redo`: not this one, a redo).
        """
        now = self.clock.now()
        seen: list[tuple[DayLog, Changes]] = []

        def remember(day: DayLog) -> Changes:
            changes = decide(day)
            seen.append((day, changes))
            return changes

        try:
            if care:
                await asyncio.to_thread(answers.care_answer, self.store, self.settings, now, remember)
            else:
                await asyncio.to_thread(answers.answer, self.store, now, remember, day)
        except NotAllowed as why:
            self.notify(str(why), severity="warning")
            return False
        except Exception as err:
            log.exception("could not save")
            self.notify(f"Could not save: {err}", severity="error")
            return False
        if undo and seen:
            self.undo_stack.append((undo, _undoing(*seen[-1])))
            if not keep_redo:
                self.redo_stack.clear()
        if redo and seen:
            self.redo_stack.append((redo, _undoing(*seen[-1])))
        if self.engine is not None:
            await self.engine.replan()
        else:
            self.settings = with_plan(self.settings, self.store.plan(now.date()))
        return True


def _undoing(before: DayLog, changes: Changes) -> Callable[[DayLog], Changes]:
    """How to take `changes` back: a walk they added goes with the check-in and suggestion that
    followed from it since (decided at undo time); everything else is put back as it was."""
    inverse = changes.undone(before)
    walks = [r for r in changes.add if isinstance(r, Bout)]
    if not walks:
        return lambda day: inverse
    kept = Changes(replace=inverse.replace)  # a prompt the walk answered is open again

    def take_back(day: DayLog) -> Changes:
        removed = [checkins.remove_walk(day, b) for b in walks if any(d.id == b.id for d in day.bouts)]
        return kept._replace(remove=tuple(r for c in removed for r in c.remove))

    return take_back
