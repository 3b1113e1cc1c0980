"""Development offers and actions: demo data against seed 004, validation, pairing with scores."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from psr_tui import analysis
from psr_tui.demo import load_framework
from psr_tui.development import (
    action_json,
    actions,
    default_pair,
    describe_development,
    development_between,
    format_measure,
    framework_rounds,
    offer,
    offers,
    parse_measure,
    parse_measures,
)
from psr_tui.models import (
    ActionStatus,
    DevelopmentAction,
    Evidence,
    Measure,
    Response,
    Round,
)
from psr_tui.store import InvalidRecordError, Store

FW = "AQuA System Integration"
EXEC, IG = "Executive", "Implementation Group"


def test_demo_offers_carry_seed_004_figures(demo_store: Store) -> None:
    snap = demo_store.snapshot()
    names = {r.model.name for r in offers(snap)}
    assert {"Team Coaching", "Positive Action Programme", "Systems OD Community of Practice"} <= (
        names
    )
    positive = offer(snap, "positive action programme")
    assert positive is not None
    assert [(m.percent, m.n) for m in positive.model.figures.measures] == [
        (100, 37),
        (100, 21),
        (92, 15),
        (100, None),
    ]
    care_home = offer(snap, "Care Home Managers Leadership Programme")
    assert care_home is not None
    assert care_home.model.figures.participants == 52
    assert care_home.model.figures.measures[0].percent == 88
    teaming = offer(snap, "Teaming Skills")
    assert teaming is not None
    assert (teaming.model.figures.participants, teaming.model.figures.sessions) == (159, 6)
    cop = offer(snap, "Systems OD Community of Practice")
    assert cop is not None
    assert (cop.model.figures.participants, cop.model.figures.sessions) == (129, 2)


def test_demo_actions_cover_the_weak_domains(demo_store: Store) -> None:
    snap = demo_store.snapshot()
    domains = {r.model.domain for r in actions(snap)}
    assert domains == {
        "workforce",
        "information_and_it",
        "financial_and_contractual_mechanisms",
        "leadership",
    }
    titles = " ".join(r.model.title for r in actions(snap))
    assert "Making Every Contact Count" in titles
    assert "emerging leaders" in titles


def test_store_refuses_an_unknown_domain_or_offer(demo_store: Store) -> None:
    action = DevelopmentAction(framework=FW, domain="Finance", title="x")
    with (
        pytest.raises(InvalidRecordError, match="unknown domain 'Finance'"),
        demo_store.transaction() as tx,
    ):
        tx.insert("actions", action)
    action = DevelopmentAction(framework=FW, domain="workforce", title="x", offer="Yoga")
    with (
        pytest.raises(InvalidRecordError, match="unknown offer 'Yoga'"),
        demo_store.transaction() as tx,
    ):
        tx.insert("actions", action)
    assert len(actions(demo_store.snapshot())) == 6


def test_store_keeps_the_domain_key_and_offer_name(demo_store: Store) -> None:
    action = DevelopmentAction(
        framework=FW, domain="Information and IT", title="Risk profiling", offer="team coaching"
    )
    with demo_store.transaction() as tx:
        tx.insert("actions", action)
    found = [r.model for r in actions(demo_store.snapshot()) if r.model.title == "Risk profiling"]
    assert (found[0].domain, found[0].offer) == ("information_and_it", "Team Coaching")


def test_completed_before_start_is_refused() -> None:
    with pytest.raises(ValueError, match="before the start"):
        DevelopmentAction(
            framework=FW,
            domain="workforce",
            title="x",
            start=date(2016, 5, 1),
            completed=date(2016, 4, 1),
        )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "95% agree coaching helped (n=37)",
            Measure(label="agree coaching helped", percent=95, n=37),
        ),
        ("  87.5 % valuable use of time ", Measure(label="valuable use of time", percent=87.5)),
        ("100% would recommend (N = 21)", Measure(label="would recommend", percent=100, n=21)),
    ],
)
def test_parse_measure(text: str, expected: Measure) -> None:
    assert parse_measure(text) == expected
    assert parse_measure(format_measure(expected)) == expected


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("agree coaching helped", "is not a measure"),
        ("120% too many", "more than 100%"),
        ("95%", "has no label"),
        ("95% x (n=0)", "n must be at least 1"),
    ],
)
def test_parse_measure_refuses(text: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem.replace("%", "%")):
        parse_measure(text)


def test_parse_measures_names_the_line() -> None:
    assert len(parse_measures("95% a\n\n80% b (n=4)\n")) == 2
    with pytest.raises(ValueError, match="measure line 3"):
        parse_measures("95% a\n\nnonsense")


# --- pairing actions with score changes -------------------------------------------------

BASE = Round(name="Baseline", date=date(2016, 2, 16), framework=FW)
REVIEW = Round(name="Review", date=date(2016, 8, 16), framework=FW)


def _action(**fields: object) -> DevelopmentAction:
    values: dict[str, object] = {"framework": FW, "domain": "workforce", "title": "t"}
    values.update(fields)
    return DevelopmentAction.model_validate(values)


@pytest.mark.parametrize(
    ("fields", "ran"),
    [
        ({"target_round": "review"}, True),
        ({"completed": date(2016, 5, 1), "status": "complete"}, True),
        ({"completed": date(2016, 9, 1), "status": "complete"}, False),
        ({"start": date(2016, 1, 1), "target_date": date(2016, 12, 1)}, True),
        ({"start": date(2015, 6, 1), "target_date": date(2016, 1, 31)}, False),
        ({"start": date(2016, 8, 17)}, False),
        ({"start": date(2016, 8, 16)}, True),
        ({"target_date": date(2016, 2, 16)}, False),
        ({"target_date": date(2016, 2, 17)}, True),
        ({"target_round": "Review", "status": "dropped"}, False),
        ({"target_round": "Some later round"}, False),
        ({}, False),
    ],
)
def test_action_ran_between(fields: dict[str, object], ran: bool) -> None:
    assert analysis.action_ran_between(_action(**fields), BASE, REVIEW) is ran


def _responses(round_name: str, exec_scores: list[int], ig_scores: list[int]) -> list[Response]:
    people = [(EXEC, s) for s in exec_scores] + [(IG, s) for s in ig_scores]
    return [
        Response(
            round=round_name,
            name=f"{group} {i}",
            group=group,
            scores={"workforce": score, "leadership": 2},
        )
        for i, (group, score) in enumerate(people)
    ]


def _summaries() -> tuple[analysis.AssessmentSummary, analysis.AssessmentSummary]:
    framework = load_framework()
    before = analysis.summarise(framework, BASE, _responses("Baseline", [1, 1], [2, 2]))
    after = analysis.summarise(framework, REVIEW, _responses("Review", [1, 2], [2, 3]))
    return before, after


def test_pair_actions_puts_score_changes_beside_actions() -> None:
    before, after = _summaries()
    acts = [
        _action(title="MECC", status="complete", completed=date(2016, 6, 1)),
        _action(title="Emerging leaders", status="complete", target_round="Review"),
        _action(title="Dropped", status="dropped", target_round="Review"),
        _action(title="Later", target_date=date(2017, 1, 1), start=date(2016, 10, 1)),
        _action(title="Leaders", domain="leadership", status="in progress", target_round="Review"),
        _action(title="Other framework", framework="Other", target_round="Review"),
    ]
    paired = {p.change.key: p for p in analysis.pair_actions(before, after, BASE, REVIEW, acts)}
    workforce = paired["workforce"]
    assert [a.title for a in workforce.actions] == ["MECC", "Emerging leaders"]
    assert workforce.change.before_by_group[EXEC] == 1.0
    assert workforce.change.after_by_group[EXEC] == 1.5
    assert workforce.status_counts == {ActionStatus.COMPLETE: 2}
    assert describe_development(workforce, [EXEC, IG]) == (
        "Workforce: Exec 1 -> 1.5, IG 2 -> 2.5; 2 actions completed"
    )
    assert describe_development(paired["leadership"], [EXEC]) == (
        "Leadership: Exec 2 -> 2; 1 action in progress"
    )
    assert describe_development(paired["culture"], [EXEC]) == "Culture: Exec - -> -; no actions"


def test_development_between_and_default_pair(demo_path: Path) -> None:
    store = Store(demo_path)
    with store.transaction() as tx:
        tx.insert(
            "rounds", Round(name="Re-assessment, Aug 2016", date=date(2016, 8, 16), framework=FW)
        )
        for response in _responses("Re-assessment, Aug 2016", [2, 2], [2, 3]):
            tx.insert("responses", response)
    snap = store.snapshot()
    pair = default_pair(framework_rounds(snap, FW))
    assert pair is not None
    assert [r.name for r in pair] == ["Baseline, Feb 2016", "Re-assessment, Aug 2016"]
    paired = {p.change.key: p for p in development_between(snap, *pair)}
    # MECC and the OD priorities both name the re-assessment as their target round.
    assert len(paired["workforce"].actions) == 2
    assert paired["workforce"].change.before_by_group[EXEC] == 1.0
    assert paired["workforce"].change.after_by_group[EXEC] == 2.0
    # The emerging leaders programme (May-Nov 2016) overlaps the period; team coaching
    # aims at the re-assessment.
    assert len(paired["leadership"].actions) == 2
    assert paired["culture"].actions == []


def test_default_pair_needs_two_rounds() -> None:
    assert default_pair([BASE]) is None
    assert default_pair([BASE, REVIEW]) == (BASE, REVIEW)


def test_action_json(demo_store: Store) -> None:
    snap = demo_store.snapshot()
    record = next(r for r in actions(snap) if "Team coaching" in r.model.title)
    action = record.model.model_copy(
        update={
            "evidence": Evidence(participants=8, measures=[Measure(label="x", percent=90, n=8)])
        }
    )
    data = action_json(snap, action)
    assert data["domain"] == {"key": "leadership", "name": "Leadership"}
    assert data["group"] == "Executive"
    assert data["offer"] == "Team Coaching"
    assert data["target"] == {"date": None, "round": "Re-assessment, Aug 2016"}
    assert data["evidence"]["measures"] == [{"label": "x", "percent": 90, "n": 8}]
    assert data["evidence"]["participants"] == 8
