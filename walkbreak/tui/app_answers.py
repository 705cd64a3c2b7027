"""The dashboard's answers to the prompt and the care questions: walk, snooze, skip, pause and
resume, the check-in, away and follow-up questions, the walk plan's suggestion."""

from __future__ import annotations

from walkbreak import ids
from walkbreak.core import actions, checkins
from walkbreak.core.actions import NotAllowed
from walkbreak.core.care import followup_waiting
from walkbreak.core.model import SkipReason
from walkbreak.core.settings import plan_in_force
from walkbreak.core.walk_plans import longer_walk_refused, longer_walks
from walkbreak.tui import walk_flow
from walkbreak.tui.app_base import PAUSES, SKIP_REASONS, AppBase


class AppAnswers(AppBase):
    """Answers with one key each."""

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
            (str(n), f"{m} minutes: {m // 3} + {m // 3} + {m // 3}", m)
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

        if (
            self.view is not None
            and actions.pending_prompt(self.settings, self.clock.now(), self.view.log) is None
        ):
            self.notify("No prompt is waiting: nothing to skip.", severity="warning")
            return  # not asked why first, to be told there was nothing to skip

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
            self.notify("Nothing to answer yes or no to now.", severity="warning")
            return
        now = self.clock.now()
        self.run_worker(
            self.write(lambda day: checkins.answer_followup(now, day, waiting.id, settled), care=True)
        )

    def action_advice(self, accept: bool) -> None:
        """Accept or decline the suggestion on screen."""
        advice = checkins.waiting_advice(self.view.log) if self.view else None
        if advice is None:
            self.notify(
                f"No suggestion is waiting: nothing to {'accept' if accept else 'decline'}.",
                severity="warning",
            )
            return
        now = self.clock.now()

        async def answer() -> None:
            decide = lambda day: checkins.answer_advice(  # noqa: E731
                self.settings, now, day, ids.new_id, advice.id, accept
            )
            if await self.write(decide):
                self.notify(f"From now on: {advice.text}." if accept else "Declined; nothing changes.")

        self.run_worker(answer())
