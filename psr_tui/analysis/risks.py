"""Risk facts from the matrix: score, band, overdue, reviews, the matrix's counts."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date

from psr_tui.models import (
    Band,
    Review,
    Risk,
    RiskMatrix,
    RiskStatus,
)


def risk_score(matrix: RiskMatrix, risk: Risk, *, inherent: bool = False) -> int | None:
    """The score the matrix gives (residual by default). None when a label is unknown."""
    likelihood, impact = (
        (risk.inherent_likelihood, risk.inherent_impact)
        if inherent
        else (risk.likelihood, risk.impact)
    )
    if likelihood is None or impact is None:
        return None
    found_l, found_i = matrix.find_likelihood(likelihood), matrix.find_impact(impact)
    if found_l is None or found_i is None:
        return None
    return matrix.score(found_l, found_i)


def risk_band(matrix: RiskMatrix, risk: Risk, *, inherent: bool = False) -> Band | None:
    score = risk_score(matrix, risk, inherent=inherent)
    return matrix.band_for(score) if score is not None else None


def is_overdue(risk: Risk, as_at: date) -> bool:
    """An open risk whose action date has passed."""
    return (
        risk.status == RiskStatus.OPEN and risk.action_date is not None and risk.action_date < as_at
    )


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def last_reviewed(risk: Risk) -> date | None:
    if risk.reviews:
        return max(r.date for r in risk.reviews)
    return risk.date_identified


def next_review(matrix: RiskMatrix, risk: Risk) -> date | None:
    """Last review (or identification) plus the review interval of the risk's band."""
    band = risk_band(matrix, risk)
    start = last_reviewed(risk)
    if band is None or start is None or risk.status != RiskStatus.OPEN:
        return None
    return add_months(start, band.review_months)


def review_overdue(matrix: RiskMatrix, risk: Risk, as_at: date) -> bool:
    due = next_review(matrix, risk)
    return due is not None and due < as_at


def movement(matrix: RiskMatrix, risk: Risk) -> int | None:
    """Change of score since the last review (positive = worse). None without a review."""
    if not risk.reviews:
        return None
    latest = max(risk.reviews, key=lambda r: r.date)
    previous = [r for r in risk.reviews if r is not latest]
    current = risk_score(matrix, risk)
    if current is None:
        return None
    # When the latest review set the current score, movement is against the one before it.
    if (latest.likelihood, latest.impact) == (risk.likelihood, risk.impact) and previous:
        return current - max(previous, key=lambda r: r.date).score
    return current - latest.score


def matrix_counts(
    matrix: RiskMatrix, risks: Iterable[Risk], *, inherent: bool = False
) -> dict[tuple[str, str], int]:
    """Open risks per (likelihood, impact) cell; cells with none are present with 0."""
    counts = {(li, im): 0 for li in matrix.likelihood for im in matrix.impact}
    for risk in risks:
        if risk.status != RiskStatus.OPEN:
            continue
        likelihood, impact = (
            (risk.inherent_likelihood, risk.inherent_impact)
            if inherent
            else (risk.likelihood, risk.impact)
        )
        if likelihood is None or impact is None:
            continue
        cell = (matrix.find_likelihood(likelihood), matrix.find_impact(impact))
        if cell in counts:
            counts[cell] += 1
    return counts


def band_counts(matrix: RiskMatrix, risks: Iterable[Risk]) -> dict[str, int]:
    """Open risks per band, in band order."""
    counts = {band.name: 0 for band in matrix.bands}
    for risk in risks:
        band = risk_band(matrix, risk)
        if band is not None and risk.status == RiskStatus.OPEN:
            counts[band.name] += 1
    return counts


def labels_in_use(risks: Iterable[Risk]) -> tuple[set[str], set[str]]:
    """Likelihood and impact labels used by open risks (a new matrix must keep them)."""
    likelihoods: set[str] = set()
    impacts: set[str] = set()
    for risk in risks:
        if risk.status != RiskStatus.OPEN:
            continue
        likelihoods.update(x for x in (risk.likelihood, risk.inherent_likelihood) if x)
        impacts.update(x for x in (risk.impact, risk.inherent_impact) if x)
    return likelihoods, impacts


def risk_cell(risk: Risk, *, inherent: bool = False) -> tuple[str, str] | None:
    """The (likelihood, impact) cell a risk sits in: residual, or inherent when it has one."""
    if inherent:
        if risk.inherent_likelihood is None or risk.inherent_impact is None:
            return None
        return risk.inherent_likelihood, risk.inherent_impact
    return risk.likelihood, risk.impact


def risks_in_cell(
    matrix: RiskMatrix, risks: Iterable[Risk], likelihood: str, impact: str, *, inherent: bool
) -> list[Risk]:
    """Open risks in one matrix cell (labels compared as the matrix finds them)."""
    found = []
    for risk in risks:
        cell = risk_cell(risk, inherent=inherent)
        if risk.status != RiskStatus.OPEN or cell is None:
            continue
        if (matrix.find_likelihood(cell[0]), matrix.find_impact(cell[1])) == (likelihood, impact):
            found.append(risk)
    return found


def risk_matches(risk: Risk, text: str) -> bool:
    """Whether every word of `text` appears (any case) in the risk's text fields."""
    words = text.lower().split()
    if not words:
        return True
    haystack = " ".join(
        (risk.ref, risk.description, risk.category, risk.controls, risk.actions, risk.owner)
    ).lower()
    return all(word in haystack for word in words)


def with_review(
    matrix: RiskMatrix, risk: Risk, day: date, likelihood: str, impact: str, note: str, by: str
) -> Risk:
    """The risk after a review: the reviewed likelihood/impact become current, history kept."""
    review = Review(
        date=day,
        likelihood=likelihood,
        impact=impact,
        score=matrix.score(likelihood, impact),
        note=note,
        by=by,
    )
    reviews = sorted([*risk.reviews, review], key=lambda r: r.date)
    return risk.model_copy(update={"likelihood": likelihood, "impact": impact, "reviews": reviews})


def score_history(risk: Risk) -> list[tuple[date, int]]:
    """The score at each review, oldest first."""
    return [(r.date, r.score) for r in sorted(risk.reviews, key=lambda r: r.date)]


def ref_order(ref: str) -> tuple[str, int, str]:
    """A sort key putting R2 before R10: the letters, then the number, then the rest."""
    head = ref.rstrip("0123456789")
    digits = ref[len(head) :]
    return (head.lower(), int(digits) if digits else -1, ref)
