"""Today's walks on the dashboard: log one, change or delete one, undo the last change."""

from __future__ import annotations

from datetime import datetime

from walkbreak import ids
from walkbreak.core import checkins, walking
from walkbreak.core.actions import Changes
from walkbreak.core.model import Bout, DayLog
from walkbreak.tui.app_answers import AppAnswers


class AppEdits(AppAnswers):
    """Logging, changing and deleting today's walks, and undo."""

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
        """Take back the last change; U puts it back. Each u goes one change further back, so
        the toast says what the next would take."""
        if not self.undo_stack:
            self.notify("Nothing to undo.")
            return
        label, inverse = self.undo_stack.pop()
        self.run_worker(self.write(inverse, redo=label))
        further = f"; u again undoes {self.undo_stack[-1][0]}" if self.undo_stack else ""
        self.notify(f"Undid {label} (U redoes it{further}).")

    def action_redo(self) -> None:
        """Put back what u took."""
        if not self.redo_stack:
            self.notify("Nothing to redo.")
            return
        label, change = self.redo_stack.pop()
        self.run_worker(self.write(change, undo=label, keep_redo=True))
        self.notify(f"Redid {label}.")
