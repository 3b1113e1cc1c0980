"""Another session changed the same field first: reload theirs, or put mine over it.

One dialog for every record type. It says who changed the record and when, and for each
field both sessions changed, its name as the forms call it, their value and this
session's. Overwrite writes only the fields this session changed: their other changes stay.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Label

from psr_tui.changes.clashes import clash_texts
from psr_tui.errors import ConflictError
from psr_tui.models import Framework
from psr_tui.widgets.text import literal


class ConflictDialog(ModalScreen[bool]):
    """Reload (False: drop my change, show theirs) or overwrite (True).

    `change` says what this session was saving ("edited R3"); `framework` names the
    domains of an assessment record's per-domain fields ("Governance score").
    """

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
            tooltip="Put my values over theirs in the fields I changed; their other changes stay",
            id="conflict.overwrite",
        ),
    ]
    DEFAULT_CSS = """
    ConflictDialog { align: center middle; }
    ConflictDialog > Vertical {
        width: 76; max-width: 100%; height: auto; max-height: 100%; padding: 1 2;
        border: thick $error; background: $surface;
    }
    ConflictDialog Label { width: 100%; }
    ConflictDialog #clashes { height: auto; max-height: 12; margin-top: 1; }
    ConflictDialog #choice { margin-top: 1; }
    ConflictDialog Horizontal { height: auto; margin-top: 1; align-horizontal: right; }
    ConflictDialog Button { margin-left: 1; }
    """

    def __init__(
        self, error: ConflictError, change: str, *, framework: Framework | None = None
    ) -> None:
        super().__init__()
        self.error, self.change = error, change
        self.clashes = clash_texts(error, framework)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(literal(f"{self.error}, after you opened it."), id="changed-by")
            if self.clashes:
                with VerticalScroll(id="clashes"):
                    for clash in self.clashes:
                        yield Label(
                            Content.assemble(
                                literal(clash.field, "bold"),
                                ": theirs ",
                                literal(clash.theirs, "$warning"),
                                ", yours ",
                                literal(clash.mine, "$accent"),
                            ),
                            classes="clash",
                        )
                choice = (
                    f"Your change ({self.change}) is not saved yet: reload (r) keeps theirs "
                    "and drops yours; overwrite (o) puts yours in these fields. Their changes "
                    "to any other field stay either way."
                )
            else:
                choice = (
                    f"Your change ({self.change}) is not saved yet: reload (r) to see theirs "
                    "and drop yours, or overwrite (o) to apply yours on top of theirs."
                )
            yield Label(literal(choice), id="choice")
            with Horizontal():
                yield Button("Reload (r)", id="reload")
                yield Button("Overwrite (o)", variant="warning", id="overwrite")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "overwrite")

    def action_answer(self, overwrite: bool) -> None:
        self.dismiss(overwrite)
