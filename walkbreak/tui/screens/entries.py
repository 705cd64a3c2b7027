"""Today's walks, to correct: change the minutes or start, or delete; u undoes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Static

from walkbreak.core.model import Bout
from walkbreak.core.plain_text import clean
from walkbreak.tui.widgets.footer import KeysFooter

if TYPE_CHECKING:
    from walkbreak.core.today import DayView
    from walkbreak.tui.app import WalkbreakApp


class EntriesScreen(Screen[None]):
    """A table of today's walks."""

    class Edit(Message):
        """Change this walk (the app asks for its new time and length)."""

        def __init__(self, bout: Bout) -> None:
            super().__init__()
            self.bout = bout

    class Delete(Message):
        """Delete this walk (the app asks first)."""

        def __init__(self, bout: Bout) -> None:
            super().__init__()
            self.bout = bout

    app: WalkbreakApp

    BINDINGS = [
        Binding("enter,e", "edit", "Change"),
        Binding("d,delete", "delete", "Delete"),
        Binding("u", "app.undo", "Undo"),
        Binding("m", "app.log", "Log a walk"),
        Binding("escape,q", "app.pop_screen", "Back"),
    ]

    def compose(self) -> ComposeResult:
        yield Static("Today's walks  ·  Enter changes one, d deletes it, u undoes", id="entries-title")
        yield DataTable(id="entries", cursor_type="row", zebra_stripes=True)
        yield KeysFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("start", "minutes", "how", "note")
        self.watch(self.app, "view", self.show, init=True)

    def show(self, view: DayView | None) -> None:
        """Fill the table from the engine's view of today."""
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        for bout in view.log.bouts if view else ():
            table.add_row(
                f"{bout.start:%H:%M}",
                f"{bout.minutes:g}",
                bout.source.value,
                Text(clean(bout.note)),
                key=bout.id,
            )
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))

    def selected(self) -> Bout | None:
        """The walk under the cursor."""
        view = self.app.view
        table = self.query_one(DataTable)
        if view is None or not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((b for b in view.log.bouts if b.id == key), None)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a row (the table takes Enter itself) changes that walk."""
        event.stop()
        self.action_edit()

    def action_edit(self) -> None:
        bout = self.selected()
        if bout:
            self.post_message(self.Edit(bout))

    def action_delete(self) -> None:
        bout = self.selected()
        if bout:
            self.post_message(self.Delete(bout))
