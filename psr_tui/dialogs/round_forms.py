"""Dialogs for a round (name, date, framework) and a respondent (name, organisation, group).

Each returns a typed request, or None when cancelled. Enter in any field saves; the form
checks every field first and says what is wrong beside the form.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from textual.app import ComposeResult
from textual.widgets import Input, Select

from psr_tui.dialogs.form import FormDialog, field_label
from psr_tui.formatting import DATE_HINT, format_date, parse_date
from psr_tui.widgets.text import literal


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


class RoundDialog(FormDialog[RoundRequest]):
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
        yield field_label("Name (e.g. Review, Aug 2016)")
        yield Input(id="name")
        yield field_label(f"Date ({DATE_HINT})")
        yield Input(format_date(self.default_date), id="date")
        yield field_label("Framework")
        yield Select(
            [(literal(name), name) for name in self.frameworks],
            value=self.framework if self.framework is not None else Select.NULL,
            allow_blank=False,
            disabled=self.fixed_framework,
            id="framework",
        )

    def validate(self) -> RoundRequest | str:
        name = self.text("name")
        if not name:
            return "Give the round a name."
        if self.taken(name):
            return f"There is already a round called {name!r}: choose another name."
        try:
            when = parse_date(self.text("date"))
        except ValueError as exc:
            return f"Date: {exc}"
        framework = self.query_one("#framework", Select).value
        if not isinstance(framework, str):
            return "There is no framework: import one with `psr import framework FILE`."
        return RoundRequest(name, when, framework)


class RespondentDialog(FormDialog[RespondentRequest]):
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
        yield field_label("Name (or role)")
        yield Input(current.name if current else "", id="name")
        yield field_label("Organisation")
        yield Input(current.organisation if current else "", id="organisation")
        yield field_label("Group")
        yield Select(
            [(literal(group), group) for group in self.groups],
            value=current.group if current else self.groups[0],
            allow_blank=False,
            id="group",
        )

    def validate(self) -> RespondentRequest | str:
        name, organisation = self.text("name"), self.text("organisation")
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
