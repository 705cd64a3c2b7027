"""The words of a walk prompt: short, with the walk's length, the day's progress and a tip."""

from __future__ import annotations

from walkbreak.core.model import Bout, CheckIn, DayLog, Prompt
from walkbreak.core.named_tuple import NamedTuple
from walkbreak.core.settings import Settings, plan_in_force
from walkbreak.core.tips import prompt_tip


class PromptMessage(NamedTuple):
    """What a notification says and which answers it offers.

    Attributes:
        title: the headline, e.g. "Time for a 5-minute walk".
        body: progress and a tip, e.g. "3 of 6 today · Supportive shoes make …".
        snooze_minutes: how long "Snooze" puts the prompt off.
        can_snooze: False once the prompt used its snoozes (only walk or skip remain).
        expires_in_seconds: how long the prompt stays up unanswered.
        answers: whether to offer the Walk now / Snooze / Skip buttons.
        buttons: other buttons instead, as (key, label), e.g. the check-in's Better · Same · Sore.
        about: what it asks about: the walk prompt's id, or the walk a check-in asks after. A
            button pressed on an older notification (one a server left on screen after it was
            closed) answers only while that is still asked.
    """

    title: str
    body: str
    snooze_minutes: int
    can_snooze: bool
    expires_in_seconds: int
    answers: bool = True
    buttons: tuple[tuple[str, str], ...] = ()
    about: str = ""

    def actions(self) -> tuple[tuple[str, str], ...]:
        """The buttons to offer, as (key, label): the key comes back when one is pressed."""
        if self.buttons or not self.answers:
            return self.buttons
        snooze = (("snooze", f"Snooze {self.snooze_minutes} min"),) if self.can_snooze else ()
        return (("walk", "Walk now"), *snooze, ("skip", "Skip"))


def prompt_message(settings: Settings, log: DayLog, prompt: Prompt) -> PromptMessage:
    """The message for `prompt`, given the day so far; its tip fits the walk plan in force
    (`settings` as `with_plan` made them): no brisk tip while walks are comfortable or gentle."""
    done, target = len(log.bouts), settings.walk.daily_target
    progress = f"{done} of {target} today" if done < target else f"{done} today, target met"
    if prompt.snoozes:
        progress = f"back from snooze · {progress}"
    return PromptMessage(
        title=f"Time for a {settings.walk.bout_minutes}-minute walk",
        body=f"{progress} · {prompt_tip(log, prompt, plan_in_force(settings).pace)}",
        snooze_minutes=settings.snooze.minutes,
        can_snooze=prompt.snoozes < settings.snooze.max_per_prompt,
        expires_in_seconds=settings.prompts.expire_minutes * 60,
        about=prompt.id,
    )


def followup_message(checkin: CheckIn) -> PromptMessage:
    """The follow-up hours after a "slightly sore" check-in (answered on the dashboard)."""
    return PromptMessage(
        title="Has the soreness settled?",
        body=f"At {checkin.at:%H:%M}, after a walk, your back was slightly sore. "
        "On the walkbreak dashboard: y settled, n still sore (or walkbreak checkin settled | still-sore).",
        snooze_minutes=0,
        can_snooze=False,
        expires_in_seconds=30 * 60,
        answers=False,
    )


CHECK_IN_BUTTONS = (("better", "Better"), ("same", "Same"), ("sore", "Slightly sore"))
"""The check-in's answers a notification offers; pain that spiked, or a red flag, needs more words."""


def checkin_message(settings: Settings, bout: Bout) -> PromptMessage:
    """After a walk no walk guide showed: how does the back feel? (answered like a prompt)"""
    return PromptMessage(
        title="How does your back feel after this walk?",
        body=f"Your {bout.minutes:g}-minute walk from {bout.start:%H:%M}. Pain spiked, or something new "
        "(numbness or tingling, leg weakness, severe pain, pain after a fall)? Open walkbreak, or run "
        "walkbreak checkin spiked (with --flag for something new).",
        snooze_minutes=0,
        can_snooze=False,
        expires_in_seconds=settings.prompts.expire_minutes * 60,
        answers=False,
        buttons=CHECK_IN_BUTTONS,
        about=bout.id,
    )
