"""Meetings read from a snapshot: finding a meeting, its minutes, its pack, its checks, JSON.

The models are in `psr_tui.models` (Meeting, AgendaItem, Decision, MeetingAction), their
tables in the store's table list, the pure logic in `psr_tui.analysis.meetings`, the
changes in `psr_tui.changes.meetings`. This module joins them to a snapshot for the CLI,
the screens and the exports: `minutes(snap, meeting)` is what the minutes PDF prints, and
`pack(snap, meeting, history)` what the meeting's pack does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from psr_tui import analysis
from psr_tui.analysis.meetings import (
    ActionView,
    CarriedAction,
    CellMove,
    Changes,
    DecisionView,
    MeetingBook,
    MeetingCheck,
    NumberedItem,
    carried_forward,
    changes_between,
    check_meeting,
    meetings_in_order,
)
from psr_tui.errors import NotFoundError
from psr_tui.formatting import format_change, format_date, format_mean
from psr_tui.models import (
    AgendaItem,
    Attendance,
    Attendee,
    AuditEntry,
    Meeting,
    MeetingAction,
    Paper,
    PaperKind,
    Record,
    Round,
)
from psr_tui.store import Snapshot
from psr_tui.store.audit import read as read_history

MEETING_TABLES = ("meetings", "agenda_items", "decisions", "meeting_actions")
# How the minutes head each list of the attendance (seed 001: PRESENT, APOLOGIES...).
ATTENDANCE_HEADINGS = {
    Attendance.PRESENT: "Present",
    Attendance.APOLOGIES: "Apologies",
    Attendance.OBSERVERS: "Observer",
    Attendance.OFFICERS: "Officers",
}


def book(snap: Snapshot) -> MeetingBook:
    return MeetingBook(
        snap.records("meetings"),
        snap.records("agenda_items"),
        snap.records("decisions"),
        snap.records("meeting_actions"),
    )


def ordered_meetings(snap: Snapshot) -> list[Record[Meeting]]:
    """Next first, as at the snapshot's date (see `analysis.meetings.meetings_in_order`)."""
    return meetings_in_order(snap.records("meetings"), snap.as_at)


def meeting_name(meeting: Meeting) -> str:
    """ "Executive 16 Feb 2016": how a meeting is named in messages."""
    return f"{meeting.body} {format_date(meeting.date)}"


def meeting_when(meeting: Meeting) -> str:
    """ "16 Feb 2016 16:00": a meeting's day and time."""
    time = meeting.time.strftime("%H:%M") if meeting.time else ""
    return f"{format_date(meeting.date)} {time}".strip()


def find_meeting(snap: Snapshot, day: date, body: str | None = None) -> Record[Meeting]:
    """The meeting on `day` (of `body`, if given), or NotFoundError naming the choices."""
    records: list[Record[Meeting]] = snap.records("meetings")
    found = [
        r
        for r in records
        if r.model.date == day and (body is None or r.model.body.casefold() == body.casefold())
    ]
    if len(found) == 1:
        return found[0]
    if found:
        bodies = ", ".join(r.model.body for r in found)
        raise NotFoundError(
            f"there are {len(found)} meetings on {format_date(day)} ({bodies}): "
            "name one with --body NAME"
        )
    what = f"no {body} meeting" if body else "no meeting"
    others = ", ".join(meeting_name(r.model) for r in ordered_meetings(snap)[:6])
    raise NotFoundError(f"{what} on {format_date(day)} (meetings: {others or 'none yet'})")


def agenda_item(book: MeetingBook, meeting: Meeting, number: int) -> NumberedItem:
    """Item `number` of the meeting's agenda, or NotFoundError saying how many there are."""
    agenda = book.agenda(meeting.key)
    for numbered in agenda:
        if numbered.number == number:
            return numbered
    raise NotFoundError(
        f"the agenda of {meeting_name(meeting)} has no item {number} "
        f"(it has {len(agenda)} item{'' if len(agenda) == 1 else 's'})"
    )


def item_action(
    joined: MeetingBook, meeting: Meeting, item: NumberedItem, number: int
) -> Record[MeetingAction]:
    """Action `number` of an agenda item, or NotFoundError saying how many it has."""
    actions = joined.actions(item.item.key)
    if not 1 <= number <= len(actions):
        raise NotFoundError(
            f"item {item.number} of {meeting_name(meeting)} has no action {number} "
            f"(it has {len(actions)})"
        )
    return actions[number - 1]


PAPER_NAMES = {
    PaperKind.ASSESSMENT: "assessment report",
    PaperKind.RISKS: "risk register",
    PaperKind.PROGRAMME: "programme plan",
    PaperKind.DEVELOPMENT: "development plan",
    PaperKind.TEXT: "paper",
    PaperKind.VERBAL: "oral update",
}


def paper_name(paper: Paper) -> str:
    """ "assessment report: Baseline, Feb 2016", "paper: Moving towards...": what is attached."""
    name = PAPER_NAMES[paper.kind]
    detail = paper.round if paper.kind == PaperKind.ASSESSMENT else paper.title
    return f"{name}: {detail}" if detail else name


def attendee_text(person: Attendee) -> str:
    """ "Chief Executive, Chorley Council (Chair)": as the minutes list a person."""
    text = ", ".join(part for part in (person.name, person.organisation) if part)
    return f"{text} ({person.role})" if person.role else text


def history(snap: Snapshot) -> list[AuditEntry]:
    """The file's whole audit trail, oldest first."""
    return read_history(snap.path)


# --- minutes and pack -------------------------------------------------------------------


@dataclass(frozen=True)
class ItemMinutes:
    item: NumberedItem
    decisions: list[DecisionView]
    actions: list[ActionView]


@dataclass(frozen=True)
class Minutes:
    """A meeting's minutes: attendance, then each item's discussion, decisions and actions
    in agenda order; `matters_arising` are the actions carried into the meeting."""

    meeting: Record[Meeting]
    attendance: dict[Attendance, list[Attendee]]
    items: list[ItemMinutes]
    matters_arising: list[CarriedAction]


def minutes(
    snap: Snapshot, meeting: Record[Meeting], meetings: MeetingBook | None = None
) -> Minutes:
    """What the minutes of `meeting` say, for the minutes PDF and the screens."""
    joined = meetings or book(snap)
    decisions = joined.decision_views(meeting.model.key)
    actions = joined.action_views(meeting.model.key)
    return Minutes(
        meeting=meeting,
        attendance={kind: meeting.model.attendance(kind) for kind in Attendance},
        items=[
            ItemMinutes(
                numbered,
                [d for d in decisions if d.item.item.key == numbered.item.key],
                [a for a in actions if a.item.item.key == numbered.item.key],
            )
            for numbered in joined.agenda(meeting.model.key)
        ],
        matters_arising=carried_forward(joined, meeting.model),
    )


@dataclass(frozen=True)
class PackItem:
    """An agenda item as the pack prints it; `round` is the assessment round its paper
    reports on (the one named, else the latest round by the meeting's date)."""

    item: NumberedItem
    round: str | None = None

    @property
    def paper(self) -> Paper | None:
        return self.item.item.paper

    @property
    def has_paper(self) -> bool:
        """A section of its own in the pack: a paper that is not an oral update."""
        return self.paper is not None and self.paper.kind != PaperKind.VERBAL


@dataclass(frozen=True)
class RoundChange:
    """A round added since the last meeting, and each domain's change from the round
    before it (of the same framework); no `previous`, no change to tell."""

    round: str
    previous: str | None
    domains: list[analysis.DomainChange]


@dataclass(frozen=True)
class MeetingPack:
    """Everything the pack for a meeting prints, in its order: the agenda (items above the
    line, then below), the previous meeting's minutes with matters arising, each paper in
    agenda order (below-the-line ones last, as the agenda has them), the dates of the next
    meetings, what changed since the last meeting, and the checks' warnings."""

    meeting: Record[Meeting]
    agenda: list[PackItem]
    previous: Minutes | None
    matters_arising: list[CarriedAction]
    next_meetings: list[Meeting]
    changes: Changes | None
    round_changes: list[RoundChange]
    check: MeetingCheck

    @property
    def papers(self) -> list[PackItem]:
        return [item for item in self.agenda if item.has_paper]


def pack(snap: Snapshot, meeting: Record[Meeting], entries: list[AuditEntry]) -> MeetingPack:
    """What the pack for `meeting` prints; `entries` is the audit trail (`history`)."""
    joined = book(snap)
    previous = joined.previous(meeting.model)
    changes = (
        changes_between(entries, previous.model.date, meeting.model.date) if previous else None
    )
    return MeetingPack(
        meeting=meeting,
        agenda=[
            PackItem(numbered, _paper_round(snap, numbered.item, meeting.model))
            for numbered in joined.agenda(meeting.model.key)
        ],
        previous=minutes(snap, previous, joined) if previous else None,
        matters_arising=carried_forward(joined, meeting.model),
        next_meetings=[r.model for r in joined.later(meeting.model)],
        changes=changes,
        round_changes=round_changes(snap, changes) if changes else [],
        check=check(snap, meeting.model, joined),
    )


def changes_since_last(
    snap: Snapshot, meeting: Meeting, entries: list[AuditEntry]
) -> Changes | None:
    """What changed between the previous meeting of the same body and this one (None when
    there is no previous meeting)."""
    previous = book(snap).previous(meeting)
    return changes_between(entries, previous.model.date, meeting.date) if previous else None


def _cell_move(move: CellMove) -> str:
    axes = [
        f"{axis} {before} → {after}"
        for axis, before, after in zip(
            ("likelihood", "impact"), move.before, move.after, strict=True
        )
        if before != after
    ]
    return f"{move.ref}: {', '.join(axes)}"


def _round_line(change: RoundChange) -> str:
    if change.previous is None:
        return f"{change.round} (the first round of its framework)"
    befores = [c.before for c in change.domains if c.before is not None]
    afters = [c.after for c in change.domains if c.after is not None]
    before, after = analysis.mean(befores), analysis.mean(afters)
    return (
        f"{change.round}: the average across domains {format_mean(before)} → "
        f"{format_mean(after)} ({format_change(before, after)}) since {change.previous}"
    )


def round_changes(snap: Snapshot, found: Changes) -> list[RoundChange]:
    """Each round added in the period, with its change from the round before it."""
    return [_round_change(snap, name) for name in found.rounds_added]


def changes_lines(found: Changes, rounds: list[RoundChange]) -> list[tuple[str, list[str]]]:
    """What changed since the last meeting in words (`rounds`: `round_changes`), as the
    meeting's screen and its pack list it: each kind of change with its lines, only the
    kinds with any."""
    blocks = [
        ("Risks added", found.risks_added),
        (
            "Risks closed",
            [f"{c.ref}: {c.detail}" if c.detail else c.ref for c in found.risks_closed],
        ),
        ("Risks deleted", found.risks_deleted),
        ("Risks that moved cell", [_cell_move(m) for m in found.risks_moved]),
        (
            "Programme activities that changed status",
            [f"{c.title}: {c.before} → {c.after}" for c in found.activities_status],
        ),
        (
            "Programme activities that slipped",
            [
                f"{s.title}: due {format_date(s.before)} → {format_date(s.after)}"
                for s in found.activities_slipped
            ],
        ),
        (
            "New assessment rounds",
            [_round_line(change) for change in rounds],
        ),
        (
            "Actions closed",
            [
                f"{a.description} ({a.status}{': ' + a.note if a.note else ''})"
                for a in found.actions_closed
            ],
        ),
    ]
    return [(title, lines) for title, lines in blocks if lines]


def _paper_round(snap: Snapshot, item: AgendaItem, meeting: Meeting) -> str | None:
    if item.paper is None or item.paper.kind != PaperKind.ASSESSMENT:
        return None
    if item.paper.round:
        found = snap.round(item.paper.round)
        return found.model.name if found else None
    return _round_by(snap.rounds(), meeting.date)


def _round_by(rounds: list[Record[Round]], day: date) -> str | None:
    held = [r for r in rounds if r.model.date <= day]
    chosen = held[-1] if held else (rounds[-1] if rounds else None)
    return chosen.model.name if chosen else None


def _round_change(snap: Snapshot, name: str) -> RoundChange:
    found = snap.round(name)
    if found is None:
        return RoundChange(name, None, [])
    later, framework = snap.assessment_round(found.model.name)
    earlier = [
        r.model
        for r in snap.rounds()
        if r.model.framework == later.framework and r.model.date < later.date
    ]
    if not earlier:
        return RoundChange(later.name, None, [])
    before = earlier[-1]
    summaries = [
        analysis.summarise(framework, r, [x.model for x in snap.responses(r.name)])
        for r in (before, later)
    ]
    return RoundChange(later.name, before.name, analysis.compare(*summaries))


def check(snap: Snapshot, meeting: Meeting, meetings: MeetingBook | None = None) -> MeetingCheck:
    """The warnings before issuing the papers of `meeting`, as at the snapshot's date."""
    rounds = [r.model.name for r in snap.rounds()]
    return check_meeting(meetings or book(snap), meeting, snap.as_at, rounds)


# --- JSON (a stable interface: fields may be added, never renamed) -----------------------


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def meeting_json(joined: MeetingBook, meeting: Meeting, as_at: date) -> dict[str, Any]:
    return {
        "key": meeting.key,
        "body": meeting.body,
        "date": meeting.date.isoformat(),
        "time": meeting.time.strftime("%H:%M") if meeting.time else None,
        "venue": meeting.venue,
        "status": meeting.status.value,
        "papers_issued": _iso(meeting.papers_issued),
        "upcoming": meeting.date >= as_at,
        "attendance": {
            kind.value: [p.model_dump(mode="json") for p in meeting.attendance(kind)]
            for kind in Attendance
        },
        "items": [item_json(numbered) for numbered in joined.agenda(meeting.key)],
    }


def item_json(numbered: NumberedItem) -> dict[str, Any]:
    item = numbered.item
    paper = item.paper
    return {
        "number": numbered.number,
        "title": item.title,
        "presenter": item.presenter,
        "purpose": item.purpose.value,
        "standard": item.standard.value if item.standard else None,
        "below_the_line": item.below_the_line,
        "paper": None
        if paper is None
        else {
            "kind": paper.kind.value,
            "round": paper.round or None,
            "title": paper.title,
            "recommendations": list(paper.recommendations),
        },
    }


def _where_set(view: ActionView | DecisionView) -> dict[str, Any]:
    """The meeting, item and number an action or decision was set under, as JSON."""
    return {
        "meeting": {
            "key": view.meeting.key,
            "body": view.meeting.body,
            "date": view.meeting.date.isoformat(),
        },
        "item": view.item.number,
        "item_title": view.item.item.title,
        "number": view.number,
    }


def action_json(view: ActionView, as_at: date) -> dict[str, Any]:
    action: MeetingAction = view.action
    return {
        **_where_set(view),
        "description": action.description,
        "owner": action.owner,
        "due": _iso(action.due),
        "status": action.status.value,
        "closed": _iso(action.closed),
        "note": action.note,
        "overdue": view.overdue_on(as_at),
    }


def decision_json(view: DecisionView) -> dict[str, Any]:
    return {**_where_set(view), "text": view.decision.text}
