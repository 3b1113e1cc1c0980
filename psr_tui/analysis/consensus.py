"""How far a group's ratings of a domain agree: the median, the share at it, and a verdict.

The verdict follows the framework's rule (models.ConsensusRule): agreed when at least a
share of the ratings lie within some levels of their median, divided otherwise, and too few
to say under a minimum number of ratings. A median between two levels (an even number of
ratings) is "at" both: the share at the median counts the ratings on either side of it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from statistics import median

from psr_tui.models import ConsensusRule

# Comparing a float share with the rule's share: 2 of 3 is 0.666..., the rule 2/3 is too.
_TOLERANCE = 1e-9


class Verdict(StrEnum):
    AGREED = "agreed"
    DIVIDED = "divided"
    TOO_FEW = "too_few"

    @property
    def text(self) -> str:
        return self.value.replace("_", " ")


@dataclass(frozen=True)
class Consensus:
    """One group's (or everyone's) ratings of one domain, read by the rule."""

    n: int
    median: float | None
    at_median: float | None  # share of the ratings at the median (0-1)
    within: float | None  # share of the ratings within the rule's levels of the median
    verdict: Verdict

    @property
    def text(self) -> str:
        """ "agreed (n=6)", "too few (n=2)"."""
        return f"{self.verdict.text} (n={self.n})"

    def detail(self, within: int) -> str:
        """ "n 4, median 1.5; 50% at it, 100% within 1" (`within`: the rule's levels)."""
        if not self.n:
            return "no ratings"
        middle = f"{self.median:g}" if self.median is not None else "-"
        return (
            f"n {self.n}, median {middle}; {self.at_median or 0:.0%} at it, "
            f"{self.within or 0:.0%} within {within}"
        )


def consensus(ratings: Sequence[int], rule: ConsensusRule) -> Consensus:
    """Read `ratings` (levels, any order) by `rule`."""
    n = len(ratings)
    if n == 0:
        return Consensus(0, None, None, None, Verdict.TOO_FEW)
    middle = float(median(ratings))
    at = sum(1 for r in ratings if abs(r - middle) <= 0.5) / n
    within = sum(1 for r in ratings if abs(r - middle) <= rule.within) / n
    if n < rule.min_ratings:
        verdict = Verdict.TOO_FEW
    elif within >= rule.share - _TOLERANCE:
        verdict = Verdict.AGREED
    else:
        verdict = Verdict.DIVIDED
    return Consensus(n, middle, at, within, verdict)


def verdicts_text(
    overall: Consensus,
    per_group: Mapping[str, Consensus],
    name: Callable[[str], str] = str,
) -> str:
    """Everyone's verdict, then each group whose verdict differs from it (groups without a
    rating left out): "agreed (n=10)", "agreed (n=10); IG divided"."""
    others = [
        f"{name(group)} {found.verdict.text}"
        for group, found in per_group.items()
        if found.n and found.verdict is not overall.verdict
    ]
    return overall.text + (f"; {', '.join(others)}" if others else "")


def consensus_json(found: Consensus) -> dict[str, object]:
    """One reading as `psr summary --json` and `psr compare --json` print it."""
    return {
        "n": found.n,
        "median": found.median,
        "at_median": found.at_median,
        "within": found.within,
        "verdict": found.verdict.value,
    }
