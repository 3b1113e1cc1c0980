"""The demo's meetings from seeds 001-003, and a meeting's pack and minutes as the pack
and minutes exports will read them (`psr_tui.meetings.pack` / `minutes`)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

from psr_tui import meetings
from psr_tui.changes import meetings as meeting_changes
from psr_tui.changes.risks import close_risk, review_risk
from psr_tui.models import Attendance, Meeting, MeetingActionStatus, PaperKind, Record
from psr_tui.store import Store
from tests.helpers.audit import backdate_audit
from tests.helpers.store_worker import make_risk, new_database

# Seed 001's agenda of 16 February 2016, without the page ranges the pack fills in.
SEED_001_AGENDA = [
    "Welcome and apologies for absence",
    "Minutes and Matters arising from Executive meeting on 19th January 2016",
    "Implementation Group Update",
    "Programme Plan for Integrated Locality",
    "Moving toward a place based system of Public Services",
    "Lancashire Combined Authority Update",
    "Leadership Workstream - Executive Self-Assessment",
    "Any Other Business",
    "Date of Next Meeting",
    "Below the Line - Risk Register",
]
# The people seed 001-003 name: the demo gives roles and organisations instead.
PERSONAL_NAMES = [
    "Bradley", "Leadbetter", "Gary Hall", "Buck", "Sue Moore", "Gradwell", "Clegg",
    "Allan Jones", "Jakeman", "Sinnott", "Sarah James", "Huddleston", "Tony Martin",
    "Ormesher", "Martin Cox", "Winterson", "Hodgson", "Mellor", "Dickinson", "Trafford",
    "Hasina", "Willett", "Hayley", "Carole Spencer",
]  # fmt: skip


def _meeting(store: Store, day: date) -> Record[Meeting]:
    return meetings.find_meeting(store.snapshot(), day)


def test_the_16_february_agenda_is_seed_001s_with_its_papers(demo_store: Store) -> None:
    snap = demo_store.snapshot()
    feb = _meeting(demo_store, date(2016, 2, 16))
    agenda = meetings.book(snap).agenda(feb.model.key)
    assert [n.item.title for n in agenda] == SEED_001_AGENDA
    papers = {n.number: n.item.paper for n in agenda if n.item.paper is not None}
    assert papers[4] is not None and papers[4].kind == PaperKind.PROGRAMME
    assert papers[7] is not None and (papers[7].kind, papers[7].round) == (
        PaperKind.ASSESSMENT,
        "Baseline, Feb 2016",
    )
    assert papers[10] is not None and papers[10].kind == PaperKind.RISKS
    assert [n.number for n in agenda if n.item.below_the_line] == [10]
    assert (feb.model.venue, feb.model.papers_issued) == (
        "Committee Room 1, Town Hall, Chorley",
        date(2016, 2, 11),
    )


def test_matters_arising_of_16_february_are_the_open_actions_of_19_january(
    demo_store: Store,
) -> None:
    snap = demo_store.snapshot()
    joined = meetings.book(snap)
    jan = _meeting(demo_store, date(2016, 1, 19))
    feb = _meeting(demo_store, date(2016, 2, 16))
    open_in_january = [
        v.action.description
        for v in joined.action_views(jan.model.key)
        if v.action.status == MeetingActionStatus.OPEN
    ]
    arising = meetings.pack(snap, feb, []).matters_arising
    assert [c.view.action.description for c in arising] == open_in_january
    assert len(open_in_january) == 5
    assert {c.carried for c in arising} == {1}
    # The action of September 2015 was done in October: it is not carried.
    assert all(c.view.meeting.key == jan.model.key for c in arising)


def test_19_january_minutes_give_the_attendance_by_role_and_the_items_minutes(
    demo_store: Store,
) -> None:
    snap = demo_store.snapshot()
    jan = _meeting(demo_store, date(2016, 1, 19))
    minutes = meetings.minutes(snap, jan)
    counts = {kind: len(people) for kind, people in minutes.attendance.items()}
    assert counts == {
        Attendance.PRESENT: 11,
        Attendance.APOLOGIES: 9,
        Attendance.OBSERVERS: 1,
        Attendance.OFFICERS: 2,
    }
    assert meetings.attendee_text(minutes.attendance[Attendance.PRESENT][0]) == (
        "Councillor, Chorley Council (Chair)"
    )
    proposal = minutes.items[3]
    assert proposal.item.item.title == "Proposal on Integrated Locality"
    assert "perfect locality" in proposal.item.item.discussion
    assert proposal.decisions[0].decision.text.startswith("Executive members approved")
    assert len(proposal.actions) == 3


def test_no_personal_name_of_the_seeds_is_in_the_demo_meetings(demo_path: Path) -> None:
    data = json.loads(demo_path.read_text())
    text = json.dumps({t: data[t] for t in meetings.MEETING_TABLES}, ensure_ascii=False)
    assert [name for name in PERSONAL_NAMES if name in text] == []


def test_the_business_case_and_year_one_evaluation_carry_their_minutes_and_actions(
    demo_store: Store,
) -> None:
    snap = demo_store.snapshot()
    joined = meetings.book(snap)
    for day, title, actions in (
        (date(2015, 9, 15), "Outline Business Case and Action Plan", 1),
        (date(2016, 9, 20), "Overview Evaluation (Year One)", 2),
    ):
        meeting = _meeting(demo_store, day)
        (item,) = joined.agenda(meeting.model.key)
        assert item.item.title == title
        assert len(joined.actions(item.item.key)) == actions
        assert joined.decisions(item.item.key)
    evaluation = next(
        n.item for n in joined.agenda(_meeting(demo_store, date(2016, 9, 20)).model.key)
    )
    assert evaluation.paper is not None and len(evaluation.paper.recommendations) == 5


def test_the_16_february_pack_and_its_checks(demo_store: Store) -> None:
    snap = demo_store.snapshot()
    feb = _meeting(demo_store, date(2016, 2, 16))
    pack = meetings.pack(snap, feb, meetings.history(snap))
    assert pack.previous is not None and pack.previous.meeting.model.date == date(2016, 1, 19)
    assert [m.date for m in pack.next_meetings][:2] == [date(2016, 3, 15), date(2016, 4, 19)]
    assert [p.item.number for p in pack.papers] == [4, 5, 7, 10]
    assert pack.agenda[6].round == "Baseline, Feb 2016"
    assert [w.where.split(" ")[0] for w in pack.check.warnings] == ["papers", "item", "action"]
    assert "2 clear days" in pack.check.warnings[0].message
    assert "4 recommendations" in pack.check.warnings[1].message
    assert "has no owner or due date" in pack.check.warnings[2].message


def test_what_changed_since_the_last_meeting_from_real_changes(tmp_path: Path) -> None:
    """Risks reviewed and closed, an activity moved on, an action closed: each change made
    through its named change is told, from the audit trail the store wrote."""
    store = Store(new_database(tmp_path / "psr.json"), user="alice")
    today = date.today()
    with store.transaction() as tx:
        moved = tx.insert("risks", make_risk("R1"))
        closed = tx.insert("risks", make_risk("R2"))
        last = meeting_changes.new_meeting(tx, {"date": today - timedelta(days=7)})
        coming = meeting_changes.new_meeting(tx, {"date": today + timedelta(days=7)})
        item = meeting_changes.add_item(tx, last.model.key, {"title": "Plan"})
        action = meeting_changes.add_action(tx, item.model.key, {"description": "Do it"})
    # All that was set up before the last meeting.
    backdate_audit(store.path, today - timedelta(days=10))
    snap = store.snapshot()
    with store.transaction() as tx:
        review_risk(tx, moved, snap.get("risks", moved).model, today, "High", "Critical", "worse")
        close_risk(tx, closed, snap.get("risks", closed).model, today, "funds confirmed")
        meeting_changes.close_action(
            tx, action.doc_id, action.model, MeetingActionStatus.DONE, "done", today
        )
        tx.insert("risks", make_risk("R3"))
    snap = store.snapshot()
    changes = meetings.changes_since_last(snap, coming.model, meetings.history(snap))
    assert changes is not None
    assert [(m.ref, m.before, m.after) for m in changes.risks_moved] == [
        ("R1", ("Medium", "Significant"), ("High", "Critical"))
    ]
    assert [c.ref for c in changes.risks_closed] == ["R2"]
    assert "funds confirmed" in changes.risks_closed[0].detail
    assert changes.risks_added == ["R3"]
    assert [a.description for a in changes.actions_closed] == ["Do it"]
    assert meetings.changes_since_last(snap, last.model, meetings.history(snap)) is None


def test_a_round_added_since_the_last_meeting_comes_with_its_change(demo_path: Path) -> None:
    store = Store(demo_path)
    today = date.today()
    with store.transaction() as tx:
        last = meeting_changes.new_meeting(tx, {"date": today - timedelta(days=7)})
        coming = meeting_changes.new_meeting(tx, {"date": today + timedelta(days=7)})
    backdate_audit(store.path, today - timedelta(days=10))
    snap = store.snapshot()
    baseline = snap.rounds()[0].model
    with store.transaction() as tx:
        tx.insert("rounds", baseline.model_copy(update={"name": "Six months on", "date": today}))
        responses = [
            r.model.model_copy(
                update={"round": "Six months on", "scores": {**r.model.scores, "leadership": 3}}
            )
            for r in snap.responses(baseline.name)
        ]
        tx.insert_many("responses", responses)
    snap = store.snapshot()
    pack = meetings.pack(snap, coming, meetings.history(snap))
    assert pack.previous is not None and pack.previous.meeting.model.key == last.model.key
    (change,) = pack.round_changes
    assert (change.round, change.previous) == ("Six months on", baseline.name)
    leadership = next(d for d in change.domains if d.key == "leadership")
    assert (leadership.before, leadership.after) == (2.0, 3.0)
