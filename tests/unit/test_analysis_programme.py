"""Programme progress on the demo programme, and the RAG rule of the tree view."""

from __future__ import annotations

from datetime import date

import pytest

from psr_tui import analysis
from psr_tui.models import Activity, ActivityStatus, Phase
from psr_tui.store import Store

AS_AT = date(2016, 2, 16)


@pytest.fixture
def programme(demo_store: Store) -> tuple[list[Phase], list, list[Activity]]:
    snap = demo_store.snapshot()
    return (
        [r.model for r in snap.phases()],
        [r.model for r in snap.themes()],
        [r.model for r in snap.activities()],
    )


def activity(status: str = "not started", due: date | None = None, **more: str) -> Activity:
    return Activity(
        theme="T", phase="Phase 1", title="A", status=ActivityStatus(status), due=due, **more
    )


def test_phase_progress_of_the_demo(programme: tuple) -> None:
    phases, _, activities = programme
    progress = {p.name: p for p in analysis.phase_progress(phases, activities)}
    assert list(progress) == ["Foundation", "Phase 1", "Phase 2", "Phase 3", "Year Two"]
    foundation = progress["Foundation"]
    assert (foundation.activities, foundation.complete, foundation.percent) == (3, 2, 66.7)
    assert foundation.start == date(2015, 9, 1) and foundation.end == date(2016, 2, 29)
    assert (progress["Phase 1"].activities, progress["Phase 1"].in_progress) == (18, 4)
    assert sum(p.activities for p in progress.values()) == len(activities) == 58


def test_theme_progress_of_the_demo(programme: tuple) -> None:
    _, themes, activities = programme
    progress = {p.name: p for p in analysis.theme_progress(themes, activities)}
    business_case = progress["Outline business case"]
    assert (business_case.activities, business_case.complete, business_case.percent) == (5, 2, 40.0)
    assert progress["Year One evaluation recommendations"].activities == 6
    assert sum(p.activities for p in progress.values()) == 58
    assert all(p.slipped == p.blocked == 0 for p in progress.values())


def test_due_soon_and_slipped_in_the_demo(programme: tuple) -> None:
    _, _, activities = programme
    due = analysis.due_within(activities, AS_AT, 4)
    assert [a.due for a in due] == [date(2016, 2, 16), date(2016, 3, 15)]
    assert analysis.slipped(activities, AS_AT) == []
    # A month later the Executive's scoring (due 15 March, in progress) is late.
    late = analysis.slipped(activities, date(2016, 3, 16))
    assert [a.due for a in late] == [date(2016, 2, 16), date(2016, 3, 15)]


def test_demo_leads_are_distinct_and_sorted(programme: tuple) -> None:
    leads = analysis.activity_leads(programme[2])
    assert leads[0] == "Executive" and "PMO" in leads and len(leads) == len(set(leads)) == 7


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        ([], "green"),
        ([activity("complete", date(2016, 1, 1))], "green"),
        ([activity("not started", date(2016, 6, 1))], "green"),
        ([activity("in progress", date(2016, 2, 20))], "amber"),
        ([activity("slipped", date(2016, 9, 1))], "amber"),
        ([activity("blocked", date(2016, 9, 1))], "red"),
        ([activity("in progress", date(2016, 2, 1))], "red"),
        ([activity("slipped"), activity("blocked")], "red"),
    ],
)
def test_rag(items: list[Activity], expected: str) -> None:
    assert analysis.rag(items, AS_AT) == expected


def test_rag_of_the_demo_business_case_is_amber(programme: tuple) -> None:
    _, _, activities = programme
    own = [a for a in activities if a.theme == "Outline business case"]
    # Its action plan is due on the as-at date and still in progress.
    assert analysis.rag(own, AS_AT) == "amber"
    assert analysis.rag(own, date(2016, 3, 1)) == "red"
