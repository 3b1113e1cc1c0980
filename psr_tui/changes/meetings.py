"""The changes an officer makes to meetings: the meeting and its attendance, the agenda
and its papers, the minutes' discussion, decisions and actions. The meeting screens and
`psr meeting ...` call these.

Each meeting, agenda item, decision and action is a record of its own (see the models), so
two officers working on one meeting write different records and never clash unless they
change the same field of the same one. Changes to a list (a meeting's attendance) and to
the agenda's order are applied to the list and the order as they are now, so that neither
loses the other's. An edit first checks that the record at its id is still the one the
session read (its `key`): an id TinyDB gives again after a deletion is never edited as if
it were the old record.
"""

from __future__ import annotations

import secrets
from collections.abc import Collection, Mapping
from datetime import date
from typing import Any, TypeVar

from psr_tui.analysis.meetings import MeetingBook
from psr_tui.changes import delete_as_read, validated
from psr_tui.errors import ConflictError, InvalidRecordError, NotFoundError
from psr_tui.formatting import clip, format_date
from psr_tui.meetings import book, meeting_name
from psr_tui.models import (
    AgendaItem,
    Attendance,
    Attendee,
    Decision,
    Meeting,
    MeetingAction,
    MeetingActionStatus,
    MeetingStatus,
    Paper,
    PaperKind,
    Purpose,
    Record,
    Stamped,
    StandardItem,
)
from psr_tui.store import Transaction

K = TypeVar("K", bound=Stamped)
Values = Mapping[str, Any]

# A new agenda starts with these, in this order; items added later go before the last two.
STANDARD_ITEMS: tuple[tuple[StandardItem, str], ...] = (
    (StandardItem.WELCOME, "Welcome and apologies for absence"),
    (StandardItem.MINUTES, "Minutes and matters arising"),
    (StandardItem.OTHER_BUSINESS, "Any other business"),
    (StandardItem.NEXT_MEETING, "Date of next meeting"),
)
_CLOSING_ITEMS = (StandardItem.OTHER_BUSINESS, StandardItem.NEXT_MEETING)
# Positions leave room between items, so that most insertions move no other item.
_STEP = 10

# What an edit may not change: the record's identity and where it belongs.
_FIXED = {"key", "meeting", "item", "rev", "updated_by", "updated_at"}


def new_keys(tx: Transaction, table: str, count: int = 1) -> list[str]:
    """Text ids no record of `table` has: what other records refer to these by."""
    taken = set(tx.ids_by(table, "key"))
    keys: list[str] = []
    while len(keys) < count:
        key = secrets.token_hex(5)
        if key not in taken:
            taken.add(key)
            keys.append(key)
    return keys


def new_key(tx: Transaction, table: str) -> str:
    return new_keys(tx, table)[0]


def _latest(tx: Transaction, table: str, doc_id: int, base: K, what: str) -> K:
    """The stored record at `doc_id`, if it is still the one the session read."""
    latest: K = tx.get(table, doc_id).model
    if getattr(latest, "key", None) != getattr(base, "key", None):
        raise NotFoundError(f"{what} was deleted by another session")
    return latest


def _edit(
    tx: Transaction,
    table: str,
    doc_id: int,
    base: K,
    changes: Values,
    what: str,
    *,
    overwrite: bool = False,
    audit: tuple[str, str, str] | None = None,
) -> K:
    fixed = _FIXED.intersection(changes)
    if fixed:
        raise InvalidRecordError(f"{', '.join(sorted(fixed))} of {what} cannot be changed")
    _latest(tx, table, doc_id, base, what)
    edited = validated(type(base), {**base.model_dump(), **changes})
    return tx.merge(table, doc_id, base, edited, overwrite=overwrite, audit=audit)


def _meeting(tx: Transaction, key: str) -> Record[Meeting]:
    found = book(tx).meeting(key)
    if found is None:
        raise NotFoundError("the meeting was deleted by another session")
    return found


def _refuse_same_day(tx: Transaction, meeting: Meeting, doc_id: int | None = None) -> None:
    for other in tx.records("meetings"):
        same = other.model.body.casefold() == meeting.body.casefold()
        if same and other.model.date == meeting.date and other.doc_id != doc_id:
            raise InvalidRecordError(
                f"there is already a meeting of the {other.model.body} "
                f"on {format_date(meeting.date)}"
            )


def _told(
    table: str, what: str, records: list[Record[Any]], told: Collection[str], overwrite: bool
) -> None:
    """Refuse to delete what the user was not told of (by the records' keys): a record
    added since they looked (named by whoever added the newest), or one gone since."""
    if overwrite or {r.model.key for r in records} == set(told):
        return
    added = [r.model for r in records if r.model.key not in told]
    newest = max(added, key=lambda m: m.rev, default=None)
    raise ConflictError(
        table, what, newest.updated_by if newest else "", newest.updated_at if newest else None
    )


# --- meetings ---------------------------------------------------------------------------


def new_meeting(tx: Transaction, values: Values, *, standard_items: bool = True) -> Record[Meeting]:
    """A planned meeting from its body, date, time, venue and contact; its agenda starts
    with the standard items unless `standard_items` is False."""
    meeting = validated(Meeting, {**values, "key": new_key(tx, "meetings")})
    _refuse_same_day(tx, meeting)
    added = tx.add("meetings", [meeting])[0]
    if standard_items:
        keys = new_keys(tx, "agenda_items", len(STANDARD_ITEMS))
        items = [
            AgendaItem(
                key=key,
                meeting=meeting.key,
                position=number * _STEP,
                title=title,
                purpose=Purpose.INFORMATION,
                standard=standard,
            )
            for number, (key, (standard, title)) in enumerate(
                zip(keys, STANDARD_ITEMS, strict=True), start=1
            )
        ]
        tx.add("agenda_items", items)
    return added


def edit_meeting(
    tx: Transaction, doc_id: int, base: Meeting, changes: Values, *, overwrite: bool = False
) -> Meeting:
    """Save the fields this session changed (body, date, time, venue, contact, papers
    issued, status, attendance lists) on the meeting it read."""
    edited = validated(Meeting, {**base.model_dump(), **changes})
    if (edited.body, edited.date) != (base.body, base.date):
        _refuse_same_day(tx, edited, doc_id)
    return _edit(tx, "meetings", doc_id, base, changes, meeting_name(base), overwrite=overwrite)


def set_status(
    tx: Transaction,
    doc_id: int,
    base: Meeting,
    status: MeetingStatus,
    *,
    issued: date | None = None,
    overwrite: bool = False,
) -> Meeting:
    """Move a meeting on (or back): papers issued records the day they went out (`issued`,
    else the one already recorded, else the as-at date)."""
    changes: dict[str, Any] = {"status": status}
    if status == MeetingStatus.PAPERS_ISSUED or issued is not None:
        latest = _latest(tx, "meetings", doc_id, base, meeting_name(base))
        changes["papers_issued"] = issued or latest.papers_issued or min(tx.as_at, base.date)
    return edit_meeting(tx, doc_id, base, changes, overwrite=overwrite)


def delete_meeting(
    tx: Transaction,
    doc_id: int,
    base: Meeting,
    item_keys: Collection[str],
    *,
    overwrite: bool = False,
) -> int:
    """Delete a meeting with its agenda, decisions and actions; returns how many items went.
    `item_keys` are the items the user was told would go: one added since is a conflict."""
    latest = _latest(tx, "meetings", doc_id, base, meeting_name(base))
    items = [r for r in tx.records("agenda_items") if r.model.meeting == latest.key]
    _told("agenda_items", f"the agenda of {meeting_name(latest)}", items, item_keys, overwrite)
    for item in items:
        _delete_minutes_of(tx, item.model)
        tx.delete("agenda_items", item.doc_id)
    delete_as_read(tx, "meetings", doc_id, base, overwrite=overwrite)
    return len(items)


# --- attendance -------------------------------------------------------------------------


def _attendance(tx: Transaction, doc_id: int, base: Meeting) -> Meeting:
    return _latest(tx, "meetings", doc_id, base, meeting_name(base))


def _save_attendance(
    tx: Transaction, doc_id: int, latest: Meeting, lists: dict[Attendance, list[Attendee]]
) -> Meeting:
    edited = latest.model_copy(update={kind.value: people for kind, people in lists.items()})
    return tx.merge("meetings", doc_id, latest, edited)


def add_attendee(
    tx: Transaction, doc_id: int, base: Meeting, kind: Attendance, values: Values
) -> Meeting:
    """Add a person to one list of the attendance, as it is now."""
    person = validated(Attendee, values)
    latest = _attendance(tx, doc_id, base)
    return _save_attendance(tx, doc_id, latest, {kind: [*latest.attendance(kind), person]})


def _without(
    people: list[Attendee], person: Attendee, kind: Attendance, meeting: Meeting
) -> list[Attendee]:
    if person not in people:
        raise NotFoundError(
            f"{person.name} is no longer under {kind.value} for {meeting_name(meeting)}: "
            "another session changed the attendance"
        )
    rest = list(people)
    rest.remove(person)
    return rest


def remove_attendee(
    tx: Transaction, doc_id: int, base: Meeting, kind: Attendance, person: Attendee
) -> Meeting:
    latest = _attendance(tx, doc_id, base)
    people = _without(latest.attendance(kind), person, kind, latest)
    return _save_attendance(tx, doc_id, latest, {kind: people})


def move_attendee(
    tx: Transaction,
    doc_id: int,
    base: Meeting,
    person: Attendee,
    from_kind: Attendance,
    to_kind: Attendance,
) -> Meeting:
    """Move a person from one list to another (sent apologies, then came)."""
    latest = _attendance(tx, doc_id, base)
    if from_kind == to_kind:
        return latest
    rest = _without(latest.attendance(from_kind), person, from_kind, latest)
    return _save_attendance(
        tx, doc_id, latest, {from_kind: rest, to_kind: [*latest.attendance(to_kind), person]}
    )


def edit_attendee(
    tx: Transaction,
    doc_id: int,
    base: Meeting,
    kind: Attendance,
    person: Attendee,
    values: Values,
) -> Meeting:
    """Correct a person's name, organisation or role where they are in the list now."""
    latest = _attendance(tx, doc_id, base)
    people = list(latest.attendance(kind))
    _without(people, person, kind, latest)
    people[people.index(person)] = validated(Attendee, {**person.model_dump(), **values})
    return _save_attendance(tx, doc_id, latest, {kind: people})


# --- the agenda -------------------------------------------------------------------------


def _section(joined: MeetingBook, meeting: Meeting, below: bool) -> list[Record[AgendaItem]]:
    return [n.record for n in joined.agenda(meeting.key) if n.item.below_the_line == below]


def _insert_at(tx: Transaction, section: list[Record[AgendaItem]], index: int) -> int:
    """A position between the items `index - 1` and `index` of `section`; when there is no
    room, the section's items are spaced out again first."""
    low = section[index - 1].model.position if index > 0 else 0
    high = section[index].model.position if index < len(section) else None
    if high is None:
        return low + _STEP
    if high - low > 1:
        return (low + high) // 2
    for number, record in enumerate(section, start=1):
        spaced = number * _STEP + (_STEP if number > index else 0)
        if record.model.position != spaced:
            _set_position(tx, record, spaced)
    return (index + 1) * _STEP


def _set_position(tx: Transaction, record: Record[AgendaItem], position: int) -> None:
    edited = record.model.model_copy(update={"position": position})
    tx.merge("agenda_items", record.doc_id, record.model, edited, audit=("move", "", ""))


def add_item(tx: Transaction, meeting_key: str, values: Values) -> Record[AgendaItem]:
    """Add an item to a meeting's agenda: above the line before any other business and the
    date of the next meeting, or last below the line."""
    meeting = _meeting(tx, meeting_key).model
    item = validated(
        AgendaItem,
        {**values, "key": new_key(tx, "agenda_items"), "meeting": meeting.key, "standard": None},
    )
    _check_paper(tx, item.paper)
    section = _section(book(tx), meeting, item.below_the_line)
    index = len(section)
    if not item.below_the_line:
        while index > 0 and section[index - 1].model.standard in _CLOSING_ITEMS:
            index -= 1
    item = item.model_copy(update={"position": _insert_at(tx, section, index)})
    return tx.add("agenda_items", [item])[0]


def _item_name(item: AgendaItem) -> str:
    return f"item {clip(item.title, 40)!r}"


def edit_item(
    tx: Transaction, doc_id: int, base: AgendaItem, changes: Values, *, overwrite: bool = False
) -> AgendaItem:
    """Save the fields this session changed: title, presenter, purpose, below the line,
    the minutes' discussion, the paper."""
    if "paper" in changes:
        _check_paper(tx, changes["paper"])
    return _edit(tx, "agenda_items", doc_id, base, changes, _item_name(base), overwrite=overwrite)


def set_below_the_line(tx: Transaction, doc_id: int, base: AgendaItem, below: bool) -> AgendaItem:
    """Move an item below the line (last on the agenda, taken without discussion) or back;
    it goes last in the section it joins."""
    latest = _latest(tx, "agenda_items", doc_id, base, _item_name(base))
    if latest.below_the_line == below:
        return latest
    meeting = _meeting(tx, latest.meeting).model
    section = _section(book(tx), meeting, below)
    index = len(section)
    if not below:
        while index > 0 and section[index - 1].model.standard in _CLOSING_ITEMS:
            index -= 1
    position = _insert_at(tx, section, index)
    # Applied to the item as it is now: its place on the agenda is the agenda's, as now.
    return edit_item(tx, doc_id, latest, {"below_the_line": below, "position": position})


def set_discussion(
    tx: Transaction, doc_id: int, base: AgendaItem, text: str, *, overwrite: bool = False
) -> AgendaItem:
    """The minutes of an item as typed: saved on each change, with `base` the text as last
    saved by this session."""
    return edit_item(tx, doc_id, base, {"discussion": text}, overwrite=overwrite)


def move_item(tx: Transaction, doc_id: int, base: AgendaItem, steps: int) -> AgendaItem:
    """Move an item up (negative `steps`) or down the agenda as it is now, within its part
    (above or below the line)."""
    latest = _latest(tx, "agenda_items", doc_id, base, _item_name(base))
    meeting = _meeting(tx, latest.meeting).model
    section = _section(book(tx), meeting, latest.below_the_line)
    ids = [r.doc_id for r in section]
    here = ids.index(doc_id)
    there = max(0, min(len(ids) - 1, here + steps))
    if there == here:
        return latest
    reordered = [r for r in section if r.doc_id != doc_id]
    reordered.insert(there, section[here])
    for number, record in enumerate(reordered, start=1):
        if record.model.position != number * _STEP:
            _set_position(tx, record, number * _STEP)
    moved: AgendaItem = tx.get("agenda_items", doc_id).model
    return moved


def delete_item(
    tx: Transaction,
    doc_id: int,
    base: AgendaItem,
    told: Collection[str] = (),
    *,
    overwrite: bool = False,
) -> None:
    """Delete an item with its decisions and actions. `told` are the keys of the decisions
    and actions the user was told would go: one recorded since is a conflict."""
    latest = _latest(tx, "agenda_items", doc_id, base, _item_name(base))
    minutes = [
        *(r for r in tx.records("decisions") if r.model.item == latest.key),
        *(r for r in tx.records("meeting_actions") if r.model.item == latest.key),
    ]
    _told("decisions", f"the minutes of {_item_name(latest)}", minutes, told, overwrite)
    _delete_minutes_of(tx, latest)
    delete_as_read(tx, "agenda_items", doc_id, base, overwrite=overwrite)


def _delete_minutes_of(tx: Transaction, item: AgendaItem) -> None:
    for table in ("decisions", "meeting_actions"):
        for record in list(tx.records(table)):
            if record.model.item == item.key:
                tx.delete(table, record.doc_id)


# --- papers ----------------------------------------------------------------------------


def _check_paper(tx: Transaction, paper: Paper | Mapping[str, Any] | None) -> None:
    if paper is None:
        return
    found = paper if isinstance(paper, Paper) else validated(Paper, paper)
    if found.round and found.kind != PaperKind.ASSESSMENT:
        raise InvalidRecordError(
            f"a round is for an assessment paper, not a {found.kind.value} one"
        )
    if found.round and tx.round(found.round) is None:
        known = ", ".join(r.model.name for r in tx.rounds()) or "none yet"
        raise NotFoundError(f"no round named {found.round!r} (rounds: {known})")


def attach_paper(
    tx: Transaction,
    doc_id: int,
    base: AgendaItem,
    paper: Paper | None,
    *,
    overwrite: bool = False,
) -> AgendaItem:
    """Attach a paper to an item (one of the reports, a written paper, an oral update), or
    take it off (None)."""
    if paper is not None and paper.round:
        found = tx.round(paper.round)
        paper = paper.model_copy(update={"round": found.model.name}) if found else paper
    return edit_item(tx, doc_id, base, {"paper": paper}, overwrite=overwrite)


def edit_paper(
    tx: Transaction, doc_id: int, base: AgendaItem, changes: Values, *, overwrite: bool = False
) -> AgendaItem:
    """Save what this session changed in an item's paper (title, sections, recommendations,
    round): each part merges on its own, so two officers writing different parts keep both."""
    latest = _latest(tx, "agenda_items", doc_id, base, _item_name(base))
    if base.paper is None or latest.paper is None or latest.paper.kind != base.paper.kind:
        raise NotFoundError(
            f"the paper of {_item_name(base)} was taken off or replaced by another session"
        )
    paper = validated(Paper, {**base.paper.model_dump(), **changes})
    return edit_item(tx, doc_id, base, {"paper": paper}, overwrite=overwrite)


# --- decisions ---------------------------------------------------------------------------


def _item(tx: Transaction, item_key: str) -> AgendaItem:
    for record in tx.records("agenda_items"):
        if record.model.key == item_key:
            found: AgendaItem = record.model
            return found
    raise NotFoundError("the agenda item was deleted by another session")


def add_decision(tx: Transaction, item_key: str, text: str) -> Record[Decision]:
    """Record a decision of an item; it is numbered after the item's others."""
    _item(tx, item_key)
    decision = validated(
        Decision, {"key": new_key(tx, "decisions"), "item": item_key, "text": text}
    )
    return tx.add("decisions", [decision])[0]


def edit_decision(
    tx: Transaction, doc_id: int, base: Decision, text: str, *, overwrite: bool = False
) -> Decision:
    return _edit(tx, "decisions", doc_id, base, {"text": text}, "the decision", overwrite=overwrite)


def delete_decision(
    tx: Transaction, doc_id: int, base: Decision, *, overwrite: bool = False
) -> None:
    _latest(tx, "decisions", doc_id, base, "the decision")
    delete_as_read(tx, "decisions", doc_id, base, overwrite=overwrite)


# --- actions -----------------------------------------------------------------------------


def _action_name(action: MeetingAction) -> str:
    return f"action {clip(action.description, 40)!r}"


def add_action(tx: Transaction, item_key: str, values: Values) -> Record[MeetingAction]:
    """Record an action an item set: description, owner, due date. It is open."""
    _item(tx, item_key)
    action = validated(
        MeetingAction,
        {**values, "key": new_key(tx, "meeting_actions"), "item": item_key, "status": "open"},
    )
    return tx.add("meeting_actions", [action])[0]


def edit_action(
    tx: Transaction, doc_id: int, base: MeetingAction, changes: Values, *, overwrite: bool = False
) -> MeetingAction:
    """Save what this session changed of an action's description, owner, due date or
    note; closing and reopening have their own changes."""
    if {"status", "closed"}.intersection(changes):
        raise InvalidRecordError(
            f"close or reopen {_action_name(base)} instead of editing its status"
        )
    return _edit(
        tx, "meeting_actions", doc_id, base, changes, _action_name(base), overwrite=overwrite
    )


def close_action(
    tx: Transaction,
    doc_id: int,
    base: MeetingAction,
    status: MeetingActionStatus,
    note: str,
    day: date | None = None,
    *,
    overwrite: bool = False,
) -> MeetingAction:
    """Close an action as done or dropped on `day` (the as-at date by default), saying
    what was done or why it was dropped."""
    name = _action_name(base)
    if status == MeetingActionStatus.OPEN:
        raise InvalidRecordError(f"closing {name} means done or dropped")
    note = note.strip()
    if not note:
        verb = "what was done" if status == MeetingActionStatus.DONE else "why it was dropped"
        raise InvalidRecordError(f"say {verb}: closing {name} needs a note")
    latest = _latest(tx, "meeting_actions", doc_id, base, name)
    if latest.status != MeetingActionStatus.OPEN:
        raise InvalidRecordError(
            f"{name} was already closed ({latest.status.value}) by "
            f"{latest.updated_by or 'another session'}"
        )
    day = day or tx.as_at
    found = book(tx).item(latest.item)
    if found is not None and day < found[0].date:
        raise InvalidRecordError(
            f"{format_date(day)} is before the meeting that set {name} "
            f"({format_date(found[0].date)})"
        )
    return _edit(
        tx,
        "meeting_actions",
        doc_id,
        base,
        {"status": status, "closed": day, "note": note},
        name,
        overwrite=overwrite,
        audit=("close", "open", f"{status.value} {format_date(day)}: {note}"),
    )


def reopen_action(
    tx: Transaction, doc_id: int, base: MeetingAction, *, overwrite: bool = False
) -> MeetingAction:
    """Open a closed action again; its closing note stays, for the record."""
    return _edit(
        tx,
        "meeting_actions",
        doc_id,
        base,
        {"status": MeetingActionStatus.OPEN, "closed": None},
        _action_name(base),
        overwrite=overwrite,
        audit=("reopen", base.status.value, "open"),
    )


def delete_action(
    tx: Transaction, doc_id: int, base: MeetingAction, *, overwrite: bool = False
) -> None:
    _latest(tx, "meeting_actions", doc_id, base, _action_name(base))
    delete_as_read(tx, "meeting_actions", doc_id, base, overwrite=overwrite)
