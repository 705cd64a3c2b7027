"""One-line tips for walking with a sensitive back, shown in rotation, never twice in a row.

Prompts and the walk guide draw from separate lists (what to do before a walk, how to walk),
so a tip on the guide never repeats the prompt just answered; each list rotates on its own.
"""

from __future__ import annotations

from walkbreak.core.model import DayLog, Prompt

PROMPT_TIPS: tuple[str, ...] = (
    "Supportive shoes make short walks easier on the back.",
    "More short walks first; more distance later.",
    "Short, comfortable walks through the day beat one long session.",
    "Brisk means you can still speak in full sentences, without gasping.",
)
WALK_TIPS: tuple[str, ...] = (
    "Swing your arms with intent, elbows bent about 90°.",
    "Keep your hands from crossing your body's midline as they swing.",
    "Keep your shoulders square and relaxed.",
    "If long strides tense your low back, try a slightly shorter stride.",
)
TIPS = PROMPT_TIPS + WALK_TIPS


def prompt_tip(log: DayLog, prompt: Prompt) -> str:
    """The tip for this showing of `prompt`: each showing (first, or back from a snooze) moves on one."""
    before = sum(1 + p.snoozes for p in log.prompts if p.fired_at < prompt.fired_at and p.id != prompt.id)
    return PROMPT_TIPS[(log.day.toordinal() + before + prompt.snoozes) % len(PROMPT_TIPS)]


def walk_tip(number: int) -> str:
    """The tip for the `number`-th walk guide; the dashboard counts them, so the next is another."""
    return WALK_TIPS[number % len(WALK_TIPS)]
