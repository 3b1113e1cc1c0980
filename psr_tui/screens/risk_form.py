"""Dialogs for changing risks (add/edit, review, conflict, choosing a filter value) and the
screen base that saves them.

Every change is a function of the stored risk (a patch), applied in the transaction to
the latest record with the rev this session read. When another session saved in between,
the user is told who and when and chooses: reload (drop this change) or overwrite (apply
the same patch to the newest version), so nothing is lost without being asked.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, ClassVar, TypeVar

from pydantic import ValidationError
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Select
from textual.widgets.option_list import Option

from psr_tui import analysis
from psr_tui.formatting import format_date, parse_date
from psr_tui.models import Band, Risk, RiskMatrix, RiskStatus
from psr_tui.screens.base import SectionScreen
from psr_tui.screens.dialogs import ConfirmDialog
from psr_tui.screens.form import FieldErrors, FormDialog
from psr_tui.store import ConflictError, InvalidRecordError, Record, Transaction
from psr_tui.widgets.text import literal

Patch = Callable[[Risk], Risk]

TEXT_FIELDS = ("description", "category", "controls", "actions", "owner")
DATE_FIELDS = ("date_identified", "action_date")
NO_INHERENT = "none"
V = TypeVar("V")


def _label_options(labels: list[str]) -> list[tuple[Any, str]]:
    return [(literal(label), label) for label in labels]


def _label_select(labels: list[str], value: str, id: str) -> Select[str]:
    """A required choice among a matrix axis's labels (the score is derived, never typed)."""
    return Select(_label_options(labels), value=value, allow_blank=False, id=id)


class _RiskDialog(FormDialog[V]):
    """Risk forms are long: enter moves to the next field, and the score shows as you choose."""

    SAVE_ON_ENTER = False
    DEFAULT_CSS = """
    _RiskDialog > Vertical { width: 84; }
    _RiskDialog .derived { color: $accent; text-style: bold; margin-top: 1; }
    """

    matrix: RiskMatrix

    def choice(self, field_id: str) -> str | None:
        value = super().choice(field_id)
        return None if value == NO_INHERENT else value

    def on_mount(self) -> None:
        self._show_score()

    def on_select_changed(self, event: Select.Changed) -> None:
        self._show_score()

    def _show_score(self) -> None:
        likelihood, impact = self.choice("likelihood"), self.choice("impact")
        if likelihood is None or impact is None:
            return
        score = self.matrix.score(likelihood, impact)
        self.query_one("#score", Label).update(
            literal(self.score_text(score, self.matrix.band_for(score)))
        )

    def score_text(self, score: int, band: Band) -> str:
        """What the score line says about the chosen likelihood and impact."""
        raise NotImplementedError


class RiskForm(_RiskDialog[dict[str, Any]]):
    """Add a risk (risk=None) or edit one. Returns the checked field values."""

    def __init__(
        self, matrix: RiskMatrix, risk: Risk | None, taken_refs: set[str], as_at: date
    ) -> None:
        super().__init__(f"Edit {risk.ref}" if risk else "Add a risk")
        self.matrix, self.risk, self.taken_refs, self.as_at = (
            matrix,
            risk,
            taken_refs,
            as_at,
        )

    @property
    def fields(self) -> list[str]:
        names = ["ref", "description", "category", "date_identified", "controls"]
        names += ["likelihood", "impact", "inherent_likelihood", "inherent_impact"]
        names += ["actions", "owner", "action_date"]
        return names + (["status"] if self.risk else [])

    def compose_fields(self) -> ComposeResult:
        risk, m = self.risk, self.matrix
        inherent_options = [
            ("none (residual only)", NO_INHERENT),
            *_label_options(m.likelihood),
        ]
        impact_options = [
            ("none (residual only)", NO_INHERENT),
            *_label_options(m.impact),
        ]
        yield from self.field(
            "Reference",
            Input(risk.ref if risk else "", id="ref", disabled=bool(risk)),
        )
        yield from self.field(
            "Description",
            Input(risk.description if risk else "", id="description"),
        )
        yield from self.field("Category", Input(risk.category if risk else "", id="category"))
        identified = risk.date_identified if risk else self.as_at
        yield from self.field(
            "Date identified (2016-05-01, 01/05/2016 or May 2016)",
            Input(identified.isoformat() if identified else "", id="date_identified"),
        )
        yield from self.field(
            "Controls in place",
            Input(risk.controls if risk else "", id="controls"),
        )
        yield from self.field(
            "Likelihood (after controls)",
            _label_select(m.likelihood, risk.likelihood if risk else m.likelihood[0], "likelihood"),
        )
        yield from self.field(
            "Impact (after controls)",
            _label_select(m.impact, risk.impact if risk else m.impact[0], "impact"),
        )
        yield Label("", id="score", classes="derived")
        yield from self.field(
            "Inherent likelihood (before controls, optional)",
            Select(
                inherent_options,
                value=(risk and risk.inherent_likelihood) or NO_INHERENT,
                allow_blank=False,
                id="inherent_likelihood",
            ),
        )
        yield from self.field(
            "Inherent impact",
            Select(
                impact_options,
                value=(risk and risk.inherent_impact) or NO_INHERENT,
                allow_blank=False,
                id="inherent_impact",
            ),
        )
        yield from self.field("Actions planned", Input(risk.actions if risk else "", id="actions"))
        yield from self.field("Owner", Input(risk.owner if risk else "", id="owner"))
        yield from self.field(
            "Action date",
            Input(
                risk.action_date.isoformat() if risk and risk.action_date else "",
                id="action_date",
            ),
        )
        if risk:
            yield from self.field(
                "Status",
                Select(
                    [(s.value, s.value) for s in RiskStatus],
                    value=risk.status.value,
                    allow_blank=False,
                    id="status",
                ),
            )

    def focus_field(self) -> None:
        self.query_one("#description" if self.risk else "#ref").focus()

    def score_text(self, score: int, band: Band) -> str:
        return (
            f"Score {score} · {band.name} (from the matrix; "
            f"reviewed every {band.review_months} months)"
        )

    def values(self) -> tuple[dict[str, Any], dict[str, str]]:
        """The form's values as Risk fields, and an error per field that is wrong."""
        errors: dict[str, str] = {}
        values: dict[str, Any] = {name: self.text(name) for name in TEXT_FIELDS}
        values["ref"] = self.risk.ref if self.risk else self.text("ref")
        if not values["ref"]:
            errors["ref"] = "A reference is needed, e.g. R9"
        elif not self.risk and values["ref"].lower() in self.taken_refs:
            errors["ref"] = f"{values['ref']} is already in the register: choose another reference"
        for name in DATE_FIELDS:
            text = self.text(name)
            try:
                values[name] = parse_date(text) if text else None
            except ValueError as exc:
                errors[name] = str(exc)
        for name in ("likelihood", "impact", "inherent_likelihood", "inherent_impact"):
            values[name] = self.choice(name)
        if self.risk:
            values["status"] = RiskStatus(self.query_one("#status", Select).value)
        try:
            Risk.model_validate(values, context={"matrix": self.matrix})
        except ValidationError as exc:
            for item in exc.errors():
                name = str(item["loc"][0]) if item["loc"] else "inherent_likelihood"
                message = item["msg"].removeprefix("Value error, ")
                if "at least 1 character" in message:
                    message = "This is needed"
                errors.setdefault(name if name in self.fields else "inherent_likelihood", message)
        return values, errors

    def validate(self) -> dict[str, Any] | FieldErrors:
        values, errors = self.values()
        return FieldErrors(errors) if errors else values


class ReviewForm(_RiskDialog[tuple[date, str | None, str | None, str]]):
    """A review: its date, the likelihood and impact now, and a note."""

    def __init__(self, matrix: RiskMatrix, risk: Risk, as_at: date) -> None:
        score = analysis.risk_score(matrix, risk)
        super().__init__(f"Review {risk.ref} (now {score}, {risk.likelihood} / {risk.impact})")
        self.matrix, self.risk, self.as_at = matrix, risk, as_at

    def compose_fields(self) -> ComposeResult:
        m, risk = self.matrix, self.risk
        yield from self.field("Review date", Input(self.as_at.isoformat(), id="review_date"))
        yield from self.field(
            "Likelihood now",
            _label_select(m.likelihood, risk.likelihood, "likelihood"),
        )
        yield from self.field(
            "Impact now",
            _label_select(m.impact, risk.impact, "impact"),
        )
        yield Label("", id="score", classes="derived")
        yield from self.field("Note", Input(id="note"))

    def focus_field(self) -> None:
        self.query_one("#note").focus()

    def score_text(self, score: int, band: Band) -> str:
        try:
            day = parse_date(self.text("review_date"))
        except ValueError:
            day = self.as_at
        following = analysis.add_months(day, band.review_months)
        return f"Score {score} · {band.name}: next review {format_date(following)}"

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "review_date":
            self._show_score()

    def validate(self) -> tuple[date, str | None, str | None, str] | FieldErrors:
        try:
            day = parse_date(self.text("review_date"))
        except ValueError as exc:
            return FieldErrors(review_date=str(exc))
        return day, self.choice("likelihood"), self.choice("impact"), self.text("note")


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


class ChoiceDialog(ModalScreen[str | None]):
    """Pick one value from a list (enter), or close (escape)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss_none", "Cancel", tooltip="Close", id="choice.cancel"),
        Binding("j", "cursor('down')", "Down", show=False, id="choice.down"),
        Binding("k", "cursor('up')", "Up", show=False, id="choice.up"),
    ]
    DEFAULT_CSS = """
    ChoiceDialog { align: center middle; }
    ChoiceDialog > Vertical {
        width: 60; max-width: 100%; height: auto; max-height: 90%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    ChoiceDialog OptionList { height: auto; max-height: 20; }
    """

    def __init__(self, title: str, choices: list[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text, self.choices = title, choices

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(literal(self.title_text), classes="panel-title")
            yield OptionList(*(Option(literal(label), id=value) for label, value in self.choices))

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)

    def action_cursor(self, where: str) -> None:
        options = self.query_one(OptionList)
        options.action_cursor_down() if where == "down" else options.action_cursor_up()


class RiskScreen(SectionScreen):
    """A screen showing risks, with the keys that change the selected one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add_risk", "Add", tooltip="Add a risk", id="risks.add"),
        Binding("e", "edit_risk", "Edit", tooltip="Edit the selected risk", id="risks.edit"),
        Binding(
            "R",
            "review_risk",
            "Review",
            tooltip="Record a review of the selected risk",
            id="risks.review",
        ),
        Binding(
            "c",
            "close_risk",
            "Close risk",
            tooltip="Close the selected risk (its history stays)",
            id="risks.close",
        ),
    ]

    def selected_ref(self) -> str | None:
        """The ref of the risk the keys act on."""
        return None

    def _selected(self) -> tuple[RiskMatrix, Record[Risk]] | None:
        matrix = self.psr.snapshot.matrix()
        if matrix is None:
            self.notify("There is no risk matrix yet: psr import matrix FILE", severity="error")
            return None
        ref = self.selected_ref()
        record = self.psr.snapshot.risk(ref) if ref else None
        if record is None:
            self.notify("Choose a risk first", severity="warning")
            return None
        return matrix, record

    def action_add_risk(self) -> None:
        matrix = self.psr.snapshot.matrix()
        if matrix is None:
            self.notify("There is no risk matrix yet: psr import matrix FILE", severity="error")
            return
        taken = {r.model.ref.lower() for r in self.psr.snapshot.risks()}

        def chosen(values: dict[str, Any] | None) -> None:
            if values is None:
                return

            def change(tx: Transaction) -> Risk:
                if tx.risk(values["ref"]) is not None:
                    raise InvalidRecordError(
                        f"risk {values['ref']} was added by another session meanwhile"
                    )
                risk = Risk.model_validate(values)
                tx.insert("risks", risk)
                return risk

            self.psr.save(change, done=lambda risk: self.risk_saved(risk, f"Added {risk.ref}"))

        self.app.push_screen(RiskForm(matrix, None, taken, self.psr.as_at), chosen)

    def action_edit_risk(self) -> None:
        selected = self._selected()
        if selected is None:
            return
        matrix, record = selected

        def chosen(values: dict[str, Any] | None) -> None:
            if values is None:
                return
            original = record.model
            changes = {k: v for k, v in values.items() if getattr(original, k) != v}
            if not changes:
                self.notify("Nothing changed")
                return
            self.save_patch(
                record,
                lambda risk: risk.model_copy(update=changes),
                f"edited {original.ref}",
            )

        self.app.push_screen(RiskForm(matrix, record.model, set(), self.psr.as_at), chosen)

    def action_review_risk(self) -> None:
        selected = self._selected()
        if selected is None:
            return
        matrix, record = selected

        def chosen(result: tuple[date, str, str, str] | None) -> None:
            if result is None:
                return
            day, likelihood, impact, note = result
            user = self.psr.store.user
            self.save_patch(
                record,
                lambda risk: analysis.with_review(
                    matrix, risk, day, likelihood, impact, note, user
                ),
                f"reviewed {record.model.ref}",
            )

        self.app.push_screen(ReviewForm(matrix, record.model, self.psr.as_at), chosen)

    def action_close_risk(self) -> None:
        selected = self._selected()
        if selected is None:
            return
        _matrix, record = selected
        if record.model.status == RiskStatus.CLOSED:
            self.notify(literal(f"{record.model.ref} is already closed"))
            return

        def chosen(yes: bool | None) -> None:
            if yes:
                self.save_patch(
                    record,
                    lambda risk: risk.model_copy(update={"status": RiskStatus.CLOSED}),
                    f"closed {record.model.ref}",
                )

        self.app.push_screen(
            ConfirmDialog(
                f"Close {record.model.ref}? It stays in the register with its history.",
                "Close it",
            ),
            chosen,
        )

    def save_patch(
        self, record: Record[Risk], patch: Patch, what: str, rev: int | None = None
    ) -> None:
        """Apply `patch` to the stored risk if it is still at the rev this screen read."""
        doc_id = record.doc_id
        expected = record.model.rev if rev is None else rev

        def change(tx: Transaction) -> Risk:
            return tx.update(
                "risks",
                doc_id,
                patch(tx.get("risks", doc_id).model),
                expected_rev=expected,
            )

        def conflict(error: ConflictError) -> None:
            def chosen(overwrite: bool | None) -> None:
                latest = self.psr.store.snapshot().risk(record.model.ref)
                if overwrite and latest is not None:
                    self.save_patch(latest, patch, what)
                else:
                    self.notify(literal(f"Reloaded {record.model.ref}: your change was not saved"))
                    self.psr.reload()

            # Pushed from this screen's own message loop: the save callback arrives from the
            # writer thread's context, where a new screen cannot find its app.
            self.call_later(self.app.push_screen, ConflictDialog(error, what), chosen)

        self.psr.save(
            change,
            done=lambda risk: self.risk_saved(risk, what[0].upper() + what[1:]),
            conflict=conflict,
        )

    def risk_saved(self, risk: Risk, message: str) -> None:
        self.notify(literal(message))
