"""Edit dialogs of the programme: one form, driven by field specs, for every level
(phase, theme, workstream, objective, deliverable, activity), and a picker for filters.

A form returns the checked values as a dict, or None when cancelled. Enter or ctrl+s saves
once every field is valid; the problem is shown in the form and nothing is lost.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Literal

from textual.app import ComposeResult
from textual.widgets import Checkbox, Input, Select

from psr_tui.dialogs.form import FormDialog, field_label
from psr_tui.formatting import DATE_HINT, format_date, parse_date
from psr_tui.models import ActivityStatus, Phase, ThemeKind
from psr_tui.widgets.text import literal

Values = dict[str, Any]
Check = Callable[[Values], str | None]
THEME_KINDS: tuple[ThemeKind, ...] = ("delivery", "supporting", "business case", "recommendation")


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    kind: Literal["text", "date", "select", "check"] = "text"
    value: Any = ""
    choices: Sequence[str] = field(default_factory=tuple)
    required: bool = False


class EditDialog(FormDialog[Values]):
    """A form of text, date, choice and yes/no fields; `check` refuses with a message."""

    def __init__(self, title: str, fields: Sequence[FieldSpec], check: Check | None = None):
        super().__init__(title)
        self.fields, self.check = list(fields), check

    def refill(self, values: Values, problem: str) -> EditDialog:
        """The form holding `values` as typed, with the store's reason for refusing them."""
        self.fields = [replace(f, value=values.get(f.name, f.value)) for f in self.fields]
        self.problem = problem
        return self

    def compose_fields(self) -> ComposeResult:
        for spec in self.fields:
            yield from self._compose_field(spec)

    def _compose_field(self, spec: FieldSpec) -> ComposeResult:
        if spec.kind == "check":
            yield Checkbox(literal(spec.label), bool(spec.value), id=spec.name)
            return
        yield field_label(spec.label)
        if spec.kind == "select":
            yield Select(
                [(literal(choice), choice) for choice in spec.choices],
                value=spec.value if spec.value in spec.choices else Select.NULL,
                allow_blank=spec.value not in spec.choices,
                id=spec.name,
            )
        elif spec.kind == "date":
            value = format_date(spec.value) if isinstance(spec.value, date) else str(spec.value)
            yield Input(value, placeholder=DATE_HINT, id=spec.name)
        else:
            yield Input(str(spec.value), id=spec.name)

    def validate(self) -> Values | str:
        """The typed values, or a message naming the field to fix."""
        values: Values = {}
        for spec in self.fields:
            if spec.kind == "check":
                values[spec.name] = self.query_one(f"#{spec.name}", Checkbox).value
            elif spec.kind == "select":
                chosen = self.choice(spec.name)
                if chosen is None:
                    return f"{spec.label}: choose one."
                values[spec.name] = chosen
            else:
                text = self.text(spec.name)
                if spec.required and not text:
                    return f"{spec.label}: required."
                if spec.kind == "date":
                    try:
                        values[spec.name] = parse_date(text) if text else None
                    except ValueError as exc:
                        return f"{spec.label}: {exc}"
                else:
                    values[spec.name] = text
        return (self.check and self.check(values)) or values


# --- the forms of each level -----------------------------------------------------------


def phase_form(phase: Phase | None, default: date) -> EditDialog:
    def check(values: Values) -> str | None:
        start, end = values["start"], values["end"]
        if start is None or end is None:
            return "Give the phase a start and an end date."
        if end < start:
            return (
                f"The phase would end ({end:%d %b %Y}) before it starts ({start:%d %b %Y}): "
                "fix one of the dates."
            )
        return None

    return EditDialog(
        f"Edit phase {phase.name}" if phase else "New phase",
        [
            FieldSpec("name", "Name", value=phase.name if phase else "", required=True),
            FieldSpec("start", f"Start ({DATE_HINT})", "date", phase.start if phase else default),
            FieldSpec("end", f"End ({DATE_HINT})", "date", phase.end if phase else default),
        ],
        check,
    )


def theme_form(name: str, lead: str, kind: str, *, new: bool = False) -> EditDialog:
    return EditDialog(
        "New theme" if new else f"Edit theme {name}",
        [
            FieldSpec("name", "Name", value=name, required=True),
            FieldSpec("lead", "Lead", value=lead),
            FieldSpec("kind", "Kind", "select", kind, THEME_KINDS),
        ],
    )


def workstream_form(theme: str, name: str = "", lead: str = "", funded: bool = False) -> EditDialog:
    return EditDialog(
        f"{'Edit' if name else 'New'} workstream of {theme}",
        [
            FieldSpec("name", "Name", value=name, required=True),
            FieldSpec("lead", "Lead", value=lead),
            FieldSpec("funded", "Externally funded (*)", "check", funded),
        ],
    )


def objective_form(theme: str, text: str = "") -> EditDialog:
    return EditDialog(
        f"{'Edit' if text else 'New'} objective of {theme}",
        [FieldSpec("text", "Objective", value=text, required=True)],
    )


def deliverable_form(theme: str, text: str = "", status: str = "not started") -> EditDialog:
    return EditDialog(
        f"{'Edit' if text else 'New'} deliverable of {theme}",
        [
            FieldSpec("text", "Deliverable", value=text, required=True),
            FieldSpec("status", "Status", "select", status, [s.value for s in ActivityStatus]),
        ],
    )


def activity_form(
    title: str, values: Values, themes: Sequence[str], phases: Sequence[str]
) -> EditDialog:
    """`values` holds the current title, theme, phase, lead, due, status and note."""
    return EditDialog(
        title,
        [
            FieldSpec("title", "Title", value=values.get("title", ""), required=True),
            FieldSpec("theme", "Theme", "select", values.get("theme", ""), themes),
            FieldSpec("phase", "Phase", "select", values.get("phase", ""), phases),
            FieldSpec("lead", "Lead", value=values.get("lead", "")),
            FieldSpec("due", f"Due ({DATE_HINT}; empty for none)", "date", values.get("due") or ""),
            FieldSpec(
                "status",
                "Status",
                "select",
                values.get("status", ActivityStatus.NOT_STARTED.value),
                [s.value for s in ActivityStatus],
            ),
            FieldSpec("note", "Note", value=values.get("note", "")),
        ],
    )
