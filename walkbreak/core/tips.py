"""One-line tips for walking with a sensitive back, shown in rotation, never twice in a row."""

from __future__ import annotations

from walkbreak.core.model import DayLog, Prompt

TIPS: tuple[str, ...] = (
    "Supportive shoes make short walks easier on the back.",
    "Swing your arms with intent, elbows bent about 90°.",
    "Keep your hands from crossing your body's midline as they swing.",
    "Keep your shoulders square and relaxed.",
    "If long strides tense your low back, try a slightly shorter stride.",
    "More short walks first; more distance later.",
    "Brisk means you can still speak in full sentences, without gasping.",
)


def tip(number: int) -> str:
    """The `number`-th tip of the rotation; consecutive numbers never give the same tip."""
    return TIPS[number % len(TIPS)]


def prompt_tip(log: DayLog, prompt: Prompt) -> str:
    """The tip for this showing of `prompt`.

    Every showing of a prompt (first, or back from a snooze) and every walk moves the rotation
    on by one, so whatever the user sees next (the walk guide, the next prompt) has another tip.
    """
    others = sum(1 + p.snoozes for p in log.prompts if p.id != prompt.id)
    return tip(log.day.toordinal() + others + prompt.snoozes + len(log.bouts))


def walk_tip(log: DayLog) -> str:
    """The tip for the walk guide opened now: the one after the prompt shown last."""
    shown = sum(1 + p.snoozes for p in log.prompts)
    return tip(log.day.toordinal() + shown + len(log.bouts))
