"""FormDialog: the modal form every section uses to add and edit records.

A titled column of labelled fields (scrolling when the terminal is short), a line for a
message about the whole form, and Save/Cancel. ctrl+s or Save calls `validate()`, which
returns the form's value (the dialog closes with it) or says what is wrong: one message, or
a message per field shown under that field. Nothing typed is lost: escape (or Cancel)
returns None at once when the fields are as they opened, and asks first when they are not.

Every form opens on its first field, and Tab walks down the fields in the order they are
drawn, then Save and Cancel (the column that scrolls them is no stop of its own). A text
field that is not focused shows the start of its text, not the end where typing left it.

Every field's text goes into the shared file, in front of every other officer: a control
character in it (a paste can bring an ESC) is refused here, for every form, before
`validate` sees the value. Text the form opens with shows its control characters as
symbols (␛), so what is there can be seen and removed.
"""

from __future__ import annotations

from typing import ClassVar, TypeVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, Select, TextArea

from psr_tui.dialogs.confirm import close_unless_typed
from psr_tui.text import control_characters, refuse_control_characters, visible
from psr_tui.widgets.text import literal

T = TypeVar("T")


class FieldErrors(dict[str, str]):
    """What `validate` returns when fields are wrong: field id -> message."""


def field_label(text: str) -> Label:
    return Label(literal(text), classes="field-label")


class FormDialog(ModalScreen[T | None]):
    """Subclasses compose their fields and turn them into a value in `validate`.

    `validate` returns the value (never a str), a str for the whole form, or FieldErrors
    for fields composed with `field` (which gives each its own error line).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", tooltip="Check the fields and save", id="form.save"),
        Binding(
            "escape",
            "cancel",
            "Cancel",
            tooltip="Close without saving (asks first if anything was typed)",
            id="form.cancel",
        ),
    ]
    DEFAULT_CSS = """
    FormDialog { align: center middle; }
    FormDialog > Vertical {
        width: 76; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    /* Title, error line, buttons and border take about 7 rows: the fields scroll in the
       rest, so Save stays in view at 80x24. */
    FormDialog VerticalScroll { height: auto; max-height: 65vh; }
    FormDialog .form-title { text-style: bold; color: $accent; }
    FormDialog .field-label { margin-top: 1; color: $text-muted; }
    FormDialog #error { color: $error; width: 100%; height: auto; }
    FormDialog .field-error { color: $error; width: 100%; height: auto; display: none; }
    FormDialog .field-error.-shown { display: block; }
    FormDialog .buttons { height: auto; align-horizontal: right; }
    FormDialog Button { margin-left: 1; }
    """
    # Enter in a text field saves; a long form sets this False to move to the next field.
    SAVE_ON_ENTER: ClassVar[bool] = True
    # The Save button's words, with the keys that press it.
    SAVE_LABEL: ClassVar[str] = "Save (ctrl+s)"
    CANCEL_LABEL: ClassVar[str] = "Cancel"

    def __init__(self, title: str, problem: str = "") -> None:
        super().__init__()
        self.form_title = title
        # Shown when the form opens again after the store refused what it held.
        self.problem = problem
        self._opened_with: list[object] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="form"):
            yield Label(literal(self.form_title), classes="form-title")
            # Not a Tab stop: a focused field scrolls itself into view.
            with VerticalScroll(id="fields", can_focus=False):
                yield from self.compose_fields()
            yield Label(literal(self.problem), id="error")
            with Horizontal(id="buttons", classes="buttons"):
                yield Button(self.SAVE_LABEL, variant="primary", id="save")
                yield Button(self.CANCEL_LABEL, id="cancel")

    def compose_fields(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.show_control_characters()
        self._opened_with = self.field_values()
        # Here rather than AUTO_FOCUS: a field focused before the first layout scrolls the
        # form as if it were out of view.
        fields = self.query_one("#fields")
        first = next((w for w in self.focus_chain if fields in w.ancestors), None)
        if first is not None:
            first.focus()

    def field_values(self) -> list[object]:
        """What every field holds now, in order: compared to tell whether anything changed."""
        values: list[object] = []
        for widget in self.query_one("#fields").query("*"):
            if isinstance(widget, Input | Select | Checkbox):
                values.append(widget.value)
            elif isinstance(widget, TextArea):
                values.append(widget.text)
        return values

    @property
    def typed(self) -> bool:
        """Whether closing would lose typing: a field changed, or the form was opened again
        holding what the store refused (`problem`)."""
        return bool(self.problem) or self.field_values() != self._opened_with

    def show_control_characters(self) -> list[Input | TextArea]:
        """Draw each field's control characters as symbols; the fields that had any."""
        changed: list[Input | TextArea] = []
        for box in self.query(Input):
            if control_characters(box.value):
                box.value = visible(box.value)
                changed.append(box)
        for area in self.query(TextArea):
            if control_characters(area.text):
                area.text = visible(area.text)
                changed.append(area)
        return changed

    def control_character_errors(self) -> FieldErrors:
        """A message for each field holding control characters (now shown as symbols)."""
        errors = FieldErrors()
        for box in self.query(Input):
            try:
                refuse_control_characters(box.value, self.field_name(box))
            except ValueError as exc:
                errors[box.id or ""] = str(exc)
        for area in self.query(TextArea):
            try:
                refuse_control_characters(area.text, self.field_name(area))
            except ValueError as exc:
                errors[area.id or ""] = str(exc)
        self.show_control_characters()
        return errors

    def field_name(self, widget: Widget) -> str:
        """The label above `widget` (its id when it has none), for a message about it."""
        siblings = list(widget.parent.children) if widget.parent else []
        for sibling in reversed(siblings[: siblings.index(widget)] if widget in siblings else []):
            if isinstance(sibling, Label) and sibling.has_class("field-label"):
                return str(sibling.content)
        return (widget.id or "a field").replace("_", " ").capitalize()

    @staticmethod
    def field(label: str, widget: Widget) -> ComposeResult:
        """A labelled field with an error line of its own (shown by FieldErrors)."""
        yield field_label(label)
        yield widget
        yield Label("", id=f"err-{widget.id}", classes="field-error")

    def validate(self) -> T | str | FieldErrors:
        """The form's value, or what to fix."""
        raise NotImplementedError

    def text(self, field_id: str) -> str:
        return self.query_one(f"#{field_id}", Input).value.strip()

    def choice(self, field_id: str) -> str | None:
        value = self.query_one(f"#{field_id}", Select).value
        return value if isinstance(value, str) else None

    def show_errors(self, errors: FieldErrors) -> None:
        """Each field's message under it (clearing the others); focus the first wrong field."""
        first = None
        for label in self.query(".field-error").results(Label):
            name = (label.id or "").removeprefix("err-")
            label.update(literal(errors.get(name, "")))
            label.set_class(name in errors, "-shown")
            if first is None and name in errors:
                first = name
        if first is not None:
            self.query_one(f"#{first}").focus()

    def action_save(self) -> None:
        refused = self.control_character_errors()
        if refused:
            self.show_errors(refused)
            # A field without an error line of its own is named on the form's line.
            unlined = [m for f, m in refused.items() if not self.query(f"#err-{f}")]
            self.query_one("#error", Label).update(literal(unlined[0] if unlined else ""))
            return
        result = self.validate()
        if isinstance(result, FieldErrors):
            self.show_errors(result)
        elif isinstance(result, str):
            self.query_one("#error", Label).update(literal(result))
        else:
            self.dismiss(result)

    def action_cancel(self) -> None:
        close_unless_typed(self, self.typed)

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        # Focused, the view follows the cursor (at the end of what was typed); left, a long
        # value shows how it starts.
        if isinstance(event.widget, Input):
            event.widget.scroll_home(animate=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.SAVE_ON_ENTER:
            self.action_save()
        else:
            self.focus_next()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()
