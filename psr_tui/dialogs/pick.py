"""Pick one value from a list: enter chooses, escape closes without a choice."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from psr_tui.formatting import format_date
from psr_tui.models import Round
from psr_tui.widgets.text import literal


class PickDialog(ModalScreen[str | None]):
    """`choices` are (label, value) pairs; the cursor starts on `current` if it is listed."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", tooltip="Close without choosing", id="pick.cancel"),
        Binding("j", "cursor(1)", "Down", show=False, tooltip="Next choice", id="pick.down"),
        Binding("k", "cursor(-1)", "Up", show=False, tooltip="Previous choice", id="pick.up"),
    ]
    DEFAULT_CSS = """
    PickDialog { align: center middle; }
    PickDialog > Vertical {
        width: 70; max-width: 100%; height: auto; max-height: 90%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    PickDialog .pick-title { text-style: bold; color: $accent; }
    PickDialog OptionList { height: auto; max-height: 20; }
    """

    def __init__(
        self, title: str, choices: Sequence[tuple[str, str]], current: str | None = None
    ) -> None:
        super().__init__()
        self.pick_title, self.choices, self.current = title, list(choices), current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(literal(self.pick_title), classes="pick-title")
            yield OptionList(*(Option(literal(label), id=value) for label, value in self.choices))

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        values = [value for _, value in self.choices]
        options.highlighted = values.index(self.current) if self.current in values else 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cursor(self, step: int) -> None:
        options = self.query_one(OptionList)
        options.action_cursor_down() if step > 0 else options.action_cursor_up()

    def action_cancel(self) -> None:
        self.dismiss(None)


def round_choices(rounds: Sequence[Round]) -> list[tuple[str, str]]:
    """Rounds as choices: 'Baseline  (16 Feb 2016, AQuA)'."""
    return [(f"{r.name}  ({format_date(r.date)}, {r.framework})", r.name) for r in rounds]
