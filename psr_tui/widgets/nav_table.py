"""NavTable: the row-cursor list table of every section (j/k as well as the arrows).

Rows are keyed (a record's doc id or another stable key), so a screen that rebuilds the
table after a change puts the cursor back on the same record with `select_key`.
"""

from __future__ import annotations

import contextlib
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import DataTable
from textual.widgets.data_table import RowDoesNotExist


class NavTable(DataTable[object]):
    """A zebra-striped table with a row cursor that also moves with j/k."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False, tooltip="Next row", id="table.down"),
        Binding("k", "cursor_up", "Up", show=False, tooltip="Previous row", id="table.up"),
    ]

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, cursor_type="row", zebra_stripes=True)

    def selected_key(self) -> str | None:
        """The key of the row under the cursor (None for an empty table)."""
        if not self.row_count:
            return None
        return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value

    def select_key(self, key: str | None) -> None:
        """Put the cursor on the row with `key`, if there is one."""
        if key is None:
            return
        # The record may have gone (deleted here or in another session): the cursor stays put.
        with contextlib.suppress(RowDoesNotExist):
            self.move_cursor(row=self.get_row_index(key))
