"""Drawing with character cells: runs of one style, and a day's column against its target."""

from __future__ import annotations

from itertools import groupby

from textual.content import Content

from walkbreak.core.tally import DayTally

BLOCKS = " ▁▂▃▄▅▆▇█"


def runs(cells: list[tuple[str, str]]) -> list[Content | str]:
    """Neighbouring (character, style) cells of one style as one piece: a wide terminal would
    otherwise have 160 pieces to style at each paint."""
    pieces: list[Content | str] = []
    for style, run in groupby(cells, key=lambda cell: cell[1]):
        text = "".join(char for char, _ in run)
        pieces.append(Content.styled(text, style) if style else text)
    return pieces


def column_cell(tally: DayTally | None, level: int, rows: int, width: int = 1) -> Content:
    """The part at `level` (0 = bottom) of a day's column `rows` high and `width` wide: full to
    the top when the target is met, the target line (┈) topping an unmet day, a dot at the foot
    of a day off, nothing for a day without a tally (before the first record)."""
    if tally is None:
        return Content(" " * width)
    if not tally.target:
        return Content.styled(("·" if level == 0 else " ") * width, "$foreground 40%")
    eighths = round(min(tally.bouts / tally.target, 1) * rows * 8) - level * 8
    if eighths <= 0:
        return Content.styled(("┈" if level == rows - 1 else " ") * width, "$foreground 40%")
    return Content.styled(BLOCKS[min(eighths, 8)] * width, "$success")
