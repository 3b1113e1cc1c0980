"""The risk forms: add or edit a risk, and record a review. The score is derived from the
matrix as the likelihood and impact are chosen, never typed."""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVar

from pydantic import ValidationError
from textual.app import ComposeResult
from textual.widgets import Input, Label, Select

from psr_tui import analysis
from psr_tui.dialogs.form import FieldErrors, FormDialog
from psr_tui.formatting import every_months, format_date, parse_date
from psr_tui.models import Band, Risk, RiskMatrix, RiskStatus
from psr_tui.widgets.text import literal

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
    """Add a risk (risk=None) or edit one. Returns the checked field values.

    A save the store refused opens `refill` (as EditDialog.refill): the same form holding
    what was typed and why it was not saved, so that a failed save loses nothing.
    """

    def __init__(
        self,
        matrix: RiskMatrix,
        risk: Risk | None,
        taken_refs: set[str],
        as_at: date,
        *,
        typed: dict[str, Any] | None = None,
        problem: str = "",
    ) -> None:
        super().__init__(f"Edit {risk.ref}" if risk else "Add a risk", problem)
        self.matrix, self.risk, self.taken_refs, self.as_at = (
            matrix,
            risk,
            taken_refs,
            as_at,
        )
        self.typed_before = typed

    def refill(self, values: dict[str, Any], problem: str) -> RiskForm:
        """This form again, holding `values` as typed, with the store's reason for refusing them."""
        return RiskForm(
            self.matrix, self.risk, self.taken_refs, self.as_at, typed=values, problem=problem
        )

    def _shown(self) -> Risk | None:
        """The risk whose values the fields open with: what was typed, else the risk."""
        if self.typed_before is None:
            return self.risk
        base = self.risk.model_dump() if self.risk else {}
        return Risk.model_construct(**{**base, **self.typed_before})

    @property
    def fields(self) -> list[str]:
        names = ["ref", "description", "category", "date_identified", "controls"]
        names += ["likelihood", "impact", "inherent_likelihood", "inherent_impact"]
        names += ["actions", "owner", "action_date"]
        return names + (["status"] if self.risk else [])

    def compose_fields(self) -> ComposeResult:
        risk, m = self._shown(), self.matrix
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
            Input(risk.ref if risk else "", id="ref", disabled=bool(self.risk)),
        )
        yield from self.field(
            "Description",
            Input(risk.description if risk else "", id="description"),
        )
        yield from self.field("Risk category", Input(risk.category if risk else "", id="category"))
        identified = risk.date_identified if risk else self.as_at
        yield from self.field(
            "Date identified (2016-05-01, 01/05/2016 or May 2016)",
            Input(format_date(identified), id="date_identified"),
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
                format_date(risk.action_date if risk else None),
                id="action_date",
            ),
        )
        if risk and self.risk:
            yield from self.field(
                "Status",
                Select(
                    [(s.value, s.value) for s in RiskStatus],
                    value=risk.status.value,
                    allow_blank=False,
                    id="status",
                ),
            )

    def score_text(self, score: int, band: Band) -> str:
        return (
            f"Score {score} · {band.name} (from the matrix; "
            f"reviewed {every_months(band.review_months)})"
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
            values["status"] = RiskStatus(self.choice("status") or RiskStatus.OPEN)
            if values["status"] == RiskStatus.CLOSED and self.risk.status != RiskStatus.CLOSED:
                errors["status"] = (
                    "Close a risk with c on the register: it asks for the closure date and "
                    "the reason, which its history keeps"
                )
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


class ReviewForm(_RiskDialog[tuple[date, str, str, str]]):
    """A review: its date, the likelihood and impact now, and a note."""

    def __init__(self, matrix: RiskMatrix, risk: Risk, as_at: date) -> None:
        score = analysis.risk_score(matrix, risk)
        super().__init__(f"Review {risk.ref} (now {score}, {risk.likelihood} / {risk.impact})")
        self.matrix, self.risk, self.as_at = matrix, risk, as_at

    def compose_fields(self) -> ComposeResult:
        m, risk = self.matrix, self.risk
        yield from self.field("Review date", Input(format_date(self.as_at), id="review_date"))
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

    def validate(self) -> tuple[date, str, str, str] | FieldErrors:
        try:
            day = parse_date(self.text("review_date"))
        except ValueError as exc:
            return FieldErrors(review_date=str(exc))
        likelihood, impact = self.choice("likelihood"), self.choice("impact")
        if likelihood is None or impact is None:
            return FieldErrors(likelihood="Choose the likelihood and the impact now")
        return day, likelihood, impact, self.text("note")


class CloseRiskForm(FormDialog[tuple[date, str]]):
    """Close a risk: the closure date (the as-at date unless changed) and the reason.

    Enter in the date moves to the reason; enter in the reason closes the risk.
    """

    SAVE_ON_ENTER = False
    SAVE_LABEL = "Close risk (enter)"
    CANCEL_LABEL = "Cancel (escape)"

    def __init__(self, risk: Risk, as_at: date) -> None:
        super().__init__(f"Close {risk.ref}? It stays in the register with its history.")
        self.risk, self.as_at = risk, as_at

    def compose_fields(self) -> ComposeResult:
        yield from self.field(
            "Closure date (2016-05-01, 01/05/2016 or May 2016)",
            Input(format_date(self.as_at), id="closure_date"),
        )
        yield from self.field("Reason (kept in the risk's history)", Input(id="reason"))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.prevent_default()  # instead of FormDialog's enter, not as well
        event.stop()
        if event.input.id == "reason":
            self.action_save()
        else:
            self.focus_next()

    def validate(self) -> tuple[date, str] | FieldErrors:
        errors = FieldErrors()
        day = self.as_at
        try:
            day = parse_date(self.text("closure_date"))
        except ValueError as exc:
            errors["closure_date"] = str(exc)
        identified = self.risk.date_identified
        if "closure_date" not in errors and identified is not None and day < identified:
            errors["closure_date"] = (
                f"{self.risk.ref} was identified on {format_date(identified)}: "
                "it cannot close before that"
            )
        reason = self.text("reason")
        if not reason:
            errors["reason"] = f"Say why {self.risk.ref} is closed"
        return errors if errors else (day, reason)
