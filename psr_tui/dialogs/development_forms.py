"""Forms for a development action and for its evidence.

Each returns a validated model, or None when cancelled. The form checks every field against
the same rules the store applies (known domain and offer, real dates), so a save it lets
through is not refused later, and a mistake is named beside the form without losing input.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from pydantic import ValidationError
from textual.app import ComposeResult
from textual.suggester import SuggestFromList
from textual.widgets import Input, Select, TextArea

from psr_tui.development import MEASURE_HINT, format_measure, parse_measures
from psr_tui.dialogs.form import FormDialog, field_label
from psr_tui.formatting import DATE_HINT, format_date, parse_date
from psr_tui.models import (
    ActionStatus,
    DevelopmentAction,
    DevelopmentOffer,
    Evidence,
    Framework,
    describe_validation_error,
)
from psr_tui.widgets.text import literal


def _optional_date(label: str, text: str) -> date | None:
    """A typed date or None for an empty field; the error names the field."""
    if not text:
        return None
    try:
        return parse_date(text)
    except ValueError as exc:
        raise ValueError(f"{label}: {exc}") from None


class ActionForm(FormDialog[DevelopmentAction]):
    """Add or edit a development action for one framework's domains."""

    CSS_PATH = "development_forms.tcss"

    def __init__(
        self,
        title: str,
        action: DevelopmentAction,
        *,
        framework: Framework,
        groups: Sequence[str],
        offers: Sequence[DevelopmentOffer],
        round_names: Sequence[str],
        today: date,
        error: str = "",
    ) -> None:
        super().__init__(title, error)
        self.action = action
        self.framework = framework
        self.groups = list(groups)
        if action.group and action.group not in self.groups:
            self.groups.append(action.group)
        self.offers = list(offers)
        self.round_names = list(round_names)
        self.today = today

    def compose_fields(self) -> ComposeResult:
        action = self.action
        yield field_label("Domain")
        yield Select(
            [(literal(d.name), d.key) for d in self.framework.domains],
            value=action.domain if self.framework.domain(action.domain) else Select.NULL,
            prompt="Choose the domain",
            id="domain",
        )
        yield field_label("For group (optional)")
        yield Select(
            [(literal(g), g) for g in self.groups],
            value=action.group or Select.NULL,
            prompt="Everyone",
            id="group",
        )
        yield field_label("Action (what will be done)")
        yield Input(
            action.title, placeholder="e.g. Making Every Contact Count training", id="title"
        )
        yield field_label("Offer (optional: empty for free-text work)")
        yield Select(
            [(literal(o.name), o.name) for o in self.offers],
            value=action.offer or Select.NULL,
            prompt="No offer",
            id="offer",
        )
        yield field_label("Owner")
        yield Input(action.owner, id="owner")
        yield field_label(f"Start ({DATE_HINT})")
        yield Input(format_date(action.start), id="start")
        yield field_label("Target date")
        yield Input(format_date(action.target_date), id="target_date")
        yield field_label("Target round (the re-assessment it aims at)")
        yield Input(
            action.target_round,
            suggester=SuggestFromList(self.round_names, case_sensitive=False),
            id="target_round",
        )
        yield field_label("Status")
        yield Select(
            [(literal(s.value), s.value) for s in ActionStatus],
            value=action.status.value,
            allow_blank=False,
            id="status",
        )
        yield field_label("Completed on (empty: today when the status is complete)")
        yield Input(format_date(action.completed), id="completed")

    def validate(self) -> DevelopmentAction | str:
        domain = self.choice("domain") or ""
        if not domain:
            return "Choose the domain the action is for."
        offer = self.choice("offer") or ""
        title = self.text("title") or offer
        if not title:
            return "Say what the action is, or choose an offer."
        status = ActionStatus(self.choice("status") or "")
        try:
            start = _optional_date("Start", self.text("start"))
            target_date = _optional_date("Target date", self.text("target_date"))
            completed = _optional_date("Completed on", self.text("completed"))
        except ValueError as exc:
            return str(exc)
        if status == ActionStatus.COMPLETE and completed is None:
            completed = self.today
        values: dict[str, Any] = {
            **self.action.model_dump(),
            "framework": self.framework.name,
            "domain": domain,
            "group": self.choice("group") or "",
            "title": title,
            "offer": offer,
            "owner": self.text("owner"),
            "start": start,
            "target_date": target_date,
            "target_round": self.text("target_round"),
            "status": status,
            "completed": completed,
        }
        context = {"frameworks": [self.framework], "offers": self.offers}
        try:
            return DevelopmentAction.model_validate(values, context=context)
        except ValidationError as exc:
            return describe_validation_error(exc)


class EvidenceForm(FormDialog[Evidence]):
    """Participants, sessions, a note and any number of measures (one per line)."""

    CSS_PATH = "development_forms.tcss"

    def __init__(self, title: str, evidence: Evidence) -> None:
        super().__init__(title)
        self.evidence = evidence

    def compose_fields(self) -> ComposeResult:
        evidence = self.evidence
        yield field_label("Participants")
        # Plain inputs, not type="integer": that one drops a typed "two" without a word,
        # and the empty field was then saved as no figure at all.
        yield Input(_number(evidence.participants), placeholder="a whole number", id="participants")
        yield field_label("Sessions")
        yield Input(_number(evidence.sessions), placeholder="a whole number", id="sessions")
        yield field_label("Note")
        yield Input(evidence.note, id="note")
        yield field_label(f"Measures, one per line ({MEASURE_HINT})")
        yield TextArea(
            "\n".join(format_measure(m) for m in evidence.measures),
            soft_wrap=True,
            show_line_numbers=True,
            id="measures",
        )

    def validate(self) -> Evidence | str:
        try:
            measures = parse_measures(self.query_one("#measures", TextArea).text)
        except ValueError as exc:
            message = str(exc)
            return message[:1].upper() + message[1:]
        try:
            # The model reads the counts: "two" and "-3" are refused by name, not dropped.
            return Evidence.model_validate(
                {
                    "participants": self.text("participants") or None,
                    "sessions": self.text("sessions") or None,
                    "measures": measures,
                    "note": self.text("note"),
                }
            )
        except ValidationError as exc:
            message = describe_validation_error(exc)
            return message[:1].upper() + message[1:] + "."


def _number(value: int | None) -> str:
    return "" if value is None else str(value)
