"""Dialogs for a round (name, date, framework) and a respondent (name, organisation, group).

Each returns a typed request, or None when cancelled. Enter in any field saves; the form
checks every field first and says what is wrong beside the form.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import ClassVar, Generic, TypeVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select

from psr_tui.formatting import DATE_HINT, parse_date
from psr_tui.widgets.text import literal

R = TypeVar("R")


@dataclass(frozen=True)
class RoundRequest:
    name: str
    date: date
    framework: str


@dataclass(frozen=True)
class RespondentRequest:
    name: str
    organisation: str
    group: str


class _FormDialog(ModalScreen[R | None], Generic[R]):
    """A titled form; subclasses compose fields and turn them into a request (or an error)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="form.cancel", tooltip="Close without saving")
    ]
    DEFAULT_CSS = """
    _FormDialog { align: center middle; }
    _FormDialog > Vertical {
        width: 72; height: auto; max-height: 90%; padding: 1 2;
        border: thick $primary; background: $surface;
    }
    _FormDialog .form-title { text-style: bold; color: $accent; margin-bottom: 1; }
    _FormDialog .form-label { margin-top: 1; }
    _FormDialog #error { color: $error; height: auto; margin-top: 1; }
    _FormDialog Horizontal { height: auto; margin-top: 1; align-horizontal: right; }
    _FormDialog Button { margin-left: 1; }
    """

    def __init__(self, title: str) -> None:
        super().__init__()
        self.form_title = title

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(literal(self.form_title), classes="form-title")
            yield from self.compose_fields()
            yield Label("", id="error")
            with Horizontal():
                yield Button("Save", variant="primary", id="save")
                yield Button("Cancel", id="cancel")

    def compose_fields(self) -> ComposeResult:
        yield from ()

    def build(self) -> R | str:
        """The request, or a message saying what to fix."""
        raise NotImplementedError

    def value(self, field_id: str) -> str:
        return self.query_one(f"#{field_id}", Input).value.strip()

    def submit(self) -> None:
        result = self.build()
        if isinstance(result, str):
            self.query_one("#error", Label).update(literal(result))
        else:
            self.dismiss(result)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.submit()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)


def _field(label: str) -> Label:
    return Label(literal(label), classes="form-label")


class RoundDialog(_FormDialog[RoundRequest]):
    """A new round. `taken` says whether a name is already used (by any round)."""

    def __init__(
        self,
        title: str,
        frameworks: Sequence[str],
        *,
        default_date: date,
        framework: str | None = None,
        fixed_framework: bool = False,
        taken: Callable[[str], bool] = lambda _: False,
    ) -> None:
        super().__init__(title)
        self.frameworks = list(frameworks)
        self.default_date = default_date
        self.framework = framework or (self.frameworks[0] if self.frameworks else None)
        self.fixed_framework = fixed_framework
        self.taken = taken

    def compose_fields(self) -> ComposeResult:
        yield _field("Name (e.g. Review, Aug 2016)")
        yield Input(id="name")
        yield _field(f"Date ({DATE_HINT})")
        yield Input(self.default_date.isoformat(), id="date")
        yield _field("Framework")
        yield Select(
            [(literal(name), name) for name in self.frameworks],
            value=self.framework if self.framework is not None else Select.NULL,
            allow_blank=False,
            disabled=self.fixed_framework,
            id="framework",
        )

    def build(self) -> RoundRequest | str:
        name = self.value("name")
        if not name:
            return "Give the round a name."
        if self.taken(name):
            return f"There is already a round called {name!r}: choose another name."
        try:
            when = parse_date(self.value("date"))
        except ValueError as exc:
            return f"Date: {exc}"
        framework = self.query_one("#framework", Select).value
        if not isinstance(framework, str):
            return "There is no framework: import one with `psr import framework FILE`."
        return RoundRequest(name, when, framework)


class RespondentDialog(_FormDialog[RespondentRequest]):
    """Add or edit a respondent; `taken(name, organisation)` refuses a duplicate."""

    def __init__(
        self,
        title: str,
        groups: Sequence[str],
        *,
        current: RespondentRequest | None = None,
        taken: Callable[[str, str], bool] = lambda _n, _o: False,
    ) -> None:
        super().__init__(title)
        self.groups = list(groups)
        if current is not None and current.group not in self.groups:
            self.groups.append(current.group)
        self.current = current
        self.taken = taken

    def compose_fields(self) -> ComposeResult:
        current = self.current
        yield _field("Name (or role)")
        yield Input(current.name if current else "", id="name")
        yield _field("Organisation")
        yield Input(current.organisation if current else "", id="organisation")
        yield _field("Group")
        yield Select(
            [(literal(group), group) for group in self.groups],
            value=current.group if current else self.groups[0],
            allow_blank=False,
            id="group",
        )

    def build(self) -> RespondentRequest | str:
        name, organisation = self.value("name"), self.value("organisation")
        if not name:
            return "Give the respondent's name (or role)."
        if self.taken(name, organisation):
            return (
                f"{name} ({organisation or 'no organisation'}) is already in this round: "
                "edit that respondent instead."
            )
        group = self.query_one("#group", Select).value
        assert isinstance(group, str)
        return RespondentRequest(name, organisation, group)
