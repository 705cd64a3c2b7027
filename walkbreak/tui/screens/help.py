"""Keys, and once, plainly, what walkbreak is not."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

HELP = """\
# walkbreak

Short, frequent, comfortable walks through the workday: a few minutes at an easy pace. When
there is time, the longer walk: easy, brisk (you can still talk in full sentences), easy again.

| key | does |
|---|---|
| `w` / `Enter` | walk now (opens the walk guide; `Enter` again when you are back, then a one-key check-in; `Esc` calls it off) |
| `l` | a longer walk when you have time: 9, 12 or 15 minutes, easy · brisk · easy, 3–5 minutes per part |
| `c` | check in for a walk logged from the command line (one check-in per walk) |
| `a` / `d` | accept / decline a suggestion to scale back or up (nothing changes unless you accept) |
| `y` / `n` | answer the question on screen ("were you walking?", "has the soreness settled?") |
| `s` | snooze the waiting prompt |
| `k` | skip it, with a reason |
| `m` | log a walk you took without a prompt |
| `e` | today's walks: change or delete one |
| `u` | undo the last change to today's walks (again: the one before) |
| `U` | redo what `u` undid |
| `p` / `r` | pause prompts (30 min, 1 h, 2 h, the rest of today) / resume (after a red flag it asks first) |
| `h` | history: the last weeks, the year, the totals since your first walk |
| `←` `→` | pick an earlier or later walk on the timeline (or click its mark) |
| `ctrl+p` | every action, searchable |
| `?` | this help |
| `q` | quit (prompts stop until walkbreak runs again) |

After a walk walkbreak asks how your back feels: better, same, slightly sore, or pain spiked.
Slight soreness that settles within a few hours means the walk was tolerated; it asks again
later. Pain that spikes, lingers or gets worse each time leads to a suggestion to scale back
(shorter, gentle walks, a little rest first after a spike); walks tolerated over several days
lead to a suggestion to scale up (back to full length, then the brisk part on every walk, then
variety). A red flag holds prompts until you resume them: see a doctor first.

Answers from notification buttons and from other shells (`walkbreak walk`, `snooze`, …) show
up here within a few seconds; a walk begun there opens its walk guide here.

**walkbreak is a reminder tool, not medical advice.** See a doctor promptly for severe back
pain, new numbness, tingling or weakness in a leg, or pain after a fall or accident; ask a
health professional what to avoid.
"""


class HelpScreen(ModalScreen[None]):
    """The keys and the safety note."""

    BINDINGS = [Binding("escape,question_mark,q", "dismiss(None)", "Close")]

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 80%; max-width: 90; height: 80%; border: round $primary; background: $surface; }
    """

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Markdown(HELP)
