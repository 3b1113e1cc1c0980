"""Consensus instead of spread, and the achieved-level rule as data (issue 17 items 4, 5).

Every case is worked by hand: the median, the share of ratings at it (a median between two
levels is at both), the share within the rule's levels of it, and the verdict.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from psr_tui import analysis
from psr_tui.analysis import Verdict
from psr_tui.cli_commands import summary_for
from psr_tui.models import AchievedRule, ConsensusRule, Framework
from psr_tui.store import Store
from tests.unit.test_analysis_assessment import (
    EXEC,
    IG,
    framework,
    response,
    round_of,
)

DEFAULT = ConsensusRule()


@pytest.mark.parametrize(
    ("ratings", "median", "at", "within", "verdict"),
    [
        # 1 2 2 3: median 2; two of four at it; all within a level.
        ([1, 2, 2, 3], 2.0, 0.5, 1.0, Verdict.AGREED),
        # 1 1 1 4 5: median 1; three of five within a level (0.6 < 2/3).
        ([1, 1, 1, 4, 5], 1.0, 0.6, 0.6, Verdict.DIVIDED),
        # 1 2 4: median 2; 1 and 2 within a level: exactly two thirds is agreed.
        ([4, 1, 2], 2.0, 1 / 3, 2 / 3, Verdict.AGREED),
        # 1 1 3 3: median 2 (between the middle two); none at it, all within a level.
        ([1, 1, 3, 3], 2.0, 0.0, 1.0, Verdict.AGREED),
        # 1 2 4 5: median 3; none at it; 2 and 4 within a level, 1 and 5 not: half.
        ([1, 2, 4, 5], 3.0, 0.0, 0.5, Verdict.DIVIDED),
        # 2 3 3 4 5 5: median 3.5, at both 3 and 4 (3 of 6); 2, 5 and 5 lie 1.5 away.
        ([2, 3, 3, 4, 5, 5], 3.5, 0.5, 0.5, Verdict.DIVIDED),
        # 2 3 3 4 4 5: median 3.5; 3 3 4 4 at it and within a level (4 of 6).
        ([2, 3, 3, 4, 4, 5], 3.5, 4 / 6, 4 / 6, Verdict.AGREED),
        # Two ratings are too few, however close.
        ([2, 2], 2.0, 1.0, 1.0, Verdict.TOO_FEW),
        ([1, 5], 3.0, 0.0, 0.0, Verdict.TOO_FEW),
    ],
)
def test_hand_computed_cases(
    ratings: list[int], median: float, at: float, within: float, verdict: Verdict
) -> None:
    found = analysis.consensus(ratings, DEFAULT)
    assert found.n == len(ratings)
    assert found.median == median
    assert found.at_median == pytest.approx(at)
    assert found.within == pytest.approx(within)
    assert found.verdict is verdict


def test_no_ratings() -> None:
    found = analysis.consensus([], DEFAULT)
    assert (found.n, found.median, found.at_median, found.within) == (0, None, None, None)
    assert found.verdict is Verdict.TOO_FEW
    assert found.text == "too few (n=0)"
    assert found.detail(1) == "no ratings"


def test_a_stricter_rule() -> None:
    # Within 0 levels, three quarters: 2 2 2 3 agrees (3 of 4 at the median 2) ...
    strict = ConsensusRule(within=0, share=0.75, min_ratings=4)
    assert analysis.consensus([2, 2, 2, 3], strict).verdict is Verdict.AGREED
    # ... 2 2 3 3 does not (the median 2.5 is no rating's level) ...
    assert analysis.consensus([2, 2, 3, 3], strict).verdict is Verdict.DIVIDED
    # ... and three ratings are too few for this rule.
    assert analysis.consensus([2, 2, 2], strict).verdict is Verdict.TOO_FEW
    assert analysis.consensus([4], ConsensusRule(min_ratings=1)).verdict is Verdict.AGREED


def test_the_rules_in_words() -> None:
    assert DEFAULT.method == (
        "agreed when at least two thirds of the ratings lie within 1 level of their median, "
        "divided otherwise; too few to say under 3 ratings"
    )
    assert ConsensusRule(share=0.8, within=2).share_text == "4/5"
    assert "within 2 levels" in ConsensusRule(within=2).method
    assert ConsensusRule(share=0.55).share_text == "55%"
    assert ConsensusRule(share=1).method.startswith("agreed when all of the ratings")
    assert AchievedRule.FLOOR.method == "the highest level at or below the combined average"
    assert "nearest" in AchievedRule.NEAREST.method


def test_the_demo_round_reads_as_the_seed(demo_store: Store) -> None:
    """Seed 000: "a fairly consistent interpretation": every domain and group agrees (the
    old 2-level spread flag fired on 7 of 8 domains)."""
    demo_summary = summary_for(demo_store.snapshot(), None)
    for domain in demo_summary.domains:
        assert domain.agreement.verdict is Verdict.AGREED, domain.name
        assert domain.agreement.n == 10
        assert {g: c.verdict for g, c in domain.consensus.items()} == {
            EXEC: Verdict.AGREED,
            IG: Verdict.AGREED,
        }
        assert not domain.disagreement
    culture = demo_summary.domain("culture")
    assert culture is not None
    # The closest call: the IG's six Culture ratings, median 2.5, four within a level.
    ig = culture.consensus[IG]
    assert (ig.n, ig.median, ig.within) == (6, 2.5, pytest.approx(4 / 6))
    assert demo_summary.divided == []


def test_verdicts_text_names_the_groups_that_differ() -> None:
    fw = framework(1, 5)
    responses = [
        *(response(f"E{n}", EXEC, {"area_1": 3}) for n in range(3)),
        *(response(f"I{n}", IG, {"area_1": level}) for n, level in enumerate([1, 1, 5, 5])),
    ]
    domain = analysis.summarise(fw, round_of(fw), responses).domains[0]
    assert domain.consensus[EXEC].verdict is Verdict.AGREED
    assert domain.consensus[IG].verdict is Verdict.DIVIDED  # median 3, nobody within 1
    # Everyone: 1 1 3 3 3 5 5, median 3, three of seven within a level.
    assert domain.agreement.verdict is Verdict.DIVIDED and domain.disagreement
    assert domain.divided_groups == [IG]
    assert analysis.verdicts_text(domain.agreement, domain.consensus, lambda g: g[:1]) == (
        "divided (n=7); E agreed"
    )


@pytest.mark.parametrize(
    ("scores", "floor", "nearest"),
    [
        ([1, 2], 1, 2),  # 1.5: a half rounds up
        ([1, 1, 2], 1, 1),  # 1.33
        ([2, 2, 3], 2, 2),  # 2.33
        ([2, 3, 3], 2, 3),  # 2.67
        ([5, 5], 5, 5),  # the top level
        ([1], 1, 1),
    ],
)
def test_the_achieved_level_by_either_rule(scores: list[int], floor: int, nearest: int) -> None:
    assert analysis.achieved_level(sum(scores), len(scores), AchievedRule.FLOOR, 5) == floor
    assert analysis.achieved_level(sum(scores), len(scores), AchievedRule.NEAREST, 5) == nearest
    # A mean of means (a float) reads the same.
    mean = sum(scores) / len(scores)
    assert analysis.achieved_level(mean, 1, AchievedRule.FLOOR, 5) == floor
    assert analysis.achieved_level(mean, 1, AchievedRule.NEAREST, 5) == nearest


def test_a_framework_with_the_nearest_rule_sets_every_level() -> None:
    fw = framework(2, 4).model_copy(update={"achieved_level": AchievedRule.NEAREST})
    responses = [
        response("A", EXEC, {"area_1": 1, "area_2": 3}),
        response("B", IG, {"area_1": 2, "area_2": 4}),
    ]
    summary = analysis.summarise(fw, round_of(fw), responses)
    first, second = summary.domains
    # 1.5 -> 2 (floor 1), 3.5 -> 4 (floor 3); the descriptors follow the level.
    assert (first.achieved_level, first.current, first.progression) == (2, "A1 L2", "A1 L3")
    assert (second.achieved_level, second.current, second.progression) == (4, "A2 L4", None)
    assert summary.overall_combined == 2.5 and summary.overall_level == 3
    floor = analysis.summarise(framework(2, 4), round_of(fw), responses)
    assert [d.achieved_level for d in floor.domains] == [1, 3] and floor.overall_level == 2


def test_framework_files_carry_both_rules(tmp_path: Path) -> None:
    data = json.loads(framework(2, 3).model_dump_json())
    assert data["achieved_level"] == "floor"
    assert data["consensus"] == {"within": 1, "share": pytest.approx(2 / 3), "min_ratings": 3}
    data |= {"achieved_level": "nearest", "consensus": {"share": 0.75, "min_ratings": 4}}
    loaded = Framework.model_validate(data)
    assert loaded.achieved_level is AchievedRule.NEAREST
    assert loaded.consensus == ConsensusRule(within=1, share=0.75, min_ratings=4)
    for bad in (
        {"achieved_level": "ceiling"},
        {"consensus": {"share": 1.5}},
        {"consensus": {"within": -1}},
        {"consensus": {"min_ratings": 0}},
        {"consensus": {"quorum": 3}},
    ):
        with pytest.raises(ValidationError):
            Framework.model_validate({**data, **bad})
