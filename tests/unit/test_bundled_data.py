"""The bundled framework, matrix and demo database against the seed documents."""

from __future__ import annotations

import itertools
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from psr_tui.demo import build_demo, load_demo, load_framework, load_matrix
from psr_tui.formatting import Month
from psr_tui.models import ActivityStatus, RiskStatus
from psr_tui.store import Snapshot, Store, StoreError

EXEC, IG = "Executive", "Implementation Group"

# Seed 001 Appendix A: Phase 1 Mar-May, Phase 2 June-Aug, Phase 3 Sept-Nov 2016.
SEED_001_PHASES = {
    "Phase 1": (date(2016, 3, 1), date(2016, 5, 31)),
    "Phase 2": (date(2016, 6, 1), date(2016, 8, 31)),
    "Phase 3": (date(2016, 9, 1), date(2016, 11, 30)),
}

# Seed 000: average score per domain, Executive / Implementation Group.
SEED_000_MEANS = {
    "leadership": (2, 2),
    "governance": (1.5, 2),
    "culture": (2, 2.5),
    "resident_engagement": (2, 2),
    "financial_and_contractual_mechanisms": (1.5, 1.5),
    "information_and_it": (1, 2),
    "workforce": (1, 2),
    "service_model_design": (2, 2.5),
}

SEED_000_ORGANISATIONS = {
    "Lancashire Teaching Hospitals",
    "Lancashire Care Foundation Trust",
    "Lancashire Fire and Rescue",
    "Lancashire Constabulary",
    "Chorley and South Ribble Clinical Commissioning Group",
    "DWP",
    "Chorley Council",
}


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Snapshot:
    store = Store(tmp_path_factory.mktemp("demo") / "demo.json", user="tester")
    build_demo(store)
    return store.snapshot()


# --- framework -------------------------------------------------------------------------


def test_framework_has_eight_domains_of_five_levels() -> None:
    framework = load_framework()
    assert framework.name == "AQuA System Integration"
    assert framework.levels == [
        "Commitment",
        "Enabling",
        "Implementation",
        "Embedding",
        "Sustainable Delivery",
    ]
    assert [d.key for d in framework.domains] == list(SEED_000_MEANS)
    assert [d.name for d in framework.domains] == [
        "Leadership",
        "Governance",
        "Culture",
        "Resident engagement",
        "Financial and contractual mechanisms",
        "Information and IT",
        "Workforce",
        "Service model design",
    ]
    assert all(len(d.descriptors) == 5 and all(d.descriptors) for d in framework.domains)
    assert all(d.question.startswith("Do we have") for d in framework.domains)


def test_framework_texts_are_the_seed_texts() -> None:
    framework = load_framework()

    def domain(key: str) -> list[str]:
        found = framework.domain(key)
        assert found is not None
        return found.descriptors

    assert framework.domain("leadership").question == (  # type: ignore[union-attr]
        "Do we have Leaders with the right 'system' skill set? "
        "Leaders who have a strong belief in integration?"
    )
    assert domain("leadership")[0] == (
        "Senior leaders have agreed to work on system integration and be personally engaged "
        "in leading integration activity."
    )
    assert domain("governance")[1].endswith("System governance structures are still embryonic.")
    assert domain("culture")[4].endswith(
        'The concept of "Our Resident" e.g. Mrs Smith is embedded in the culture.'
    )
    assert (
        domain("resident_engagement")[2]
        == "Residents are partners in redesign and central to redesign."
    )
    # The seed's own wording, kept: no full stop, "Risk stratified has been undertaken".
    assert domain("financial_and_contractual_mechanisms")[1] == (
        "Integration partners agree the set-up investment costs, including dedicated "
        "programme management"
    )
    assert domain("information_and_it")[1].startswith("Risk stratified has been undertaken")
    assert "Caldicott 2 compliant" in domain("information_and_it")[2]
    assert domain("workforce")[3].endswith("new roles/ responsibilities.")
    assert domain("service_model_design")[1].endswith("service redesign of each strata.")


# --- matrix ----------------------------------------------------------------------------


def test_matrix_is_the_seed_matrix() -> None:
    matrix = load_matrix()
    assert matrix.name == "Chorley PSR residual risk matrix"
    assert matrix.likelihood == ["Low", "Medium", "High"]
    assert matrix.impact == ["Noticeable", "Significant", "Critical"]
    assert matrix.scores == [[1, 3, 6], [2, 5, 8], [4, 7, 9]]
    assert matrix.score("Low", "Noticeable") == 1
    assert matrix.score("High", "Critical") == 9
    assert matrix.score("High", "Noticeable") == 4
    bands = [(b.name, b.max, b.colour, b.review_months) for b in matrix.bands]
    assert bands == [("Low", 3, "green", 6), ("Medium", 6, "amber", 3), ("High", 9, "red", 1)]
    assert [matrix.band_for(s).name for s in range(1, 10)] == ["Low"] * 3 + ["Medium"] * 3 + [
        "High"
    ] * 3


# --- demo database ---------------------------------------------------------------------


def test_demo_meta(demo_db: Snapshot) -> None:
    assert demo_db.meta.partnership == "Chorley Public Service Reform Partnership"
    assert demo_db.meta.as_at == date(2016, 2, 16)
    assert [f.model.name for f in demo_db.frameworks()] == ["AQuA System Integration"]
    stamps = {"rev", "updated_by", "updated_at"}
    stored = demo_db.matrix()
    assert stored is not None
    assert stored.model_dump(exclude=stamps) == load_matrix().model_dump(exclude=stamps)


def test_demo_round_and_response_counts(demo_db: Snapshot) -> None:
    rounds = demo_db.rounds()
    assert [r.model.name for r in rounds] == ["Baseline, Feb 2016"]
    round_ = rounds[0].model
    assert round_.framework == "AQuA System Integration"
    assert round_.date <= demo_db.as_at
    assert round_.groups == [EXEC, IG]
    responses = [r.model for r in demo_db.responses(round_.name)]
    assert len(responses) == 10
    assert sum(r.group == EXEC for r in responses) == 4
    assert sum(r.group == IG for r in responses) == 6
    assert {r.organisation for r in responses} == SEED_000_ORGANISATIONS
    assert len({r.name for r in responses}) == 10


@pytest.mark.parametrize("key", list(SEED_000_MEANS))
def test_demo_group_means_are_seed_000(demo_db: Snapshot, key: str) -> None:
    responses = [r.model for r in demo_db.responses("Baseline, Feb 2016")]
    for group, expected in zip((EXEC, IG), SEED_000_MEANS[key], strict=True):
        scores = [r.scores[key] for r in responses if r.group == group]
        assert all(isinstance(s, int) and 1 <= s <= 5 for s in scores)
        assert sum(scores) / len(scores) == expected  # type: ignore[arg-type]


def test_demo_scores_follow_seed_000_prose(demo_db: Snapshot) -> None:
    responses = [r.model for r in demo_db.responses()]
    executive = [s for r in responses if r.group == EXEC for s in r.scores.values()]
    implementation = [s for r in responses if r.group == IG for s in r.scores.values()]
    assert sum(s in (1, 2) for s in executive) / len(executive) > 0.8  # "mainly 1's and 2's"
    assert 3 in implementation and 4 in implementation  # "some 3's and 4's"
    assert all(r.scored_count() == 8 for r in responses)


def test_demo_risk_register(demo_db: Snapshot) -> None:
    matrix = demo_db.matrix()
    assert matrix is not None
    risks = {r.model.ref: r.model for r in demo_db.risks()}
    assert list(risks) == [f"R{n}" for n in range(1, 9)]
    scores = {ref: matrix.score(r.likelihood, r.impact) for ref, r in risks.items()}
    assert scores == {"R1": 1} | {f"R{n}": 3 for n in range(2, 9)}
    assert all(r.status == RiskStatus.OPEN for r in risks.values())
    r1 = risks["R1"]
    assert r1.description == (
        "Risk of not having a consistent view of structure and priorities for the next 12 months"
    )
    assert r1.category == "Low"
    # Seed 001 gives these to the month ("August 15", "May 2016"): kept as months.
    assert r1.date_identified == Month.first(2015, 8)
    assert r1.action_date == Month(2016, 5)
    assert risks["R3"].category == "Medium"
    assert "£20,000" in risks["R3"].controls
    assert risks["R2"].action_date == Month(2016, 2)
    assert risks["R4"].action_date == Month(2016, 6)
    assert risks["R5"].date_identified == Month.first(2015, 12)
    assert risks["R7"].actions == "Confirmation of funds given at January Programme Board."
    assert all(r.owner for r in risks.values())
    for risk in risks.values():
        for review in risk.reviews:
            assert review.score == matrix.score(review.likelihood, review.impact)
            assert review.date <= demo_db.as_at
    assert sum(len(r.reviews) > 1 for r in risks.values()) >= 2


def test_demo_phases_in_order(demo_db: Snapshot) -> None:
    phases = [p.model for p in demo_db.phases()]
    names = [p.name for p in phases]
    assert names.index("Phase 1") < names.index("Phase 2") < names.index("Phase 3")
    by_name = {p.name: p for p in phases}
    spans = {name: (by_name[name].start, by_name[name].end) for name in SEED_001_PHASES}
    assert spans == SEED_001_PHASES
    for before, after in itertools.pairwise(phases):
        assert before.end < after.start


def test_demo_themes(demo_db: Snapshot) -> None:
    themes = {t.model.name: t.model for t in demo_db.themes()}
    kinds = {name: theme.kind for name, theme in themes.items()}
    assert {n for n, k in kinds.items() if k == "delivery"} == {
        "Building Community Capacity",
        "Establish the Consistent Frontline",
        "Enhanced Multi-disciplinary approaches",
    }
    assert {n for n, k in kinds.items() if k == "supporting"} == {
        "Data and intelligence",
        "Workforce development",
        "Communications and engagement",
        "Digital connectivity",
    }
    assert sorted(kinds.values()).count("business case") == 1
    assert sorted(kinds.values()).count("recommendation") == 1
    business_case = next(t for t in themes.values() if t.kind == "business case")
    assert len(business_case.workstreams) == 5 and all(w.lead for w in business_case.workstreams)
    recommendations = next(t for t in themes.values() if t.kind == "recommendation")
    assert len(recommendations.objectives) == 5
    capacity = themes["Building Community Capacity"]
    assert all(w.funded for w in capacity.workstreams) and len(capacity.workstreams) == 4
    frontline = {w.name: w.funded for w in themes["Establish the Consistent Frontline"].workstreams}
    assert frontline == {
        "Embed the Lancashire Wellbeing Service": False,
        "Partnership Connectivity Testbed": False,
        "Standard Referrals Testbed": True,
    }
    assert "To understand community assets and potential" in capacity.objectives


def test_demo_activities_belong_to_known_phases_and_themes(demo_db: Snapshot) -> None:
    phases = {p.model.name: p.model for p in demo_db.phases()}
    themes = {t.model.name for t in demo_db.themes()}
    activities = [a.model for a in demo_db.activities()]
    assert activities
    for activity in activities:
        assert activity.phase in phases
        assert activity.theme in themes
        assert activity.due is not None
        phase = phases[activity.phase]
        assert phase.start <= activity.due <= phase.end, activity.title
    titles = {(a.phase, a.title) for a in activities}
    assert ("Phase 1", "Specification developed and contract awarded") in titles
    assert ("Phase 3", "Risk profiling model in place") in titles
    statuses = [a.status for a in activities if a.phase.startswith("Phase")]
    assert statuses.count(ActivityStatus.NOT_STARTED) > 0.8 * len(statuses)
    recommendation_theme = next(
        t.model.name for t in demo_db.themes() if t.model.kind == "recommendation"
    )
    assert sum(a.theme == recommendation_theme and a.phase == "Year Two" for a in activities) == 5


def test_load_demo_matches_built_database(demo_db: Snapshot) -> None:
    demo = load_demo()
    assert len(demo.activities) == len(demo_db.activities())
    assert len(demo.risks) == len(demo_db.risks())


# --- building ------------------------------------------------------------------------


def test_building_twice_without_force_refuses_and_leaves_file(tmp_path: Path) -> None:
    store = Store(tmp_path / "demo.json", user="tester")
    build_demo(store)
    before = store.path.read_bytes()
    with pytest.raises(StoreError, match="already exists"):
        build_demo(store)
    assert store.path.read_bytes() == before


def test_building_with_force_replaces_the_file(tmp_path: Path) -> None:
    store = Store(tmp_path / "demo.json", user="tester")
    build_demo(store)
    build_demo(store, force=True)
    snapshot = store.snapshot()
    assert len(snapshot.responses()) == 10
    assert len(snapshot.risks()) == 8


def test_demo_module_does_not_import_textual() -> None:
    code = "import sys, psr_tui.demo; sys.exit('textual' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
