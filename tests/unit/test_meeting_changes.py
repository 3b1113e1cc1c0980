"""Meetings as a body of data: the models, the store's tables and the named changes,
including two sessions working on one meeting at once."""

from __future__ import annotations

import json
from datetime import date, time
from pathlib import Path

import pytest
from pydantic import ValidationError

from psr_tui import meetings
from psr_tui.changes import meetings as changes
from psr_tui.demo import load_framework
from psr_tui.models import (
    AgendaItem,
    Attendance,
    Attendee,
    Meeting,
    MeetingAction,
    MeetingActionStatus,
    MeetingStatus,
    Paper,
    PaperKind,
    Round,
    StandardItem,
)
from psr_tui.store import ConflictError, InvalidRecordError, NotFoundError, Store
from tests.helpers.store_worker import new_database

DAY = date(2016, 2, 16)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(new_database(tmp_path / "psr.json"), user="alice")


def _meeting(store: Store, day: date = DAY, **values: object) -> str:
    with store.transaction() as tx:
        return changes.new_meeting(tx, {"date": day, **values}).model.key


def _agenda(store: Store, key: str) -> list[str]:
    return [n.item.title for n in meetings.book(store.snapshot()).agenda(key)]


def _item(store: Store, key: str, number: int) -> meetings.NumberedItem:
    snap = store.snapshot()
    meeting = meetings.book(snap).meeting(key)
    assert meeting is not None
    return meetings.agenda_item(meetings.book(snap), meeting.model, number)


# --- models ------------------------------------------------------------------------------


def test_a_meeting_is_stored_with_its_time_as_hh_mm_and_read_back(store: Store) -> None:
    key = _meeting(store, time=time(16, 0), venue="Town Hall")
    row = next(iter(json.loads(store.path.read_text())["meetings"].values()))
    assert (row["time"], row["date"], row["status"]) == ("16:00", "2016-02-16", "planned")
    assert store.snapshot().records("meetings")[0].model.time == time(16, 0)
    assert meetings.book(store.snapshot()).meeting(key) is not None


def test_papers_issued_after_the_meeting_and_a_closed_action_without_a_date_are_refused() -> None:
    with pytest.raises(ValidationError, match="after the meeting"):
        Meeting(key="m", date=DAY, papers_issued=date(2016, 2, 17))
    with pytest.raises(ValidationError, match="has no date"):
        MeetingAction(key="a", item="i", description="Do it", status=MeetingActionStatus.DONE)
    with pytest.raises(ValidationError, match="open but has a closing date"):
        MeetingAction(key="a", item="i", description="Do it", closed=DAY)


def test_a_meeting_is_on_a_day_and_an_action_may_be_due_in_a_month(store: Store) -> None:
    with pytest.raises(ValidationError, match="is a month: give the day"):
        Meeting(key="m", date="Feb 2016")
    with pytest.raises(ValidationError, match="is a month: give the day"):
        Meeting(key="m", date=DAY, papers_issued="Feb 2016")
    key = _meeting(store)
    with store.transaction() as tx:
        item = changes.add_item(tx, key, {"title": "Plan"})
        changes.add_action(tx, item.model.key, {"description": "Evaluate", "due": "Jul 2016"})
    row = next(iter(json.loads(store.path.read_text())["meeting_actions"].values()))
    assert row["due"] == "2016-07"
    (view,) = meetings.book(store.snapshot()).action_views(key)
    assert view.action.due is not None and view.action.due.isoformat() == "2016-07-31"
    assert not view.overdue_on(date(2016, 7, 31)) and view.overdue_on(date(2016, 8, 1))


def test_an_action_closed_at_a_meeting_was_still_open_going_into_it() -> None:
    action = MeetingAction(
        key="a", item="i", description="x", status=MeetingActionStatus.DONE, closed=DAY, note="n"
    )
    assert action.open_on(DAY) and not action.open_on(date(2016, 2, 17))


# --- a new meeting and its agenda ----------------------------------------------------------


def test_a_new_meeting_has_the_standard_items_and_new_items_go_before_the_closing_two(
    store: Store,
) -> None:
    key = _meeting(store)
    assert _agenda(store, key) == [
        "Welcome and apologies for absence",
        "Minutes and matters arising",
        "Any other business",
        "Date of next meeting",
    ]
    with store.transaction() as tx:
        changes.add_item(tx, key, {"title": "Programme Plan", "paper": {"kind": "programme"}})
        changes.add_item(tx, key, {"title": "Risk Register", "below_the_line": True})
        changes.add_item(tx, key, {"title": "Self-Assessment"})
    assert _agenda(store, key) == [
        "Welcome and apologies for absence",
        "Minutes and matters arising",
        "Programme Plan",
        "Self-Assessment",
        "Any other business",
        "Date of next meeting",
        "Risk Register",
    ]
    standards = [n.item.standard for n in meetings.book(store.snapshot()).agenda(key)]
    assert standards[:2] == [StandardItem.WELCOME, StandardItem.MINUTES]


def test_a_meeting_without_standard_items_and_a_second_of_one_body_on_one_day(
    store: Store,
) -> None:
    with store.transaction() as tx:
        key = changes.new_meeting(tx, {"date": DAY}, standard_items=False).model.key
        changes.new_meeting(tx, {"date": DAY, "body": "Implementation Group"})
    assert _agenda(store, key) == []
    with pytest.raises(InvalidRecordError, match="already a meeting of the Executive"):
        _meeting(store, body="executive")


def test_items_move_up_and_down_within_their_part_of_the_agenda(store: Store) -> None:
    key = _meeting(store)
    with store.transaction() as tx:
        for title in ("A", "B", "C"):
            changes.add_item(tx, key, {"title": title})
        changes.add_item(tx, key, {"title": "Below", "below_the_line": True})
    item = _item(store, key, 5)  # C
    with store.transaction() as tx:
        changes.move_item(tx, item.record.doc_id, item.item, -2)
    assert _agenda(store, key)[2:5] == ["C", "A", "B"]
    below = _item(store, key, 8)
    with store.transaction() as tx:
        changes.move_item(tx, below.record.doc_id, below.item, -5)  # stays below the line
    assert _agenda(store, key)[-1] == "Below"
    with store.transaction() as tx:
        changes.set_below_the_line(tx, item.record.doc_id, item.item, True)
    assert _agenda(store, key)[-2:] == ["Below", "C"]
    entries = [e for e in store.history() if e.action == "move"]
    assert entries and all(e.table == "agenda_items" for e in entries)


def test_many_insertions_at_one_place_keep_the_order(store: Store) -> None:
    key = _meeting(store)
    titles = [f"Item {n}" for n in range(12)]
    with store.transaction() as tx:
        for title in titles:  # each goes before the two closing items: no room after a few
            changes.add_item(tx, key, {"title": title})
    assert _agenda(store, key)[2:-2] == titles


# --- two sessions at once ------------------------------------------------------------------


def test_two_officers_editing_different_items_and_actions_of_one_meeting_both_keep_theirs(
    store: Store,
) -> None:
    key = _meeting(store)
    with store.transaction() as tx:
        plan = changes.add_item(tx, key, {"title": "Programme Plan"})
        risks = changes.add_item(tx, key, {"title": "Risk Register"})
        one = changes.add_action(tx, plan.model.key, {"description": "One", "owner": "PMO"})
        two = changes.add_action(tx, plan.model.key, {"description": "Two", "owner": "PMO"})
    bob = Store(store.path, user="bob")
    # Both read the meeting as it is now.
    read = store.snapshot()
    plan_read, risks_read = (
        read.get("agenda_items", plan.doc_id),
        read.get("agenda_items", risks.doc_id),
    )
    one_read, two_read = (
        read.get("meeting_actions", one.doc_id),
        read.get("meeting_actions", two.doc_id),
    )
    with store.transaction() as tx:
        changes.set_discussion(tx, plan.doc_id, plan_read.model, "Alice's minutes of item 3")
        changes.close_action(
            tx, one.doc_id, one_read.model, MeetingActionStatus.DONE, "Done by Alice", DAY
        )
    with bob.transaction() as tx:
        changes.edit_item(tx, risks.doc_id, risks_read.model, {"presenter": "Programme Manager"})
        changes.edit_action(tx, two.doc_id, two_read.model, {"owner": "Implementation Group"})
        # Bob edits another field of the item Alice wrote the minutes of: no clash either.
        changes.edit_item(tx, plan.doc_id, plan_read.model, {"presenter": "Chair"})
    snap = store.snapshot()
    assert snap.get("agenda_items", plan.doc_id).model.discussion == "Alice's minutes of item 3"
    assert snap.get("agenda_items", plan.doc_id).model.presenter == "Chair"
    assert snap.get("agenda_items", risks.doc_id).model.presenter == "Programme Manager"
    assert snap.get("meeting_actions", one.doc_id).model.status == MeetingActionStatus.DONE
    assert snap.get("meeting_actions", two.doc_id).model.owner == "Implementation Group"


def test_the_same_minutes_typed_by_two_officers_is_a_conflict_naming_the_field(
    store: Store,
) -> None:
    key = _meeting(store)
    with store.transaction() as tx:
        plan = changes.add_item(tx, key, {"title": "Programme Plan"})
    read = store.snapshot().get("agenda_items", plan.doc_id).model
    with Store(store.path, user="bob").transaction() as tx:
        changes.set_discussion(tx, plan.doc_id, read, "Bob's version")
    with pytest.raises(ConflictError) as caught, store.transaction() as tx:
        changes.set_discussion(tx, plan.doc_id, read, "Alice's version")
    assert caught.value.by == "bob"
    assert [c.path for c in caught.value.clashes] == [("discussion",)]


def test_two_officers_adding_to_the_attendance_both_keep_theirs(store: Store) -> None:
    key = _meeting(store)
    record = meetings.book(store.snapshot()).meeting(key)
    assert record is not None
    chair = {"name": "Councillor", "organisation": "Chorley Council", "role": "Chair"}
    with store.transaction() as tx:
        changes.add_attendee(tx, record.doc_id, record.model, Attendance.PRESENT, chair)
    with Store(store.path, user="bob").transaction() as tx:  # from the same stale read
        changes.add_attendee(
            tx, record.doc_id, record.model, Attendance.APOLOGIES, {"name": "GP Business Manager"}
        )
        changes.add_attendee(
            tx, record.doc_id, record.model, Attendance.PRESENT, {"name": "Business Advocate"}
        )
    latest = store.snapshot().get("meetings", record.doc_id).model
    assert [p.name for p in latest.present] == ["Councillor", "Business Advocate"]
    with store.transaction() as tx:
        changes.move_attendee(
            tx,
            record.doc_id,
            record.model,
            Attendee(name="GP Business Manager"),
            Attendance.APOLOGIES,
            Attendance.PRESENT,
        )
    latest = store.snapshot().get("meetings", record.doc_id).model
    assert (len(latest.present), latest.apologies) == (3, [])
    with pytest.raises(NotFoundError, match="no longer under apologies"), store.transaction() as tx:
        changes.remove_attendee(
            tx, record.doc_id, latest, Attendance.APOLOGIES, Attendee(name="GP Business Manager")
        )


def test_an_id_given_again_after_a_deletion_is_not_edited_as_the_old_record(
    store: Store,
) -> None:
    key = _meeting(store)
    with store.transaction() as tx:
        item = changes.add_item(tx, key, {"title": "First"})
        old = changes.add_action(tx, item.model.key, {"description": "Old", "owner": "PMO"})
    read = store.snapshot().get("meeting_actions", old.doc_id).model
    with Store(store.path, user="bob").transaction() as tx:
        changes.delete_action(tx, old.doc_id, read)
        new = changes.add_action(tx, item.model.key, {"description": "New", "owner": "PMO"})
    assert new.doc_id == old.doc_id  # TinyDB gives the last id again
    with (
        pytest.raises(NotFoundError, match="deleted by another session"),
        store.transaction() as tx,
    ):
        changes.close_action(tx, old.doc_id, read, MeetingActionStatus.DONE, "done", DAY)
    assert store.snapshot().get("meeting_actions", new.doc_id).model.status == "open"


def test_a_merge_that_would_break_a_rule_across_fields_is_refused_in_one_line(
    store: Store,
) -> None:
    key = _meeting(store)
    record = meetings.book(store.snapshot()).meeting(key)
    assert record is not None
    with Store(store.path, user="bob").transaction() as tx:
        changes.edit_meeting(tx, record.doc_id, record.model, {"date": date(2016, 2, 9)})
    with (
        pytest.raises(InvalidRecordError, match="changed by bob meanwhile") as caught,
        store.transaction() as tx,
    ):
        changes.edit_meeting(tx, record.doc_id, record.model, {"papers_issued": date(2016, 2, 11)})
    assert "\n" not in str(caught.value)


# --- papers --------------------------------------------------------------------------------


def test_an_assessment_paper_names_a_round_that_exists(store: Store) -> None:
    key = _meeting(store)
    item = _item(store, key, 1)
    paper = Paper(kind=PaperKind.ASSESSMENT, round="Baseline")
    with pytest.raises(NotFoundError, match="no round named 'Baseline'"), store.transaction() as tx:
        changes.attach_paper(tx, item.record.doc_id, item.item, paper)
    with pytest.raises(InvalidRecordError, match="not a risks one"), store.transaction() as tx:
        changes.attach_paper(
            tx, item.record.doc_id, item.item, Paper(kind=PaperKind.RISKS, round="x")
        )


def test_two_officers_writing_different_parts_of_one_paper_keep_both(store: Store) -> None:
    key = _meeting(store)
    with store.transaction() as tx:
        item = changes.add_item(tx, key, {"title": "Place", "paper": {"kind": "text"}})
    read = store.snapshot().get("agenda_items", item.doc_id).model
    with store.transaction() as tx:
        changes.edit_paper(
            tx, item.doc_id, read, {"sections": [{"heading": "BACKGROUND", "paragraphs": ["1."]}]}
        )
    with Store(store.path, user="bob").transaction() as tx:
        changes.edit_paper(tx, item.doc_id, read, {"recommendations": ["Agree it"]})
    paper = store.snapshot().get("agenda_items", item.doc_id).model.paper
    assert paper is not None
    assert ([s.heading for s in paper.sections], paper.recommendations) == (
        ["BACKGROUND"],
        ["Agree it"],
    )
    with store.transaction() as tx:
        changes.attach_paper(
            tx, item.doc_id, store.snapshot().get("agenda_items", item.doc_id).model, None
        )
    with pytest.raises(NotFoundError, match="taken off or replaced"), store.transaction() as tx:
        changes.edit_paper(tx, item.doc_id, read, {"title": "Late"})


# --- decisions and actions -----------------------------------------------------------------


def test_closing_an_action_needs_a_note_and_a_date_not_before_its_meeting(store: Store) -> None:
    key = _meeting(store)
    with store.transaction() as tx:
        item = changes.add_item(tx, key, {"title": "Plan"})
        action = changes.add_action(tx, item.model.key, {"description": "Do", "owner": "PMO"})
    done = MeetingActionStatus.DONE
    with pytest.raises(InvalidRecordError, match="say what was done"), store.transaction() as tx:
        changes.close_action(tx, action.doc_id, action.model, done, "  ", DAY)
    with (
        pytest.raises(InvalidRecordError, match="say why it was dropped"),
        store.transaction() as tx,
    ):
        changes.close_action(tx, action.doc_id, action.model, MeetingActionStatus.DROPPED, "")
    with pytest.raises(InvalidRecordError, match="before the meeting"), store.transaction() as tx:
        changes.close_action(tx, action.doc_id, action.model, done, "done", date(2016, 1, 1))
    with pytest.raises(InvalidRecordError, match="instead of editing"), store.transaction() as tx:
        changes.edit_action(tx, action.doc_id, action.model, {"status": "done"})
    with store.transaction() as tx:
        closed = changes.close_action(
            tx,
            action.doc_id,
            action.model,
            MeetingActionStatus.DROPPED,
            "Overtaken",
            date(2016, 3, 1),
        )
    assert (closed.status, closed.closed, closed.note) == ("dropped", date(2016, 3, 1), "Overtaken")
    entry = store.history()[-1]
    assert (entry.action, entry.after) == ("close", "dropped 1 Mar 2016: Overtaken")
    with pytest.raises(InvalidRecordError, match="already closed"), store.transaction() as tx:
        changes.close_action(tx, action.doc_id, action.model, done, "again", DAY)
    with store.transaction() as tx:
        reopened = changes.reopen_action(tx, action.doc_id, closed)
    assert (reopened.status, reopened.closed, reopened.note) == ("open", None, "Overtaken")


def test_decisions_are_numbered_in_the_order_they_were_made(store: Store) -> None:
    key = _meeting(store)
    with store.transaction() as tx:
        item = changes.add_item(tx, key, {"title": "Plan"})
        first = changes.add_decision(tx, item.model.key, "Approve the plan")
        changes.add_decision(tx, item.model.key, "Commit the resources")
    with store.transaction() as tx:
        changes.edit_decision(tx, first.doc_id, first.model, "Approve the plan as amended")
    views = meetings.book(store.snapshot()).decision_views(key)
    assert [(v.item.number, v.number, v.decision.text) for v in views] == [
        (3, 1, "Approve the plan as amended"),
        (3, 2, "Commit the resources"),
    ]
    with (
        pytest.raises(InvalidRecordError, match=r"text is needed|at least 1"),
        store.transaction() as tx,
    ):
        changes.add_decision(tx, item.model.key, "")


def test_deleting_an_item_or_a_meeting_takes_its_minutes_and_asks_again_if_they_grew(
    store: Store,
) -> None:
    key = _meeting(store)
    with store.transaction() as tx:
        item = changes.add_item(tx, key, {"title": "Plan"})
        decision = changes.add_decision(tx, item.model.key, "Approve")
    told = [decision.model.key]
    with Store(store.path, user="bob").transaction() as tx:
        changes.add_action(tx, item.model.key, {"description": "Do", "owner": "PMO"})
    with pytest.raises(ConflictError), store.transaction() as tx:
        changes.delete_item(tx, item.doc_id, item.model, told)
    snap = store.snapshot()
    told = [r.model.key for t in ("decisions", "meeting_actions") for r in snap.records(t)]
    with store.transaction() as tx:
        changes.delete_item(tx, item.doc_id, item.model, told)
    snap = store.snapshot()
    assert snap.records("decisions") == [] and snap.records("meeting_actions") == []
    record = meetings.book(snap).meeting(key)
    assert record is not None
    items = [r.model.key for r in snap.records("agenda_items")]
    with store.transaction() as tx:
        assert changes.delete_meeting(tx, record.doc_id, record.model, items) == 4
    assert store.snapshot().records("agenda_items") == []


def test_set_status_papers_issued_records_the_day(store: Store) -> None:
    key = _meeting(store)
    record = meetings.book(store.snapshot()).meeting(key)
    assert record is not None
    with store.transaction() as tx:
        saved = changes.set_status(
            tx, record.doc_id, record.model, MeetingStatus.PAPERS_ISSUED, issued=date(2016, 2, 8)
        )
    assert (saved.status, saved.papers_issued) == ("papers issued", date(2016, 2, 8))


# --- the audit trail ----------------------------------------------------------------------


def test_every_change_logs_the_record_id_and_an_edit_its_plain_fields_before_and_after(
    store: Store,
) -> None:
    framework = load_framework()
    with store.transaction() as tx:
        tx.insert("frameworks", framework)
        doc_id = tx.insert(
            "rounds",
            Round(name="Baseline", date=DAY, framework=framework.name, targets={"leadership": 2}),
        )
    with store.transaction() as tx:
        read = tx.get("rounds", doc_id).model
        tx.merge("rounds", doc_id, read, read.model_copy(update={"name": "Base", "targets": {}}))
    with store.transaction() as tx:
        tx.delete("rounds", doc_id)
    add, edit, delete = store.history()[-3:]
    assert add.doc_id == edit.doc_id == delete.doc_id == doc_id
    assert add.values == delete.values == {}  # told by their action and text
    assert edit.values == {"name": ("Baseline", "Base"), "targets.leadership": (2, None)}
    assert "groups" not in edit.values  # a list is told in the text only


def test_an_audit_line_written_before_the_structured_fields_still_reads(store: Store) -> None:
    from psr_tui.store.audit import audit_path

    line = {"at": "2016-02-01T10:00:00Z", "user": "x", "action": "add", "table": "risks",
            "record": "R9", "before": "", "after": "ref=R9"}  # fmt: skip
    with audit_path(store.path).open("a") as log:
        log.write(json.dumps(line) + "\n")
    entry = store.history()[-1]
    assert (entry.record, entry.doc_id, entry.values) == ("R9", None, {})


def test_an_item_record_refers_to_its_meeting_by_key() -> None:
    item = AgendaItem(key="i", meeting="m", title="Plan")
    assert (item.position, item.purpose, item.paper, item.below_the_line) == (
        0,
        "discussion",
        None,
        False,
    )
