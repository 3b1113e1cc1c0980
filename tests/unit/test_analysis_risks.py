"""The risk register's pure functions: cells, text filter, reviews, history, ref order."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from psr_tui import analysis
from psr_tui.demo import load_matrix
from psr_tui.models import Review, Risk, RiskStatus

AS_AT = date(2016, 2, 16)


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


MATRIX = load_matrix()
# The matrix's labels as stored, in another case and padded, and labels it does not have.
LIKELIHOODS = [*MATRIX.likelihood, "low", " HIGH ", "Enormous"]
IMPACTS = [*MATRIX.impact, "critical", "Noticeable ", "Vast"]


@given(
    st.lists(
        st.tuples(
            st.sampled_from(LIKELIHOODS),
            st.sampled_from(IMPACTS),
            st.sampled_from([None, *LIKELIHOODS]),
            st.sampled_from([None, *IMPACTS]),
        ),
        max_size=12,
    )
)
def test_facts_worked_out_together_are_each_risks_own(
    labels: list[tuple[str, str, str | None, str | None]],
) -> None:
    """A pass over the register places each pair of labels once and shares it: every risk
    still gets the cell, score and band its own labels give, residual and inherent."""
    risks = [
        _risk(
            ref=f"R{n}",
            likelihood=likelihood,
            impact=impact,
            inherent_likelihood=inherent_likelihood,
            inherent_impact=inherent_impact,
        )
        for n, (likelihood, impact, inherent_likelihood, inherent_impact) in enumerate(labels)
    ]
    together = analysis.unordered_facts(MATRIX, risks, AS_AT)
    alone = [analysis.risk_facts(MATRIX, risk, AS_AT) for risk in risks]
    assert together == alone
    for fact in together:
        assert fact.score == analysis.risk_score(MATRIX, fact.risk)
        assert fact.inherent_score == analysis.risk_score(MATRIX, fact.risk, inherent=True)


def test_in_cell_counts_open_risks_residual_or_inherent() -> None:
    matrix = load_matrix()
    risks = [
        _risk(),
        _risk(ref="R2", inherent_likelihood="High", inherent_impact="Critical"),
        _risk(ref="R3", status="closed"),
    ]
    facts = analysis.register_facts(matrix, risks, AS_AT)
    residual = analysis.in_cell(facts, "Low", "Significant")
    assert [f.ref for f in residual] == ["R1", "R2"]
    inherent = analysis.in_cell(facts, "High", "Critical", inherent=True)
    assert [f.ref for f in inherent] == ["R2"]
    assert facts[0].inherent_cell is None
    counts = analysis.matrix_counts(matrix, facts, inherent=True)
    assert counts[("High", "Critical")] == 1 and sum(counts.values()) == 1


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
    facts = analysis.risk_facts(matrix, reviewed, AS_AT)
    assert facts.movement == 6
    # High band reviews monthly: next review a month after this one.
    assert facts.next_review == date(2016, 3, 16)
    assert analysis.score_history(reviewed) == [(date(2016, 1, 5), 3), (date(2016, 2, 16), 9)]
    assert risk.reviews == [earlier]  # the original is not changed


def test_closed_risk_keeps_history_and_has_no_next_review() -> None:
    matrix = load_matrix()
    risk = _risk(reviews=[Review(date=date(2016, 1, 5), likelihood="Low", impact="Low", score=1)])
    closed = risk.model_copy(update={"status": RiskStatus.CLOSED})
    assert analysis.risk_facts(matrix, closed, AS_AT).next_review is None
    assert len(closed.reviews) == 1


def test_ref_order_sorts_numbers_as_numbers() -> None:
    refs = ["R10", "R2", "A1", "R1", "Rx"]
    assert sorted(refs, key=analysis.ref_order) == ["A1", "R1", "R2", "R10", "Rx"]


def test_ref_order_is_natural_and_ignores_case() -> None:
    refs = ["R10", "RISK-1", "r3", "R2a", "R2", "R1"]
    assert sorted(refs, key=analysis.ref_order) == ["R1", "R2", "R2a", "r3", "R10", "RISK-1"]


def test_facts_of_a_risk_for_its_matrix_and_date() -> None:
    matrix = load_matrix()
    review = Review(date=date(2016, 1, 5), likelihood="Low", impact="Noticeable", score=1)
    risk = _risk(
        likelihood="medium",  # any case: the matrix's spelling is what counts
        impact="Critical",
        inherent_likelihood="High",
        inherent_impact="Critical",
        action_date=date(2016, 2, 1),
        reviews=[review],
    )
    facts = analysis.risk_facts(matrix, risk, AS_AT)
    assert facts.cell == ("Medium", "Critical")
    assert (facts.likelihood_position, facts.impact_position) == (1, 2)
    assert (facts.score, facts.band and facts.band.name, facts.band_position) == (8, "High", 2)
    assert (facts.inherent_score, facts.inherent_band and facts.inherent_band.name) == (9, "High")
    assert facts.tone == analysis.Tone.DANGER
    assert facts.overdue and facts.movement == 7
    # High reviews monthly: a month after 5 Jan is 5 Feb, before 16 Feb.
    assert facts.next_review == date(2016, 2, 5) and facts.review_overdue
    later = analysis.risk_facts(matrix, risk, date(2016, 2, 1))
    assert not later.overdue and not later.review_overdue  # due on the day is not late
    closed = analysis.risk_facts(matrix, risk.model_copy(update={"status": "closed"}), AS_AT)
    assert not closed.overdue and not closed.review_overdue
    unknown = analysis.risk_facts(None, risk, AS_AT)
    assert (unknown.score, unknown.band, unknown.likelihood_position) == (None, None, None)
    assert unknown.overdue  # the action date needs no matrix


def _order(facts: list[analysis.RiskFacts], order: str, *, reverse: bool = False) -> list[str]:
    return [f.ref for f in analysis.sort_risks(facts, order, lambda f: f, reverse=reverse)]


def test_sorts_follow_the_matrix_and_keep_blanks_last() -> None:
    matrix = load_matrix()  # likelihood Low, Medium, High; impact Noticeable, Significant, Critical
    risks = [
        _risk(ref="A", likelihood="High", impact="Noticeable", owner=""),
        _risk(ref="B", likelihood="Low", impact="Critical", owner="zed"),
        _risk(ref="C", likelihood="Medium", impact="Significant", owner="Amy"),
        _risk(ref="D", likelihood="Low", impact="Noticeable", owner="amy"),
    ]
    facts = analysis.register_facts(matrix, risks, AS_AT)
    assert _order(facts, "likelihood") == ["B", "D", "C", "A"]  # ties in ref order
    assert _order(facts, "likelihood", reverse=True) == ["A", "C", "B", "D"]
    assert _order(facts, "impact") == ["A", "D", "C", "B"]  # Critical is the highest
    assert _order(facts, "score", reverse=True) == ["B", "C", "A", "D"]  # 6, 5, 4, 1
    assert _order(facts, "owner") == ["C", "D", "B", "A"]  # any case; no owner last
    assert _order(facts, "owner", reverse=True) == ["B", "C", "D", "A"]  # still last


def test_band_colour_words_and_hex_colours_have_one_tone() -> None:
    assert analysis.colour_tone(" Green ") == analysis.Tone.GOOD
    assert analysis.colour_tone("AMBER") == analysis.Tone.CAUTION
    assert analysis.colour_tone("gray") == analysis.colour_tone("grey") == analysis.Tone.NEUTRAL
    assert analysis.colour_tone("#e8837c") == analysis.Tone.DANGER
    assert analysis.colour_tone("#ffbf00") == analysis.Tone.CAUTION  # amber
    assert analysis.colour_tone("#ffa500") == analysis.Tone.SERIOUS  # orange
    assert analysis.colour_tone("#2e7d32") == analysis.Tone.GOOD
    assert analysis.colour_tone("#808080") == analysis.Tone.NEUTRAL
    assert analysis.colour_tone("red; background: url(x)") == analysis.Tone.NEUTRAL
