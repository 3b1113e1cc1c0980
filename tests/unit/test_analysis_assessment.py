"""The assessment analysis: seed 000's table from the demo data, levels, flags, other shapes."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from psr_tui import analysis
from psr_tui.models import Domain, Framework, Response, Round
from psr_tui.store import Store
from tests.unit.test_bundled_data import SEED_000_MEANS

ROUND = "Baseline, Feb 2016"
EXEC, IG = "Executive", "Implementation Group"


@pytest.fixture
def demo_summary(demo_store: Store) -> analysis.AssessmentSummary:
    snap = demo_store.snapshot()
    record = snap.round(ROUND)
    assert record is not None
    framework = snap.framework(record.model.framework)
    assert framework is not None
    responses = [r.model for r in snap.responses(ROUND)]
    return analysis.summarise(framework, record.model, responses)


def framework(domains: int, levels: int) -> Framework:
    return Framework(
        name=f"{domains}x{levels}",
        levels=[f"Level {n}" for n in range(1, levels + 1)],
        domains=[
            Domain(
                name=f"Area {d}",
                question=f"Area {d}?",
                descriptors=[f"A{d} L{n}" for n in range(1, levels + 1)],
            )
            for d in range(1, domains + 1)
        ],
    )


def round_of(fw: Framework, **targets: int) -> Round:
    return Round(name="R", date=date(2016, 2, 16), framework=fw.name, targets=targets)


def response(name: str, group: str, scores: dict[str, int | None], org: str = "Org") -> Response:
    return Response(round="R", name=name, organisation=org, group=group, scores=scores)


def test_demo_reproduces_seed_000(demo_summary: analysis.AssessmentSummary) -> None:
    assert demo_summary.groups == [EXEC, IG]
    assert demo_summary.responses_by_group == {EXEC: 4, IG: 6}
    assert len(demo_summary.responses_by_organisation) == 7
    assert [d.key for d in demo_summary.domains] == list(SEED_000_MEANS)
    for domain in demo_summary.domains:
        assert (domain.means[EXEC], domain.means[IG]) == SEED_000_MEANS[domain.key], domain.name
        assert domain.counts == {EXEC: 4, IG: 6}


def test_demo_levels_are_the_floor_of_the_combined_mean(
    demo_summary: analysis.AssessmentSummary,
) -> None:
    governance = demo_summary.domain("governance")
    assert governance is not None
    assert governance.combined == pytest.approx(1.8)
    assert governance.achieved_level == 1
    assert governance.current is not None and governance.current.startswith("All partners")
    leadership = demo_summary.domain("leadership")
    assert leadership is not None
    assert (leadership.combined, leadership.achieved_level) == (2, 2)
    # Seed 000's Leadership text: current is level 2, progression level 3.
    assert (
        leadership.current is not None and "consensus amongst senior leaders" in leadership.current
    )
    assert leadership.progression is not None and "highly visible" in leadership.progression
    assert [d.name for d in demo_summary.highest] == ["Culture", "Service model design"]
    # Seed 000 names three lowest: a quarter of a level or more below the 1.89 average.
    assert [d.name for d in demo_summary.lowest] == [
        "Financial and contractual mechanisms",
        "Information and IT",
        "Workforce",
    ]
    assert demo_summary.incomplete == []


def test_position_is_worded_as_seed_000() -> None:
    fw = framework(2, 5)
    assert (
        analysis.position_text(fw, 1)
        == f"level 2 '{fw.level_name(2)}', having achieved level 1 '{fw.level_name(1)}'"
    )
    assert analysis.position_text(fw, 0) == f"level 1 '{fw.level_name(1)}', not yet achieved"
    assert analysis.position_text(fw, 5) == f"level 5 '{fw.level_name(5)}' achieved, the top level"
    assert analysis.position_text(fw, None) == "not yet scored"


def test_no_domain_stands_out_when_all_are_close() -> None:
    fw = framework(3, 5)
    scores = {"area_1": 2, "area_2": 2, "area_3": 3}
    summary = analysis.summarise(
        fw,
        round_of(fw),
        [response("A", EXEC, scores), response("B", EXEC, {**scores, "area_3": 2})],
    )
    # Averages 2, 2, 2.5 around 2.17: only area 3 (a third of a level above) stands out.
    assert [d.key for d in summary.highest] == ["area_3"]
    assert summary.lowest == []


def test_demo_flags(demo_summary: analysis.AssessmentSummary) -> None:
    by_key = {d.key: d for d in demo_summary.domains}
    # Information and IT: Exec 1, IG 2 -> a level apart; scores 1-3, yet they agree.
    assert by_key["information_and_it"].groups_differ
    assert not by_key["information_and_it"].disagreement
    assert (by_key["culture"].lowest_score, by_key["culture"].highest_score) == (1, 4)
    assert not by_key["culture"].groups_differ  # 2 vs 2.5
    fin = by_key["financial_and_contractual_mechanisms"]
    assert (fin.lowest_score, fin.highest_score, fin.disagreement) == (1, 2, False)


def test_progression_is_none_at_the_top_level() -> None:
    fw = framework(2, 3)
    summary = analysis.summarise(
        fw, round_of(fw), [response("A", EXEC, {"area_1": 3, "area_2": 2})]
    )
    top, middle = summary.domains
    assert (top.achieved_level, top.current, top.progression) == (3, "A1 L3", None)
    assert (middle.achieved_level, middle.current, middle.progression) == (2, "A2 L2", "A2 L3")


def test_an_empty_round() -> None:
    fw = framework(3, 5)
    summary = analysis.summarise(fw, round_of(fw), [])
    assert summary.overall_combined is None
    assert summary.overall_level is None
    assert summary.highest == summary.lowest == []
    assert summary.responses_by_organisation == {}
    for domain in summary.domains:
        assert domain.combined is None and domain.achieved_level is None
        assert domain.current is None and domain.progression is None
        assert domain.lowest_score is None and domain.agreement.verdict is analysis.Verdict.TOO_FEW
        assert not domain.disagreement and not domain.groups_differ
        assert domain.means == {EXEC: None, IG: None}


def test_six_by_four_with_gaps_targets_and_unscored() -> None:
    fw = framework(6, 4)
    round_ = round_of(fw, area_1=4, area_2=1)
    responses = [
        response("A", EXEC, {f"area_{d}": 4 for d in range(1, 7)}),
        response("B", IG, {"area_1": 1, "area_2": 2, "area_3": None}, org="Other"),
    ]
    summary = analysis.summarise(fw, round_, responses)
    assert len(summary.domains) == 6
    area_1, area_2, area_3 = summary.domains[:3]
    assert (area_1.combined, area_1.achieved_level, area_1.lowest_score) == (2.5, 2, 1)
    # Two ratings (4 and 1) are too few to call divided; the groups are 3 levels apart.
    assert area_1.agreement.text == "too few (n=2)"
    assert not area_1.disagreement and area_1.groups_differ
    assert area_1.target == 4 and area_1.gap_to_target == 1.5
    assert area_2.target == 1 and area_2.gap_to_target == -2  # target already passed
    assert area_3.unscored == 1 and area_3.counts == {EXEC: 1, IG: 0}
    assert [(p.name, p.scored, p.total) for p in summary.incomplete] == [("B", 2, 6)]
    assert summary.responses_by_organisation == {"Org": {EXEC: 1, IG: 0}, "Other": {EXEC: 0, IG: 1}}


def test_groups_a_whole_level_apart_despite_float_rounding() -> None:
    # Means 5/3 and 8/3: exactly one level apart, 0.999... in floats.
    fw = framework(1, 5)
    responses = [
        *(response(f"E{i}", EXEC, {"area_1": s}) for i, s in enumerate([1, 2, 2])),
        *(response(f"I{i}", IG, {"area_1": s}) for i, s in enumerate([2, 3, 3])),
    ]
    domain = analysis.summarise(fw, round_of(fw), responses).domains[0]
    assert domain.groups_differ


def test_compare_trend_and_arrows() -> None:
    fw = framework(2, 5)
    first = analysis.summarise(fw, round_of(fw), [response("A", EXEC, {"area_1": 1, "area_2": 3})])
    later_round = Round(name="R2", date=date(2016, 8, 1), framework=fw.name)
    second = analysis.summarise(fw, later_round, [response("A", EXEC, {"area_1": 2, "area_2": 3})])
    changes = analysis.compare(first, second)
    assert [(c.before, c.after, c.delta) for c in changes] == [(1, 2, 1), (3, 3, 0)]
    assert changes[0].before_by_group[EXEC] == 1 and changes[0].after_by_group[EXEC] == 2
    rows = analysis.trend([first, second])
    assert [row.combined for row in rows] == [[1, 2], [3, 3]]
    assert [analysis.arrow(c.delta) for c in changes] == ["↑", "→"]
    assert analysis.arrow(-0.5) == "↓" and analysis.arrow(None) == " "


def test_score_distribution_counts_each_level() -> None:
    fw = framework(1, 4)
    responses = [response(str(s), EXEC, {"area_1": s}) for s in (1, 1, 3, 4)]
    responses.append(response("none", EXEC, {}))
    assert analysis.score_distribution(fw, responses, "area_1") == [2, 0, 1, 1]


@given(
    levels=st.integers(min_value=2, max_value=7),
    data=st.data(),
)
def test_achieved_level_is_the_floor_of_the_combined_mean(levels: int, data: st.DataObject) -> None:
    fw = framework(1, levels)
    scores = data.draw(st.lists(st.integers(1, levels), min_size=1, max_size=30))
    groups = data.draw(
        st.lists(st.sampled_from([EXEC, IG]), min_size=len(scores), max_size=len(scores))
    )
    responses = [
        response(f"P{i}", group, {"area_1": s})
        for i, (s, group) in enumerate(zip(scores, groups, strict=True))
    ]
    domain = analysis.summarise(fw, round_of(fw), responses).domains[0]
    assert domain.combined is not None and domain.achieved_level is not None
    assert domain.achieved_level <= domain.combined < domain.achieved_level + 1
    assert 1 <= domain.achieved_level <= levels
    assert (domain.progression is None) == (domain.achieved_level == levels)
