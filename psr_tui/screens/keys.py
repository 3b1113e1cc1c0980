"""`?`: the keys of the screen underneath, what they do, and which work everywhere."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Label

from psr_tui.commands import KeyHelp, screen_keys
from psr_tui.widgets.text import literal, literal_text


class KeysScreen(ModalScreen[None]):
    BINDINGS = [
        Binding(
            "escape,question_mark,q", "dismiss", "Close", tooltip="Close this list", id="keys.close"
        )
    ]
    DEFAULT_CSS = """
    KeysScreen { align: center middle; }
    KeysScreen > VerticalScroll {
        width: 90%; max-width: 100; max-height: 90%; height: auto;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    KeysScreen .keys-heading { text-style: bold; color: $accent; margin-top: 1; }
    KeysScreen DataTable { height: auto; }
    """

    def __init__(self, screen: Screen[object]) -> None:
        super().__init__()
        self.for_screen = screen

    def compose(self) -> ComposeResult:
        keys = screen_keys(self.for_screen)
        title = getattr(self.for_screen, "SECTION", "") or type(self.for_screen).__name__
        with VerticalScroll():
            yield Label(literal(f"Keys: {title}  (escape closes; ctrl+p finds any command)"))
            yield Label("This screen", classes="keys-heading")
            yield self._table([k for k in keys if not k.everywhere], "here")
            yield Label("Everywhere", classes="keys-heading")
            yield self._table([k for k in keys if k.everywhere], "everywhere")

    def _table(self, keys: list[KeyHelp], table_id: str) -> DataTable[object]:
        table: DataTable[object] = DataTable(
            cursor_type="row", zebra_stripes=True, id=table_id, show_cursor=False
        )
        table.add_columns("Key", "Does", "More")
        for key in keys:
            table.add_row(*map(literal_text, (key.keys, key.description, key.tooltip)))
        if not keys:
            table.add_row("", "(no keys of its own)", "")
        return table

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()
