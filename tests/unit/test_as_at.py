"""The one rule of what existed on a date (psr_tui.analysis.as_at)."""

from __future__ import annotations

from datetime import date

from psr_tui.analysis.as_at import risk_as_at, rounds_as_at
from psr_tui.changes.risks import with_closure
from psr_tui.demo import load_matrix
from psr_tui.models import Record, Review, Risk, RiskStatus, Round


def _risk(**fields: object) -> Risk:
    values: dict[str, object] = {
        "ref": "R9",
        "description": "A risk",
        "likelihood": "Low",
        "impact": "Significant",
        "date_identified": date(2016, 1, 1),
    }
    values.update(fields)
    return Risk.model_validate(values)


def _review(day: date, likelihood: str, score: int) -> Review:
    return Review(date=day, likelihood=likelihood, impact="Significant", score=score)


def test_a_risk_identified_later_did_not_exist_and_one_undated_is_kept() -> None:
    assert risk_as_at(_risk(), date(2015, 12, 31)) is None
    undated = _risk(date_identified=None)
    assert risk_as_at(undated, date(1990, 1, 1)) is undated


def test_the_rating_is_the_one_the_reviews_made_by_then_left() -> None:
    risk = _risk(
        likelihood="Low",
        reviews=[_review(date(2016, 2, 1), "High", 7), _review(date(2016, 3, 1), "Low", 3)],
    )
    in_between = risk_as_at(risk, date(2016, 2, 15))
    assert in_between is not None
    assert (in_between.likelihood, len(in_between.reviews)) == ("High", 1)
    # Before any review: the first rating on record.
    before = risk_as_at(risk, date(2016, 1, 15))
    assert before is not None and before.likelihood == "High" and before.reviews == []
    # Nothing later than the date: the risk itself, unchanged.
    assert risk_as_at(risk, date(2016, 3, 1)) is risk


def test_a_risk_closed_after_the_date_is_open_as_at_it() -> None:
    closed = with_closure(load_matrix(), _risk(), date(2016, 4, 1), "Mitigated", "tester")
    assert closed.status == RiskStatus.CLOSED
    then = risk_as_at(closed, date(2016, 3, 1))
    assert then is not None and then.status == RiskStatus.OPEN and then.reviews == []
    assert risk_as_at(closed, date(2016, 4, 1)) is closed
    # Closed with no closure in its history: when is unknown, so it stays closed.
    imported = _risk(status="closed", reviews=[_review(date(2016, 2, 1), "Low", 3)])
    then = risk_as_at(imported, date(2016, 1, 15))
    assert then is not None and then.status == RiskStatus.CLOSED


def test_rounds_dated_on_or_before_the_date() -> None:
    rounds = [
        Record(n, Round(name=name, date=day, framework="F"))
        for n, (name, day) in enumerate(
            [("Baseline", date(2016, 2, 16)), ("Re-run", date(2016, 8, 16))], start=1
        )
    ]
    assert [r.model.name for r in rounds_as_at(rounds, date(2016, 2, 16))] == ["Baseline"]
    assert rounds_as_at(rounds, date(2016, 2, 15)) == []
