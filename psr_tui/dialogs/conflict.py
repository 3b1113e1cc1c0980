"""Another session saved the record first: reload theirs, or apply mine on top."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label

from psr_tui.errors import ConflictError
from psr_tui.widgets.text import literal


class ConflictDialog(ModalScreen[bool]):
    """Another session saved the record first: reload (False) or overwrite (True)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "r,escape",
            "answer(False)",
            "Reload",
            tooltip="Drop my change and show theirs",
            id="conflict.reload",
        ),
        Binding(
            "o",
            "answer(True)",
            "Overwrite",
            tooltip="Apply my change on top of theirs",
            id="conflict.overwrite",
        ),
    ]
    DEFAULT_CSS = """
    ConflictDialog { align: center middle; }
    ConflictDialog > Vertical {
        width: 72; max-width: 100%; height: auto; padding: 1 2;
        border: thick $error; background: $surface;
    }
    ConflictDialog Horizontal { height: auto; margin-top: 1; align-horizontal: right; }
    ConflictDialog Button { margin-left: 1; }
    """

    def __init__(self, error: ConflictError, change: str) -> None:
        super().__init__()
        self.error, self.change = error, change

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(
                literal(
                    f"{self.error}, after you opened it. Your change ({self.change}) is not saved "
                    "yet: reload (r) to see theirs and drop yours, or overwrite (o) to apply "
                    "yours on top of theirs."
                )
            )
            with Horizontal():
                yield Button("Reload (r)", id="reload")
                yield Button("Overwrite (o)", variant="warning", id="overwrite")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "overwrite")

    def action_answer(self, overwrite: bool) -> None:
        self.dismiss(overwrite)
