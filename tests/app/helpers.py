"""Helpers shared by the Pilot tests: waiting for saves, reading a table's cells."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import DataTable

from psr_tui.app import PsrApp


async def settle(app: PsrApp, pilot: Pilot[None]) -> None:
    """Wait until every queued save has landed and its callbacks have run."""
    await pilot.pause()
    app.flush_writes()
    await pilot.pause()


def table_rows(table: DataTable[object]) -> list[list[str]]:
    """Each row's cells as text, top to bottom."""
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
