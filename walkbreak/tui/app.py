"""The walkbreak dashboard: hosts the engine on Textual's loop and answers prompts with one key."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.reactive import reactive
from textual.screen import Screen

from walkbreak import answers, ids
from walkbreak.clock import Clock
from walkbreak.core import actions, checkins, walking
from walkbreak.core.actions import Changes, NotAllowed
from walkbreak.core.care import followup_waiting
from walkbreak.core.message import PromptMessage
from walkbreak.core.model import Bout, DayLog, Prompt, SkipReason
from walkbreak.core.planner import PlanState
from walkbreak.core.settings import Settings, plan_in_force, with_plan
from walkbreak.core.timeline import elapsed
from walkbreak.core.today import DayView, day_view
from walkbreak.core.walk_plans import longer_walk_refused, longer_walks
from walkbreak.notify.notifier import Notifier
from walkbreak.store import Store
from walkbreak.tui import walk_flow
from walkbreak.tui.screens.dashboard import DashboardScreen

if TYPE_CHECKING:
    from textual.driver import Driver

    from walkbreak.config_watch import ConfigWatch
    from walkbreak.engine import Engine
    from walkbreak.tui.screens.entries import EntriesScreen
    from walkbreak.tui.screens.walk import WalkScreen


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


class WalkbreakApp(App[None]):
    """The dashboard.

    Args:
        settings: the user's settings.
        store: the records.
        clock: the time (scaled in the demo).
        notifier: desktop notifications for prompts.
        demo: show that this is the demo, on throwaway data.
        first_view: today as read before the app started, so the first frame shows it.
    """

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
    ]

    view: reactive[DayView | None] = reactive(None, always_update=True)
    """The engine's latest view of today."""
    streak: reactive[int | None] = reactive(None)
    """Days in a row meeting the target (read from history after start and at midnight)."""
    minute: reactive[int] = reactive(0)
    """Ticks as the clock moves on, so countdowns redraw."""

    def __init__(
        self,
        settings: Settings,
        store: Store,
        clock: Clock,
        notifier: Notifier,
        *,
        demo: bool = False,
        first_view: DayView | None = None,
        config: ConfigWatch | None = None,
    ) -> None:
        super().__init__()
        self.set_reactive(WalkbreakApp.view, first_view)
        self.settings = settings
        self.store = store
        self.clock = clock
        self.notifier = notifier
        self.demo = demo
        self.config = config
        self.engine: Engine | None = None
        self.engine_options: dict[str, Any] = {}
        """More arguments for the engine (the tests shorten its idle ticks)."""
        self.undo_stack: list[tuple[str, Callable[[DayLog], Changes]]] = []
        """What u takes back, newest last: a label and the change that undoes it, decided at undo time."""
        self._guiding: str | None = None
        self.guided = clock.now().toordinal()
        """Walk guides opened (from a day-based start): each shows the next walking tip."""
        self._day: date | None = None
        self.errors: list[Exception] = []
        """Failures caught inside the running app (kept for tests and the log)."""

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

    def on_mount(self) -> None:
        # The engine (and apscheduler's import) starts after the first paint, and so does the
        # streak's read: a thread parsing years of month files would hold the GIL the paint needs.
        self.call_after_refresh(lambda: self.watch_view(self.view))
        self.call_after_refresh(lambda: self.run_worker(self._start_engine(), name="engine"))
        self._arm_clock()

    async def _start_engine(self) -> None:
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

    # From the engine (same loop)

    def _engine_changed(self, view: DayView) -> None:
        if self.engine is not None:
            self.settings = self.engine.settings  # with the walk plan in force, read from the store
        self.view = view
        walk_flow.close_if_ended(self)
        walk = walk_flow.needing_guide(self)
        if walk is not None:  # begun from a notification or a shell: its guide shows here
            self.guiding = ""  # at once: one guide at a time, whatever comes meanwhile
            self.run_worker(walk_flow.take_over(self, walk), name="guide")

    def watch_view(self, view: DayView | None) -> None:
        """A new day: fresh undo history, and the streak read again."""
        if view is not None and view.now.date() != self._day:
            self._day = view.now.date()
            self.undo_stack.clear()
            self.run_worker(self._read_streak, thread=True, exclusive=True, group="streak")

    def _engine_prompted(self, prompt: Prompt, message: PromptMessage) -> None:
        if self.settings.notify.bell:
            self.bell()
        self.notify(message.body, title=message.title, timeout=10)

    def _engine_followed_up(self, message: PromptMessage) -> None:
        if self.settings.notify.bell:
            self.bell()
        self.notify(message.body, title=message.title, timeout=10)

    def _read_streak(self) -> None:
        from walkbreak.summary import current_streak, tallies

        today = self.clock.now().date()
        now = self.clock.now()
        known = tallies(self.store, self.settings, today - timedelta(days=31), today, now)
        value = current_streak(self.store, self.settings, known, today, now)
        self.call_from_thread(setattr, self, "streak", value)

    # Redrawing as time passes: once a clock minute, each second in the last minute before a prompt

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

    # Answers

    # Screens other than the dashboard are imported when first opened: the first paint waits for none.

    def action_walk(self, minutes: float | None = None, pace: str | None = None) -> None:
        """Walk now: answer the prompt and open the walk guide (`minutes`: a longer walk)."""
        if self.guiding is None:
            self.guiding = ""  # at once: a second key press cannot start a second walk
            self.run_worker(walk_flow.start(self, minutes, pace), name="walk")

    def action_longer(self) -> None:
        """The longer interval walk, for when there is time: 3, 4 or 5 minutes per part."""
        from walkbreak.tui.screens.choices import ChoiceScreen

        walk = plan_in_force(self.settings)
        if walk.held_since is not None:
            self.run_worker(walk_flow.show_hold(self))
            return
        refused = longer_walk_refused(walk)
        if refused:
            self.notify(refused)
            return

        options = [
            (str(n), f"{m} minutes ({m // 3} + {m // 3} + {m // 3})", m)
            for n, m in enumerate(longer_walks(walk), 1)
        ]

        def chosen(minutes: int | None) -> None:
            if minutes is not None:
                self.action_walk(float(minutes), "routine")

        self.push_screen(ChoiceScreen("A longer walk: comfortable, brisk, comfortable", options), chosen)

    def action_check_in(self) -> None:
        """Check in for today's latest walk that has none (e.g. one answered from a notification)."""
        try:
            bout_id = checkins.walk_to_check_in(self.view.log) if self.view else None
        except NotAllowed as why:
            self.notify(f"{str(why)[:1].upper()}{str(why)[1:]}.")
            return
        if bout_id is not None:
            self.run_worker(self.check_in_for(bout_id), name="check-in")

    async def check_in_for(self, bout_id: str) -> None:
        """Ask how the back feels after the walk `bout_id`, and record the answer."""
        from walkbreak.tui.screens.check_in import CheckInScreen

        answer = await self.push_screen_wait(CheckInScreen())
        if answer is None:
            return
        feeling, flags = answer
        now = self.clock.now()
        decide = lambda day: checkins.check_in(  # noqa: E731
            self.settings, now, day, ids.new_id, feeling, flags, bout_id
        )
        if not await self.write(decide, care=True):
            return
        if flags:
            from walkbreak.tui.screens.red_flag import RedFlagScreen

            await self.push_screen_wait(RedFlagScreen(tuple(f.value for f in flags)))
        elif self.view and checkins.waiting_advice(self.view.log):
            self.notify("walkbreak has a suggestion: see the dashboard.", timeout=6)

    def action_snooze(self) -> None:
        self.run_worker(self._engine_answer("snooze"))

    def action_skip(self) -> None:
        from walkbreak.tui.screens.choices import ChoiceScreen

        def chosen(reason: SkipReason | None) -> None:
            if reason is not None:
                self.run_worker(self._engine_answer("skip", reason=reason))

        self.push_screen(ChoiceScreen("Skip this walk because…", SKIP_REASONS), chosen)

    def action_pause(self) -> None:
        from walkbreak.tui.screens.choices import ChoiceScreen

        def chosen(length: str | None) -> None:
            if length is not None:
                minutes = None if length == "day" else int(length)
                self.run_worker(self._engine_answer("pause", minutes=minutes))

        self.push_screen(ChoiceScreen("Pause prompts for…", PAUSES), chosen)

    def action_resume(self) -> None:
        """End a pause at once; ending the hold after a red flag asks first."""
        from walkbreak.tui.screens.choices import ChoiceScreen

        if plan_in_force(self.settings).held_since is None:
            self.run_worker(self._engine_answer("resume"))
            return

        def chosen(fine: bool | None) -> None:
            if fine:
                self.run_worker(self._engine_answer("resume"))

        question = "Prompts are held after a red flag. Has a doctor said walking is fine?"
        options = [("y", "Yes: resume walk prompts", True), ("n", "No: keep them held", False)]
        self.push_screen(ChoiceScreen(question, options), chosen)

    async def _engine_answer(
        self, key: str, reason: SkipReason = SkipReason.NOT_GIVEN, minutes: int | None = None
    ) -> None:
        if self.engine is None:
            self.notify("Still starting up; try again in a moment.", severity="warning")
            return
        refused = await self.engine.act(key, reason, minutes)
        if refused:
            self.notify(refused, severity="warning")

    def action_yes_no(self, yes: bool) -> None:
        """y/n answer the question on screen: the away period first, then the follow-up."""
        view = self.view
        if view and any(not a.answer for a in view.log.away):
            self.action_away(yes)
        else:
            self.action_followup(yes)

    def action_away(self, walking: bool) -> None:
        view = self.view
        away = next((a for a in view.log.away if not a.answer), None) if view else None
        if away is not None:
            self.run_worker(
                self.write(lambda day: actions.answer_away(away, walking, ids.new_id), undo="the answer")
            )

    def action_followup(self, settled: bool) -> None:
        """Answer "has the soreness settled?"."""
        view = self.view
        waiting = followup_waiting(self.settings, view.log.checkins, self.clock.now()) if view else None
        if waiting is None:
            return
        now = self.clock.now()
        self.run_worker(
            self.write(lambda day: checkins.answer_followup(now, day, waiting.id, settled), care=True)
        )

    def action_advice(self, accept: bool) -> None:
        """Accept or decline the suggestion on screen."""
        advice = checkins.waiting_advice(self.view.log) if self.view else None
        if advice is None:
            return
        now = self.clock.now()

        async def answer() -> None:
            decide = lambda day: checkins.answer_advice(  # noqa: E731
                self.settings, now, day, ids.new_id, advice.id, accept
            )
            if await self.write(decide):
                self.notify(f"From now on: {advice.text}." if accept else "Declined; nothing changes.")

        self.run_worker(answer())

    # Today's walks: log, change, delete, undo

    def action_log(self) -> None:
        from walkbreak.tui.screens.log_walk import LogWalkScreen

        minutes = float(self.settings.walk.bout_minutes)

        def save(answer: tuple[datetime, float] | None) -> None:
            if answer is not None:
                start, length = answer
                self.run_worker(
                    self.write(
                        lambda day: walking.record(
                            self.settings, self.clock.now(), day, ids.new_id, start, length
                        ),
                        undo="the walk you logged",
                    )
                )

        self.push_screen(LogWalkScreen("Log a walk", self.clock.now(), minutes), save)

    def edit_bout(self, bout: Bout) -> None:
        """Change a walk's minutes and start."""
        from walkbreak.tui.screens.log_walk import LogWalkScreen

        def save(answer: tuple[datetime, float] | None) -> None:
            if answer is not None:
                start, minutes = answer
                changed = bout._replace(start=start, minutes=minutes)

                def change(day: DayLog) -> Changes:
                    walking.check_fits(day, start, minutes, self.clock.now(), ignore=bout.id)
                    return Changes(replace=(changed,))

                self.run_worker(self.write(change, undo="the change"))

        self.push_screen(LogWalkScreen("Change this walk", self.clock.now(), bout.minutes, bout.start), save)

    def delete_bout(self, bout: Bout) -> None:
        """Delete a walk, with its check-in and what followed from it (u brings them back)."""
        kept: list[str] = []

        def delete(day: DayLog) -> Changes:
            kept[:] = [note for note in [checkins.removal_note(day, bout)] if note]
            return checkins.remove_walk(day, bout)

        async def run() -> None:
            if await self.write(delete, undo="the deletion") and kept:
                self.notify(kept[0], timeout=8)

        self.run_worker(run())

    def action_undo(self) -> None:
        if not self.undo_stack:
            self.notify("Nothing to undo.")
            return
        label, inverse = self.undo_stack.pop()
        self.run_worker(self.write(inverse))
        self.notify(f"Undid {label}.")

    async def write(
        self,
        decide: Callable[[DayLog], Changes],
        undo: str | None = None,
        care: bool = False,
        day: date | None = None,
    ) -> bool:
        """Apply an answer through the store (in a thread), then re-plan; errors become toasts.

        With `undo`, the change can be taken back with u; with `care`, the care rules then add
        the suggestion the check-ins call for, if any. `day`: another day than today (a walk
        begun before midnight).
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
        if self.engine is not None:
            await self.engine.replan()
        else:
            self.settings = with_plan(self.settings, self.store.plan(now.date()))
        return True

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

    async def on_dashboard_screen_answered(self, message: DashboardScreen.Answered) -> None:
        await self.run_action(message.action)

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
            ("Pause prompts", "30 min, 1 h, 2 h or the rest of today", self.action_pause),
            ("Resume prompts", "End a pause now", self.action_resume),
            ("History", "The last 7 and 30 days", self.action_history),
            ("Help", "Keys, and what walkbreak is not", self.action_help),
        ):
            yield SystemCommand(title, help_text, action)


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


def make_app(
    settings: Settings, store: Store, clock: Clock, *, demo: bool = False, config: ConfigWatch | None = None
) -> WalkbreakApp:
    """The dashboard as the CLI, the demo and the tests build it."""
    from walkbreak.notify import build_notifier

    logging.getLogger().addHandler(logging.NullHandler())  # nothing may print over the screen
    logging.captureWarnings(True)
    # A damaged file moved aside or an unreadable record: to the log, never printed over the screen.
    store.warn = logging.getLogger("walkbreak.store").warning
    now = clock.now()
    # Read before the event loop runs, so the first frame already shows the day.
    first = day_view(settings, now, answers.planning_log(store, now))
    notifier = build_notifier(settings.notify)
    return WalkbreakApp(settings, store, clock, notifier, demo=demo, first_view=first, config=config)
