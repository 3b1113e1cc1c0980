"""What existed on a date: the one rule for looking back ("as at 1 Oct 2015").

Every view and report of a past date (the TUI's `t`, `psr ... --as-at`, a PDF as at a
date) counts only what existed then, through these functions:

- *rounds*: those dated on or before the date; the latest of them is the current round,
  and trends and comparisons run only between them;
- *risks*: those identified on or before the date (a risk with no date identified is kept:
  its age is unknown, and hiding it would hide a live risk), each with the reviews made by
  then and rated as the latest of them left it. A risk not yet reviewed by then has the
  rating its first review recorded: psr keeps no rating older than a risk's history. A
  risk closed after the date is open as at it (its closure is a review dated when it
  closed); one closed with no closure in its history stays closed, since when is unknown.
- *programme, actions and meetings*: as they stand today (their past status is not kept
  in the records); the as-at date still decides what is overdue, slipped or due soon.
  `LOOKING_BACK` says so wherever a past date is on show.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from psr_tui.formatting import format_date
from psr_tui.models import Record, Review, Risk, RiskStatus, Round

# The note of a closure in a risk's history (`changes.risks.close_risk` writes it).
CLOSED_NOTE = "Closed: "

# What a past as-at date changes, and what it does not, in a person's words.
LOOKING_BACK = "rounds and risks as they stood then; programme, actions and meetings as today"


def rounds_as_at(rounds: Iterable[Record[Round]], day: date) -> list[Record[Round]]:
    """The rounds dated on or before `day`, in the order given."""
    return [record for record in rounds if record.model.date <= day]


def is_closure(review: Review) -> bool:
    return review.note.startswith(CLOSED_NOTE)


def risk_as_at(risk: Risk, day: date) -> Risk | None:
    """`risk` as it stood on `day`, or None if it was identified after it.

    The risk itself (the same object) when nothing in its history is later than `day`.
    """
    if risk.date_identified is not None and risk.date_identified > day:
        return None
    made = [review for review in risk.reviews if review.date <= day]
    if len(made) == len(risk.reviews):
        return risk
    later = sorted((r for r in risk.reviews if r.date > day), key=lambda r: r.date)
    rated_by = max(made, key=lambda r: r.date) if made else later[0]
    status = risk.status
    if status == RiskStatus.CLOSED and any(is_closure(review) for review in later):
        status = RiskStatus.OPEN
    return risk.model_copy(
        update={
            "likelihood": rated_by.likelihood,
            "impact": rated_by.impact,
            "reviews": made,
            "status": status,
        }
    )


def risks_as_at(records: Iterable[Record[Risk]], day: date) -> list[Record[Risk]]:
    """The stored risks as they stood on `day` (those identified later left out); a risk
    unchanged since keeps its record, so facts kept for it stay valid."""
    kept: list[Record[Risk]] = []
    for record in records:
        then = risk_as_at(record.model, day)
        if then is record.model:
            kept.append(record)
        elif then is not None:
            kept.append(Record(record.doc_id, then))
    return kept


def nothing_then(what: str, day: date) -> tuple[str, str]:
    """'No round was dated', 'on or before 1 Oct 2015': what a view says (in one line, or
    two where it is narrow) when nothing of `what` ("rounds" or "risks") existed yet."""
    if what == "rounds":
        return "No round was dated", f"on or before {format_date(day)}"
    return "No risk had been identified", f"by {format_date(day)}"
