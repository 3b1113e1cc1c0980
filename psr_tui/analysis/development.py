"""Development actions beside the score changes between two rounds."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from psr_tui.analysis.assessment import AssessmentSummary, DomainChange, compare
from psr_tui.models import (
    ActionStatus,
    DevelopmentAction,
    Round,
)

#
# An action "ran in the period" between an earlier round (dated a) and a later round
# (dated b) when it was not dropped and either
#   - it names the later round as its target round (it aimed at that re-assessment), or
#   - its dates touch the period: its window, from its start (else its earliest date) to
#     its completion (else its target date, else its start), overlaps a < day <= b.
# So an action completed between the rounds counts, as does one started before the
# earlier round and still running after it. An action with no dates and no target round
# cannot be placed in time and is left out.


def action_ran_between(action: DevelopmentAction, earlier: Round, later: Round) -> bool:
    if action.status == ActionStatus.DROPPED:
        return False
    if action.target_round and action.target_round.strip().lower() == later.name.lower():
        return True
    dates = [d for d in (action.start, action.target_date, action.completed) if d is not None]
    if not dates:
        return False
    begin = action.start or min(dates)
    end = action.completed or action.target_date or begin
    return begin <= later.date and end > earlier.date


@dataclass(frozen=True)
class DomainDevelopment:
    """One domain's change in score between two rounds, beside the actions that ran then."""

    change: DomainChange
    actions: list[DevelopmentAction]

    @property
    def status_counts(self) -> dict[ActionStatus, int]:
        """Actions per status, in the order of ActionStatus, leaving out zero counts."""
        counts = Counter(a.status for a in self.actions)
        return {status: counts[status] for status in ActionStatus if counts[status]}


def pair_actions(
    earlier: AssessmentSummary,
    later: AssessmentSummary,
    earlier_round: Round,
    later_round: Round,
    actions: Iterable[DevelopmentAction],
) -> list[DomainDevelopment]:
    """Per domain of the later round: the change in score and the actions that ran between."""
    ran = [
        a
        for a in actions
        if a.framework == later.framework and action_ran_between(a, earlier_round, later_round)
    ]
    return [
        DomainDevelopment(change, [a for a in ran if a.domain == change.key])
        for change in compare(earlier, later)
    ]
