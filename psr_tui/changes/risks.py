"""The changes an officer makes to the risk register: add, edit, review, delete a review,
close. The register screens and `psr risk add` call these.

A review and a closure append to the risk's history (its `reviews`), so they are applied
to the history as it is now: two officers reviewing the same risk keep both reviews, and
only the likelihood or impact both changed is a clash.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from psr_tui import analysis
from psr_tui.analysis.as_at import CLOSED_NOTE
from psr_tui.errors import InvalidRecordError, NotFoundError
from psr_tui.formatting import format_date
from psr_tui.models import Record, Review, Risk, RiskMatrix, RiskStatus
from psr_tui.store import Transaction


def _matrix(tx: Transaction) -> RiskMatrix:
    matrix = tx.matrix()
    if matrix is None:
        raise InvalidRecordError("the database has no risk matrix: `psr import matrix FILE` first")
    return matrix


def add_risk(tx: Transaction, fields: Mapping[str, Any]) -> Record[Risk]:
    """Add a risk from its field values; identified on the as-at date unless given.

    The ref is looked up in the stored rows (no stored risk is validated for it), and the
    new risk is validated once, against the matrix, as it is stored.
    """
    _matrix(tx)
    ref = str(fields.get("ref") or "").strip()
    if not ref:
        raise InvalidRecordError("a reference is needed, e.g. R9")
    if tx.find_id("risks", "ref", ref) is not None:
        raise InvalidRecordError(f"risk {ref} already exists: choose another reference")
    values = {**fields, "ref": ref}
    if values.get("date_identified") is None:
        values["date_identified"] = tx.as_at
    return tx.add_checked(tx.check_new("risks", [values]))[0]


def edit_risk(
    tx: Transaction,
    doc_id: int,
    base: Risk,
    changes: Mapping[str, Any],
    *,
    overwrite: bool = False,
) -> Risk:
    """Save the fields this session changed on the risk it read (`base`)."""
    edited = base.model_copy(update=dict(changes))
    if edited.status == RiskStatus.CLOSED and base.status != RiskStatus.CLOSED:
        raise InvalidRecordError(
            f"closing {base.ref} needs a closure date and a reason: close it (c on the register)"
        )
    return tx.merge("risks", doc_id, base, edited, overwrite=overwrite)


def _scored(matrix: RiskMatrix, likelihood: str, impact: str) -> tuple[str, str, int]:
    found_l, found_i = matrix.find_likelihood(likelihood), matrix.find_impact(impact)
    if found_l is None or found_i is None:
        raise InvalidRecordError(
            f"{likelihood} / {impact} is not a cell of the matrix {matrix.name!r}: "
            "it changed meanwhile, choose again"
        )
    return found_l, found_i, matrix.score(found_l, found_i)


def _with_history_of(tx: Transaction, doc_id: int, base: Risk) -> tuple[Risk, Risk]:
    """The stored risk, and `base` with the stored history: what a history change edits."""
    latest: Risk = tx.get("risks", doc_id).model
    return latest, base.model_copy(update={"reviews": latest.reviews})


def review_risk(
    tx: Transaction,
    doc_id: int,
    base: Risk,
    day: date,
    likelihood: str,
    impact: str,
    note: str,
    *,
    overwrite: bool = False,
) -> Risk:
    """Record a review: the reviewed likelihood and impact become the risk's current ones."""
    matrix = _matrix(tx)
    likelihood, impact, _score = _scored(matrix, likelihood, impact)
    _latest, read = _with_history_of(tx, doc_id, base)
    edited = analysis.with_review(matrix, read, day, likelihood, impact, note, tx.user)
    return tx.merge("risks", doc_id, read, edited, overwrite=overwrite)


def review_text(review: Review) -> str:
    """A review in one line, as the audit and the confirmation say it."""
    text = f"{format_date(review.date)} {review.likelihood} / {review.impact} ({review.score})"
    by = f" by {review.by}" if review.by else ""
    return f"{text}{by}" + (f": {review.note}" if review.note else "")


def delete_review(tx: Transaction, doc_id: int, review: Review) -> Risk:
    """Remove one review made by mistake; the audit entry says which one it was.

    The risk's current likelihood and impact stay as they are: a review that set them is
    removed from the history, not undone (edit the risk to change them).
    """
    latest: Risk = tx.get("risks", doc_id).model
    if review not in latest.reviews:
        raise NotFoundError(
            f"that review of {latest.ref} ({review_text(review)}) is no longer there: "
            "another session removed it"
        )
    reviews = list(latest.reviews)
    reviews.remove(review)
    edited = latest.model_copy(update={"reviews": reviews})
    return tx.merge(
        "risks", doc_id, latest, edited, audit=("delete review", review_text(review), "")
    )


def with_closure(matrix: RiskMatrix, risk: Risk, day: date, reason: str, by: str) -> Risk:
    """The risk closed on `day`: its history gains an entry saying when, why and who."""
    likelihood, impact, score = _scored(matrix, risk.likelihood, risk.impact)
    closure = Review(
        date=day,
        likelihood=likelihood,
        impact=impact,
        score=score,
        note=CLOSED_NOTE + reason,
        by=by,
    )
    reviews = sorted([*risk.reviews, closure], key=lambda r: r.date)
    return risk.model_copy(update={"status": RiskStatus.CLOSED, "reviews": reviews})


def close_risk(
    tx: Transaction, doc_id: int, base: Risk, day: date, reason: str, *, overwrite: bool = False
) -> Risk:
    """Close a risk on `day` for `reason`; both are kept in its history."""
    reason = reason.strip()
    if not reason:
        raise InvalidRecordError(f"say why {base.ref} is closed: a reason is needed")
    latest, read = _with_history_of(tx, doc_id, base)
    if latest.status == RiskStatus.CLOSED:
        raise InvalidRecordError(
            f"{latest.ref} was already closed by {latest.updated_by or 'another session'}"
        )
    if latest.date_identified is not None and day < latest.date_identified:
        raise InvalidRecordError(
            f"the closure date {format_date(day)} is before {latest.ref} was identified "
            f"({format_date(latest.date_identified)})"
        )
    edited = with_closure(_matrix(tx), read, day, reason, tx.user)
    return tx.merge(
        "risks",
        doc_id,
        read,
        edited,
        overwrite=overwrite,
        audit=("close", "open", f"closed {format_date(day)}: {reason}"),
    )
