"""Ask for one line of text, checked before the dialog closes.

As in every form (psr_tui/dialogs/form.py), a control character in the text is refused
and the text it opens with shows its control characters as symbols (␛).
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from psr_tui.dialogs.confirm import close_unless_typed
from psr_tui.text import refuse_control_characters, visible
from psr_tui.widgets.text import literal


class TextInputDialog(ModalScreen[str | None]):
    """Ask for one line of text. `check` returns an error message, or None if the value is fine."""

    BINDINGS = [
        Binding(
            "escape",
            "cancel",
            "Cancel",
            id="input.cancel",
            tooltip="Close (asks first if the text was changed)",
        )
    ]
    DEFAULT_CSS = """
    TextInputDialog { align: center middle; }
    TextInputDialog > Vertical {
        width: 70; height: auto; padding: 1 2; border: thick $primary; background: $surface;
    }
    TextInputDialog #error { color: $error; width: 100%; height: auto; }
    """

    def __init__(
        self,
        prompt: str,
        value: str = "",
        *,
        placeholder: str = "",
        check: Callable[[str], str | None] | None = None,
    ) -> None:
        super().__init__()
        self.prompt = prompt
        self.value = value
        self.placeholder = placeholder
        self.check = check

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(literal(self.prompt))
            yield Input(visible(self.value), placeholder=self.placeholder, id="value")
            yield Label("", id="error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        try:
            refuse_control_characters(event.value, "The text")
        except ValueError as exc:
            event.input.value = visible(event.value)
            self.query_one("#error", Label).update(literal(str(exc)))
            return
        error = self.check(event.value) if self.check else None
        if error:
            self.query_one("#error", Label).update(literal(error))
            return
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        close_unless_typed(self, self.query_one("#value", Input).value != visible(self.value))
