"""Helpers shared by the Pilot tests: waiting for saves, filling a field, reading a table's
cells, typing a burst of keys."""

from __future__ import annotations

from textual import events
from textual.keys import _character_to_key
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, TextArea

from psr_tui.app import PsrApp


async def settle(app: PsrApp, pilot: Pilot[None]) -> None:
    """Wait until every queued save has landed and its callbacks have run."""
    await pilot.pause()
    app.flush_writes()
    await pilot.pause()


async def fill(pilot: Pilot[None], text: str) -> None:
    """Replace the focused field's text with `text` at once.

    For values whose typing is not what a test is about (file paths, titles, dates): a
    Pilot key press waits for the app to go idle, so typing a path costs seconds. The keys
    that move between fields and save are still pressed by the test.
    """
    field = pilot.app.focused
    if isinstance(field, Input):
        field.value = text
        field.cursor_position = len(text)
    elif isinstance(field, TextArea):
        field.text = text
        field.move_cursor(field.document.end)
    else:
        raise AssertionError(f"no text field has the focus, {field!r} has")
    await pilot.pause()


def table_rows(table: DataTable[object]) -> list[list[str]]:
    """Each row's cells as text, top to bottom."""
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


# The characters of the keys named in bursts (other named keys have none).
NAMED_CHARACTERS = {"space": " ", "tab": "\t", "enter": "\r"}


async def burst(app: PsrApp, *keys: str | events.Paste) -> None:
    """Post every key (pilot names: "R", "tab", "ctrl+s") and paste to the app at once, as
    the terminal driver does with keys that arrive together, then wait until all are handled.
    """
    for key in keys:
        if isinstance(key, events.Paste):
            app.post_message(key)
            continue
        character = key if len(key) == 1 else NAMED_CHARACTERS.get(key)
        name = _character_to_key(key) if len(key) == 1 and not key.isalnum() else key
        app.post_message(events.Key(name, character))
    await app.input_queue.wait_until_handled()
