"""Pure meeting analysis: agenda order, carried-forward actions, the logs, what changed
since the last meeting (from hand-built audit trails), clear days and the checks."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from psr_tui.analysis.meetings import (
    MeetingBook,
    action_log,
    carried_forward,
    changes_between,
    check_meeting,
    decision_log,
    meetings_in_order,
    sections_from_text,
    sections_text,
)
from psr_tui.analysis.working_days import bank_holidays, clear_days, latest_issue_date
from psr_tui.models import (
    AgendaItem,
    AuditEntry,
    Decision,
    Meeting,
    MeetingAction,
    MeetingActionStatus,
    MeetingStatus,
    Paper,
    PaperKind,
    Record,
    Section,
    StandardItem,
)

JAN, FEB, MAR = date(2016, 1, 19), date(2016, 2, 16), date(2016, 3, 15)


def _meeting(key: str, day: date, body: str = "Executive", **fields: Any) -> Meeting:
    return Meeting(key=key, date=day, body=body, **fields)


def _records(models: list[Any]) -> list[Record[Any]]:
    return [Record(n, m) for n, m in enumerate(models, start=1)]


def _action(key: str, item: str, **fields: Any) -> MeetingAction:
    return MeetingAction(key=key, item=item, description=f"action {key}", **fields)


def _book() -> MeetingBook:
    """Three Executive meetings and one of the Implementation Group between them."""
    meetings = [
        _meeting("mar", MAR),
        _meeting("jan", JAN),
        _meeting("feb", FEB),
        _meeting("ig", date(2016, 2, 1), body="Implementation Group"),
    ]
    items = [
        AgendaItem(key="jan.4", meeting="jan", position=40, title="Proposal"),
        AgendaItem(key="jan.1", meeting="jan", position=10, title="Welcome", standard="welcome"),
        AgendaItem(key="jan.9", meeting="jan", position=5, title="Risks", below_the_line=True),
        AgendaItem(key="feb.1", meeting="feb", position=10, title="Plan"),
        AgendaItem(key="ig.1", meeting="ig", position=10, title="IG business"),
    ]
    done = {"status": MeetingActionStatus.DONE, "closed": FEB, "note": "at the meeting"}
    actions = [
        _action("a1", "jan.4", owner="Implementation Group", due=date(2016, 2, 1)),
        _action("a2", "jan.4", owner="PMO", due=date(2016, 7, 19)),
        _action("a3", "jan.9", owner="Chair", due=FEB, **done),
        _action("a4", "jan.4", owner="PMO", status="dropped", closed=date(2016, 2, 1), note="n"),
        _action("b1", "feb.1", owner="PMO"),
        _action("i1", "ig.1", owner="PMO"),
    ]
    decisions = [
        Decision(key="d1", item="jan.4", text="Approved the outline proposals"),
        Decision(key="d2", item="feb.1", text="Approved the plan"),
        Decision(key="d3", item="jan.4", text="Evaluate after six months"),
    ]
    return MeetingBook(_records(meetings), _records(items), _records(decisions), _records(actions))


def test_the_agenda_is_above_the_line_by_position_then_below_it_numbered() -> None:
    book = _book()
    assert [(n.number, n.item.title) for n in book.agenda("jan")] == [
        (1, "Welcome"),
        (2, "Proposal"),
        (3, "Risks"),
    ]
    assert [r.model.key for r in book.earlier(_meeting("mar", MAR))] == ["jan", "feb"]
    assert book.previous(_meeting("feb", FEB)).model.key == "jan"  # type: ignore[union-attr]


def test_meetings_list_next_first_then_the_past_latest_first() -> None:
    ordered = meetings_in_order(_book().meetings, date(2016, 2, 10))
    assert [r.model.key for r in ordered] == ["feb", "mar", "ig", "jan"]


def test_matters_arising_carry_every_open_action_of_the_body_with_the_meetings_carried() -> None:
    book = _book()
    feb = [
        (c.view.action.key, c.carried, c.overdue)
        for c in carried_forward(book, book.meeting("feb").model)
    ]  # type: ignore[union-attr]
    # a3 was closed at the February meeting: it was still open going in. a4 was dropped
    # before it. The Implementation Group's action is not the Executive's.
    assert feb == [("a1", 1, True), ("a2", 1, False), ("a3", 1, False)]
    mar = carried_forward(book, book.meeting("mar").model)  # type: ignore[union-attr]
    assert [(c.view.action.key, c.carried, c.overdue) for c in mar] == [
        ("a1", 2, True),
        ("a2", 2, False),
        ("b1", 1, False),
    ]
    first = mar[0].view
    assert (first.meeting.key, first.item.number, first.number) == ("jan", 2, 1)


def test_the_action_log_filters_by_owner_status_and_meeting() -> None:
    book = _book()
    assert [v.action.key for v in action_log(book, owner="pmo")] == ["a2", "a4", "i1", "b1"]
    open_ = action_log(book, status=MeetingActionStatus.OPEN, meeting_key="jan")
    assert [v.action.key for v in open_] == ["a1", "a2"]
    assert [v.action.key for v in action_log(book, owner="implementation")] == ["a1"]


def test_the_decision_log_numbers_decisions_within_their_item() -> None:
    views = decision_log(_book())
    assert [(v.meeting.key, v.item.number, v.number) for v in views] == [
        ("jan", 2, 1),
        ("jan", 2, 2),
        ("feb", 1, 1),
    ]
    assert [v.decision.key for v in decision_log(_book(), text="SIX")] == ["d3"]


# --- what changed since the last meeting -------------------------------------------------


def _entry(
    day: date,
    action: str,
    table: str,
    record: str,
    doc_id: int | None,
    after: str = "",
    **fields: tuple[Any, Any],
) -> AuditEntry:
    return AuditEntry(
        at=datetime(day.year, day.month, day.day, 12, tzinfo=UTC),
        user="tester",
        action=action,
        table=table,
        record=record,
        after=after,
        doc_id=doc_id,
        values=fields,
    )


def test_what_changed_nets_each_records_changes_between_the_meetings() -> None:
    d = date
    trail = [
        # On the day of the last meeting: not "since".
        _entry(JAN, "add", "risks", "R0", 10, ref=(None, "R0")),
        _entry(d(2016, 1, 25), "add", "risks", "R9", 9, ref=(None, "R9"), likelihood=(None, "Low")),
        _entry(d(2016, 1, 26), "edit", "risks", "R1", 1, likelihood=("Low", "High")),
        _entry(d(2016, 1, 27), "edit", "risks", "R1", 1, impact=("Critical", "Noticeable")),
        # Moved and moved back: not moved.
        _entry(d(2016, 1, 27), "edit", "risks", "R2", 2, likelihood=("Low", "High")),
        _entry(d(2016, 2, 3), "edit", "risks", "R2", 2, likelihood=("High", "Low")),
        _entry(
            d(2016, 2, 5),
            "close",
            "risks",
            "R7",
            7,
            "closed 5 Feb 2016: funds confirmed",
            status=("open", "closed"),
        ),
        # Added and deleted again: neither.
        _entry(d(2016, 2, 6), "add", "risks", "R10", 11, ref=(None, "R10")),
        _entry(d(2016, 2, 7), "delete", "risks", "R10", 11, ref=("R10", None)),
        _entry(d(2016, 2, 8), "delete", "risks", "R4", 4, ref=("R4", None)),
        _entry(
            d(2016, 2, 1),
            "edit",
            "activities",
            "Task group",
            3,
            status=("not started", "in progress"),
        ),
        _entry(
            d(2016, 2, 2),
            "edit",
            "activities",
            "Task group",
            3,
            status=("in progress", "slipped"),
            due=("2016-03-01", "2016-04-30"),
        ),
        _entry(
            d(2016, 2, 2),
            "edit",
            "activities",
            "Brought forward",
            4,
            due=("2016-04-30", "2016-03-01"),
        ),
        _entry(d(2016, 2, 10), "add", "rounds", "Baseline, Feb 2016", 1, name=(None, "Baseline")),
        _entry(
            d(2016, 2, 12),
            "close",
            "meeting_actions",
            "Update the plan",
            5,
            status=("open", "done"),
            note=("", "Plan on the agenda"),
        ),
        # An entry written before entries carried ids: matched by its label.
        _entry(d(2016, 2, 13), "edit", "risks", "R5", None, impact=("Significant", "Critical")),
        # After the meeting: not yet.
        _entry(d(2016, 2, 17), "edit", "risks", "R3", 3, likelihood=("Low", "High")),
    ]
    changes = changes_between(trail, JAN, FEB)
    assert changes.risks_added == ["R9"]
    assert [(m.ref, m.before, m.after) for m in changes.risks_moved] == [
        ("R1", ("Low", "Critical"), ("High", "Noticeable")),
        ("R5", (None, "Significant"), (None, "Critical")),
    ]
    assert changes.risks_moved[1].with_cell("Low", "Critical").before == ("Low", "Significant")
    assert [(c.ref, c.detail) for c in changes.risks_closed] == [
        ("R7", "closed 5 Feb 2016: funds confirmed")
    ]
    assert changes.risks_deleted == ["R4"]
    assert [(s.title, s.before, s.after) for s in changes.activities_status] == [
        ("Task group", "not started", "slipped")
    ]
    assert [(s.title, s.before, s.after) for s in changes.activities_slipped] == [
        ("Task group", date(2016, 3, 1), date(2016, 4, 30))
    ]
    assert changes.rounds_added == ["Baseline, Feb 2016"]
    assert [(a.description, a.status, a.note, a.doc_id) for a in changes.actions_closed] == [
        ("Update the plan", "done", "Plan on the agenda", 5)
    ]
    assert not changes.empty
    assert changes_between(trail, FEB, MAR).risks_moved[0].ref == "R3"
    assert changes_between([], JAN, FEB).empty


# --- clear days -------------------------------------------------------------------------


def test_clear_days_leave_out_the_day_of_issue_the_meeting_weekends_and_bank_holidays() -> None:
    # Seed 001: issued Thursday 11 February for Tuesday 16 February: Friday and Monday.
    assert clear_days(date(2016, 2, 11), FEB) == 2
    assert latest_issue_date(FEB) == date(2016, 2, 8)
    assert clear_days(date(2016, 2, 8), FEB) == 5
    # Easter 2016: Good Friday 25 March and Easter Monday 28 March are not working days.
    assert clear_days(date(2016, 3, 23), date(2016, 3, 31)) == 3
    assert latest_issue_date(date(2016, 3, 31)) == date(2016, 3, 21)


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        # GOV.UK's list for England and Wales, substitute days included.
        (2016, ["01-01", "03-25", "03-28", "05-02", "05-30", "08-29", "12-26", "12-27"]),
        (2020, ["01-01", "04-10", "04-13", "05-08", "05-25", "08-31", "12-25", "12-28"]),
        (2021, ["01-01", "04-02", "04-05", "05-03", "05-31", "08-30", "12-27", "12-28"]),
        (
            2022,
            [
                "01-03",
                "04-15",
                "04-18",
                "05-02",
                "06-02",
                "06-03",
                "08-29",
                "09-19",
                "12-26",
                "12-27",
            ],
        ),
        (2023, ["01-02", "04-07", "04-10", "05-01", "05-08", "05-29", "08-28", "12-25", "12-26"]),
    ],
)
def test_bank_holidays_of_england_and_wales(year: int, expected: list[str]) -> None:
    assert sorted(d.strftime("%m-%d") for d in bank_holidays(year)) == expected


# --- checks before issuing -------------------------------------------------------------------


def _check_book(
    meeting: Meeting, items: list[AgendaItem], actions: list[MeetingAction]
) -> MeetingBook:
    previous = _meeting("jan", JAN)
    previous_item = AgendaItem(key="jan.1", meeting="jan", title="Old")
    return MeetingBook(
        _records([previous, meeting]),
        _records([previous_item, *items]),
        (),
        _records(actions),
    )


def test_the_checks_name_each_problem_before_the_papers_go_out() -> None:
    meeting = _meeting("feb", FEB, papers_issued=date(2016, 2, 11))
    paper = Paper(kind=PaperKind.TEXT, recommendations=["a", "b", "c", "d"])
    items = [
        AgendaItem(
            key="f1", meeting="feb", position=10, title="Minutes", standard=StandardItem.MINUTES
        ),
        AgendaItem(
            key="f2", meeting="feb", position=20, title="Place", presenter="CE", paper=paper
        ),
        AgendaItem(
            key="f3",
            meeting="feb",
            position=30,
            title="Update",
            presenter="Chair",
            paper=Paper(kind=PaperKind.VERBAL),
        ),
        AgendaItem(key="f4", meeting="feb", position=40, title="Nothing yet"),
        AgendaItem(
            key="f5",
            meeting="feb",
            position=50,
            title="Scores",
            presenter="PM",
            paper=Paper(kind=PaperKind.ASSESSMENT, round="Gone"),
        ),
    ]
    actions = [
        _action("c1", "jan.1", owner="", due=date(2016, 3, 1)),  # carried in
        _action("c2", "f2", owner="PMO"),  # set at this meeting
        _action("c3", "f2", owner="PMO", due=FEB),
    ]
    checked = check_meeting(_check_book(meeting, items, actions), meeting, FEB, ["Baseline"])
    assert [str(w) for w in checked.warnings] == [
        "papers: issued 11 Feb 2016, 2 clear days before the meeting; five are needed "
        "(issue by 8 Feb 2016)",
        "item 2 Place: the paper makes 4 recommendations; three at most keeps it clear",
        "item 2 Place: the paper has no text yet",
        "item 4 Nothing yet: has no presenter",
        "item 4 Nothing yet: has no paper (attach one, or mark it an oral update)",
        "item 5 Scores: the paper is of round 'Gone', which is not there",
        "action 1.1 of 19 Jan 2016 (action c1): has no owner",
        "action 2.1 of 16 Feb 2016 (action c2): has no due date",
    ]
    assert checked.issue_by == date(2016, 2, 8)


def test_papers_not_issued_are_a_warning_only_once_the_last_day_has_passed() -> None:
    meeting = _meeting("feb", FEB, status=MeetingStatus.PLANNED)
    book = _check_book(meeting, [], [])
    assert check_meeting(book, meeting, date(2016, 2, 8), []).warnings == []
    late = check_meeting(book, meeting, date(2016, 2, 9), []).warnings
    assert [w.message for w in late] == [
        "not issued, and 8 Feb 2016 was the last day to issue them with five clear days' notice"
    ]
    on_time = _meeting("feb", FEB, papers_issued=date(2016, 2, 8))
    assert check_meeting(_check_book(on_time, [], []), on_time, FEB, []).warnings == []


# --- a paper written as text -----------------------------------------------------------------


def test_a_paper_written_as_text_reads_back_to_the_same_sections() -> None:
    text = (
        "Opening words.\n\n# BACKGROUND\n1. The challenges.\n2. Last time.\n\n"
        "# RECOMMENDATIONS\nThe Executive should:\n- agree\n- fund\n\n#Empty\n"
    )
    sections = sections_from_text(text)
    assert sections == [
        Section(heading="", paragraphs=["Opening words."]),
        Section(heading="BACKGROUND", paragraphs=["1. The challenges.\n2. Last time."]),
        Section(heading="RECOMMENDATIONS", paragraphs=["The Executive should:\n- agree\n- fund"]),
        Section(heading="Empty", paragraphs=[]),
    ]
    assert sections_from_text(sections_text(sections)) == sections
