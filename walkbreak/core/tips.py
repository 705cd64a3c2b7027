"""One-line tips for walking with a sensitive back, shown in rotation (never twice in a row)."""

from __future__ import annotations

TIPS: tuple[str, ...] = (
    "Start at a comfortable pace, go brisk in the middle, ease off to finish.",
    "Brisk means you can still speak in full sentences.",
    "Supportive shoes make short walks easier on the back.",
    "Swing your arms, elbows bent about 90°, hands not crossing your midline.",
    "Keep your shoulders square and relaxed.",
    "If long strides tense your low back, try a slightly shorter stride.",
    "More short walks first; more distance later.",
)


def tip(number: int) -> str:
    """The tip for the `number`-th prompt; consecutive numbers never give the same tip."""
    return TIPS[number % len(TIPS)]
