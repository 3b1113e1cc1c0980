"""The risk register's pure functions: cells, text filter, reviews, history, ref order."""

from __future__ import annotations

from datetime import date

from psr_tui import analysis
from psr_tui.demo import load_matrix
from psr_tui.models import Review, Risk, RiskStatus


def _risk(**changes: object) -> Risk:
    fields: dict[str, object] = {
        "ref": "R1",
        "description": "Funding gap",
        "likelihood": "Low",
        "impact": "Significant",
        "owner": "Programme Manager",
        "date_identified": date(2015, 8, 1),
    }
    return Risk.model_validate({**fields, **changes})


def test_risks_in_cell_counts_open_risks_residual_or_inherent() -> None:
    matrix = load_matrix()
    risks = [
        _risk(),
        _risk(ref="R2", inherent_likelihood="High", inherent_impact="Critical"),
        _risk(ref="R3", status="closed"),
    ]
    residual = analysis.risks_in_cell(matrix, risks, "Low", "Significant", inherent=False)
    assert [r.ref for r in residual] == ["R1", "R2"]
    inherent = analysis.risks_in_cell(matrix, risks, "High", "Critical", inherent=True)
    assert [r.ref for r in inherent] == ["R2"]
    assert analysis.risk_cell(risks[0], inherent=True) is None


def test_risk_matches_every_word_in_any_text_field() -> None:
    risk = _risk(actions="Ask the [red]Executive[/red]")
    assert analysis.risk_matches(risk, "")
    assert analysis.risk_matches(risk, "funding programme")
    assert analysis.risk_matches(risk, "[RED]")
    assert not analysis.risk_matches(risk, "funding police")


def test_with_review_sets_current_labels_and_keeps_history_in_date_order() -> None:
    matrix = load_matrix()
    earlier = Review(date=date(2016, 1, 5), likelihood="Low", impact="Significant", score=3)
    risk = _risk(reviews=[earlier])
    reviewed = analysis.with_review(
        matrix, risk, date(2016, 2, 16), "High", "Critical", "worse", "tester"
    )
    assert (reviewed.likelihood, reviewed.impact) == ("High", "Critical")
    assert [r.score for r in reviewed.reviews] == [3, 9]
    assert reviewed.reviews[-1].by == "tester"
    assert analysis.movement(matrix, reviewed) == 6
    # High band reviews monthly: next review a month after this one.
    assert analysis.next_review(matrix, reviewed) == date(2016, 3, 16)
    assert analysis.score_history(reviewed) == [(date(2016, 1, 5), 3), (date(2016, 2, 16), 9)]
    assert risk.reviews == [earlier]  # the original is not changed


def test_closed_risk_keeps_history_and_has_no_next_review() -> None:
    matrix = load_matrix()
    risk = _risk(reviews=[Review(date=date(2016, 1, 5), likelihood="Low", impact="Low", score=1)])
    closed = risk.model_copy(update={"status": RiskStatus.CLOSED})
    assert analysis.next_review(matrix, closed) is None
    assert len(closed.reviews) == 1


def test_ref_order_sorts_numbers_as_numbers() -> None:
    refs = ["R10", "R2", "A1", "R1", "Rx"]
    assert sorted(refs, key=analysis.ref_order) == ["A1", "R1", "R2", "R10", "Rx"]
