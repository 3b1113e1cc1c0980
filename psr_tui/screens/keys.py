"""`?`: the keys of the screen underneath, with what they do."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Label


class KeysScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close", id="keys.close")]
    DEFAULT_CSS = """
    KeysScreen { align: center middle; }
    KeysScreen > VerticalScroll {
        width: 80; max-height: 90%; height: auto; border: thick $primary; background: $surface;
        padding: 0 1;
    }
    KeysScreen DataTable { height: auto; }
    """

    def __init__(self, screen: Screen[object]) -> None:
        super().__init__()
        self.for_screen = screen

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Label("[b]Keys[/b]  (escape closes)")
            yield DataTable(cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Key", "Does", "Where")
        seen: set[tuple[str, str]] = set()
        for active in self.for_screen.active_bindings.values():
            binding = active.binding
            label = binding.description or binding.action
            if (label, binding.action) in seen or binding.system:
                continue
            seen.add((label, binding.action))
            where = "everywhere" if active.node is self.app else type(active.node).__name__
            display = binding.key_display or self.app.get_key_display(binding)
            table.add_row(display, binding.tooltip or label, where)
        table.focus()
