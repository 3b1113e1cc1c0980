"""How a framework's summaries read the scores: the achieved-level rule and the consensus
rule (issue 17 items 4, 5). The summary screen's L opens it for the round's framework."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from textual.app import ComposeResult
from textual.widgets import Checkbox, Input

from psr_tui.dialogs.form import FieldErrors, FormDialog
from psr_tui.formatting import parse_share
from psr_tui.models import AchievedRule, Framework


def _typed_share(share: float) -> str:
    """A share as one would type it: 2/3 rather than 0.666667."""
    fraction = Fraction(share).limit_denominator(12)
    if abs(float(fraction) - share) > 1e-6:
        return f"{share:g}"
    return str(fraction)  # "2/3"; "1" for all


@dataclass(frozen=True)
class RulesRequest:
    achieved: AchievedRule
    within: int
    share: float
    min_ratings: int


class RulesDialog(FormDialog[RulesRequest]):
    def __init__(self, framework: Framework) -> None:
        super().__init__(f"How {framework.name} reads its scores (every round of it)")
        self.framework = framework

    def compose_fields(self) -> ComposeResult:
        rule = self.framework.consensus
        yield Checkbox(
            "Level achieved: nearest the mean, not the level at or below it",
            self.framework.achieved_level is AchievedRule.NEAREST,
            id="nearest",
        )
        yield from self.field(
            "Agreed when the ratings lie within this many levels of their median",
            Input(str(rule.within), id="within"),
        )
        yield from self.field(
            "... for at least this share of them (2/3, 0.75 or 75%)",
            Input(_typed_share(rule.share), id="share"),
        )
        yield from self.field(
            "Too few to say under this many ratings", Input(str(rule.min_ratings), id="min")
        )

    def validate(self) -> RulesRequest | FieldErrors:
        errors = FieldErrors()
        numbers: dict[str, int] = {}
        for field, lowest in (("within", 0), ("min", 1)):
            try:
                numbers[field] = int(self.text(field))
            except ValueError:
                numbers[field] = -1
            if numbers[field] < lowest:
                errors[field] = f"A whole number, {lowest} or more"
        try:
            share = parse_share(self.text("share"))
        except ValueError as exc:
            errors["share"] = str(exc)
            share = 0.0
        if errors:
            return errors
        nearest = self.query_one("#nearest", Checkbox).value
        return RulesRequest(
            AchievedRule.NEAREST if nearest else AchievedRule.FLOOR,
            numbers["within"],
            share,
            numbers["min"],
        )
