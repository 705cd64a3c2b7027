"""`walkbreak status --format` templates and the fields waybar reads from `--json`.

One set of named fields serves every status bar: tmux, waybar, starship, polybar, i3blocks.
"""

from __future__ import annotations

from datetime import datetime

from walkbreak.core.planner import Plan, PlanState
from walkbreak.core.status import clock_label, countdown, format_number, next_text, status_line
from walkbreak.core.tally import DayTally

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (see core/named_tuple.py)
if TYPE_CHECKING:
    from typing import Any

FIELDS: dict[str, str] = {
    "bouts": "walks done today",
    "target": "walks to aim for today (0 on a day off)",
    "minutes": "minutes walked today",
    "target_minutes": "the day's target in minutes",
    "percent": "walks against the target, 0-100",
    "spread": "work hours that had a walk",
    "work_hours": "work hours today",
    "next": 'the next prompt\'s time ("14:35"), "now" when one is waiting, "" when none will come today',
    "in": 'time until the next prompt ("22 min"), "" when none',
    "state": "scheduled, due, paused, held, target_met, no_prompts_today or day_over",
    "paused_until": 'end of a pause in force ("14:00"), else ""',
    "met": '"✓" once the target is met, else ""',
    "next_text": 'what comes next in words ("next 14:35 (in 22 min)")',
    "status": "the whole status line",
}
"""Every placeholder a template may use, and what it holds."""


NOTIFICATIONS_DOWN = "desktop notifications unavailable: prompts show only in walkbreak"
"""Said wherever the user looks when no backend can deliver a prompt."""


def field_values(tally: DayTally, plan: Plan, now: datetime) -> dict[str, str]:
    """The value of every field, as text."""
    due = plan.state is PlanState.DUE
    return {
        "bouts": str(tally.bouts),
        "target": str(tally.target),
        "minutes": format_number(tally.minutes),
        "target_minutes": str(tally.target_minutes),
        "percent": str(percent(tally)),
        "spread": str(tally.spread),
        "work_hours": str(tally.work_hours),
        "next": "now" if due else (clock_label(plan.at, now) if plan.at else ""),
        "in": "" if due or plan.at is None else countdown(plan.at, now).removeprefix("in "),
        "state": plan.state.value,
        "paused_until": clock_label(plan.paused_until, now) if plan.paused_until else "",
        "met": "✓" if tally.met else "",
        "next_text": next_text(plan, now),
        "status": status_line(tally, plan, now),
    }


def percent(tally: DayTally) -> int:
    """Walks against the target as a whole percentage, capped at 100 (0 on a day off)."""
    return min(100, round(100 * tally.bouts / tally.target)) if tally.target else 0


def check_template(template: str) -> None:
    """Raise ValueError naming the first placeholder that is not a field (or a broken brace)."""
    import string  # only for a --format template: a plain `status` need not pay for it

    try:
        parts = list(string.Formatter().parse(template))
    except ValueError as err:
        raise ValueError(f"{template!r} is not a template: {err} (write {{{{ and }}}} for braces)") from None
    for _, name, spec, conversion in parts:
        if name is None:
            continue
        if spec or conversion:
            written = (
                "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
            )
            raise ValueError(
                f"{written} in --format: fields take no format spec or conversion; write {{{name}}}"
            )
        if name not in FIELDS:
            allowed = ", ".join("{" + f + "}" for f in FIELDS)
            raise ValueError(f"unknown placeholder {{{name}}} in --format; allowed: {allowed}")


def render(template: str, values: dict[str, str]) -> str:
    """Fill `template` with field values (check it first with `check_template`)."""
    return template.format_map(values)


def waybar(tally: DayTally, plan: Plan, now: datetime, text: str, notifications: str = "") -> dict[str, Any]:
    """The keys waybar's custom module reads (`return-type: json`): text, tooltip, class, percentage.

    `notifications` is why prompts cannot reach the desktop: then the tooltip says so and the
    class `no-notifications` lets the bar show it (the status bar is where the user looks).
    """
    values = field_values(tally, plan, now)
    state = plan.state.value.replace("_", "-")
    tooltip = [values["status"], f"spread {tally.spread} of {tally.work_hours} work hours"]
    classes = [state, "met"] if tally.met else [state]
    if notifications:
        tooltip.append(f"{NOTIFICATIONS_DOWN} ({notifications})")
        classes.append("no-notifications")
    return {
        "text": text,
        "tooltip": "\n".join(tooltip),
        "class": classes,
        "percentage": percent(tally),
        "alt": state,
    }
