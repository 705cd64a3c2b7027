"""One-line tips for walking with a sensitive back, shown in rotation, never twice in a row.

Prompts and the walk guide draw from separate lists (what to do before a walk, how to walk),
so a tip on the guide never repeats the prompt just answered; each list rotates on its own.
A tip about the brisk part or variety is shown only for a walk that has a brisk part (the
routine): never while walks are comfortable or gentle, so a tip never contradicts the walk.
"""

from __future__ import annotations

from walkbreak.core.model import DayLog, Prompt
from walkbreak.core.routine import Pace

BRISK_TIP = "Brisk means you can still speak in full sentences, without gasping."

PROMPT_TIPS: tuple[str, ...] = (
    "Supportive shoes make short walks easier on the back.",
    "More short walks first; more distance later.",
    "Short, comfortable walks through the day beat one long session.",
    BRISK_TIP,
)
WALK_TIPS: tuple[str, ...] = (
    "Swing your arms with intent, elbows bent about 90°.",
    "Keep your hands from crossing your body's midline as they swing.",
    "Keep your shoulders square and relaxed.",
    "If long strides tense your low back, try a slightly shorter stride.",
)
TIPS = PROMPT_TIPS + WALK_TIPS

ROUTINE_ONLY: frozenset[str] = frozenset({BRISK_TIP})
"""Tips about the brisk part, hills or variety: for the routine only."""


def tips_for(tips: tuple[str, ...], pace: str) -> tuple[str, ...]:
    """The tips of `tips` that fit a walk at `pace`."""
    return tips if pace == Pace.ROUTINE else tuple(t for t in tips if t not in ROUTINE_ONLY)


def prompt_tip(log: DayLog, prompt: Prompt, pace: str = Pace.COMFORTABLE) -> str:
    """The tip for this showing of `prompt`, for walks at `pace` (the walk plan in force).

    Each showing (first, or back from a snooze) moves on one.
    """
    before = sum(1 + p.snoozes for p in log.prompts if p.fired_at < prompt.fired_at and p.id != prompt.id)
    tips = tips_for(PROMPT_TIPS, pace)
    return tips[(log.day.toordinal() + before + prompt.snoozes) % len(tips)]


def walk_tip(number: int, pace: str = Pace.COMFORTABLE) -> str:
    """The tip for the `number`-th walk guide, a walk at `pace` (the dashboard counts the guides,
    so the next is another): "routine" for the longer walk, else the walk plan's pace."""
    tips = tips_for(WALK_TIPS, pace)
    return tips[number % len(tips)]
