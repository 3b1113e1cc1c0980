"""Who has replied: each respondent's state in a round, and the list to chase.

A respondent is, in this order: scored in full (from a returned form, "returned", or typed
in psr, "scored"); partly scored ("partial"); sent a form with nothing back yet ("sent");
or not started. Everyone not scored in full is to be chased.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from psr_tui.formatting import format_date
from psr_tui.models import Framework, Response


class ReplyState(StrEnum):
    RETURNED = "returned"
    SCORED = "scored"
    PARTIAL = "partial"
    SENT = "sent"
    NOT_STARTED = "not_started"


@dataclass(frozen=True)
class Reply:
    name: str
    organisation: str
    group: str
    state: ReplyState
    scored: int
    domains: int
    form_sent: date | None
    form_returned: date | None

    @property
    def to_chase(self) -> bool:
        return self.state not in (ReplyState.RETURNED, ReplyState.SCORED)

    @property
    def text(self) -> str:
        """The state as an officer reads it: "form sent on 3 Feb 2016"."""
        returned = f"returned on {format_date(self.form_returned)}" if self.form_returned else ""
        sent = f"form sent on {format_date(self.form_sent)}" if self.form_sent else ""
        if self.state == ReplyState.RETURNED:
            return returned
        if self.state == ReplyState.SCORED:
            return "scored in psr"
        if self.state == ReplyState.PARTIAL:
            return ", ".join(
                p for p in (f"partial ({self.scored} of {self.domains})", returned or sent) if p
            )
        if self.state == ReplyState.SENT:
            return sent
        return "not started"


def reply(framework: Framework, response: Response) -> Reply:
    domains = len(framework.domains)
    scored = sum(1 for d in framework.domains if response.scores.get(d.key) is not None)
    if scored == domains:
        state = ReplyState.RETURNED if response.form_returned else ReplyState.SCORED
    elif scored:
        state = ReplyState.PARTIAL
    elif response.form_sent:
        state = ReplyState.SENT
    else:
        state = ReplyState.NOT_STARTED
    return Reply(
        response.name,
        response.organisation,
        response.group,
        state,
        scored,
        domains,
        response.form_sent,
        response.form_returned,
    )


@dataclass(frozen=True)
class RoundReplies:
    round: str
    framework: str
    replies: list[Reply]

    def count(self, state: ReplyState) -> int:
        return sum(1 for r in self.replies if r.state == state)

    @property
    def to_chase(self) -> list[Reply]:
        return [r for r in self.replies if r.to_chase]

    @property
    def line(self) -> str:
        """One line for the round: "4 returned, 2 scored in psr, 1 partial; 3 to chase"."""
        words = {
            ReplyState.RETURNED: "returned",
            ReplyState.SCORED: "scored in psr",
            ReplyState.PARTIAL: "partial",
            ReplyState.SENT: "sent, not back",
            ReplyState.NOT_STARTED: "not started",
        }
        parts = [f"{self.count(s)} {w}" for s, w in words.items() if self.count(s)]
        chase = len(self.to_chase)
        return f"{', '.join(parts) or 'no respondents'}; {chase or 'none'} to chase"


def round_replies(
    framework: Framework, round_name: str, responses: Sequence[Response]
) -> RoundReplies:
    """Every respondent's reply, in the order given."""
    return RoundReplies(round_name, framework.name, [reply(framework, r) for r in responses])
