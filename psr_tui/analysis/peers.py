"""Peers: the latest rounds of several partnerships, for one framework, side by side.

Each partnership's round is summarised by the same `summarise` as its own reports. The
frameworks must be the same to compare: the same name, levels and domains (by key, in
order) and the same rules for reading the scores; the first difference is named.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from psr_tui.analysis.assessment import AssessmentSummary
from psr_tui.models import Framework


@dataclass(frozen=True)
class PeerRound:
    """One partnership's round as compared."""

    source: str  # where it was read from (the file), as the user named it
    partnership: str
    round_date: date
    framework: Framework
    summary: AssessmentSummary


def _listed(values: list[str]) -> str:
    return ", ".join(values) or "none"


def framework_difference(first: Framework, other: Framework) -> str | None:
    """How `other` differs from `first` in what a comparison relies on, or None."""
    if first.name != other.name:
        return f"it is {other.name!r}, not {first.name!r}"
    if first.levels != other.levels:
        return f"its levels are {_listed(other.levels)}, not {_listed(first.levels)}"
    keys, others = [d.key for d in first.domains], [d.key for d in other.domains]
    if keys != others:
        missing = [k for k in keys if k not in others]
        extra = [k for k in others if k not in keys]
        if missing or extra:
            parts = []
            if missing:
                parts.append(f"lacks the domains {_listed(missing)}")
            if extra:
                parts.append(f"has the domains {_listed(extra)} as well")
            return "it " + " and ".join(parts)
        return "its domains are in another order"
    if first.achieved_level != other.achieved_level:
        return (
            f"its achieved level is by {other.achieved_level.value!r}, not "
            f"{first.achieved_level.value!r}"
        )
    if first.consensus != other.consensus:
        return f"its consensus rule is another ({other.consensus.method})"
    return None


def peer_groups(peers: list[PeerRound]) -> list[str]:
    """Every group any of the rounds has, in the order they first appear."""
    groups: list[str] = []
    for peer in peers:
        groups += [g for g in peer.summary.groups if g not in groups]
    return groups
