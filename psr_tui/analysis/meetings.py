"""Meetings: the agenda in order, carried-forward actions, the decision and action logs,
what changed since the last meeting, and the checks before the papers go out.

Pure: every function takes records (a `MeetingBook` of the four meeting tables, audit
entries) and returns plain data. `psr_tui.meetings` reads them from a snapshot.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

from psr_tui.analysis.working_days import NOTICE_CLEAR_DAYS, clear_days, latest_issue_date
from psr_tui.formatting import clip, format_date, parse_date
from psr_tui.models import (
    AgendaItem,
    AuditEntry,
    AuditValue,
    Decision,
    Meeting,
    MeetingAction,
    MeetingActionStatus,
    MeetingStatus,
    PaperKind,
    Record,
    Section,
    StandardItem,
)

MOST_RECOMMENDATIONS = 3


def same_body(a: Meeting, b: Meeting) -> bool:
    return a.body.casefold() == b.body.casefold()


@dataclass(frozen=True)
class NumberedItem:
    number: int
    record: Record[AgendaItem]

    @property
    def item(self) -> AgendaItem:
        return self.record.model


@dataclass(frozen=True)
class ActionView:
    """An action with where it was set: "Executive 19 Jan 2016, item 4, action 1"."""

    record: Record[MeetingAction]
    meeting: Meeting
    item: NumberedItem
    number: int

    @property
    def action(self) -> MeetingAction:
        return self.record.model

    def overdue_on(self, day: date) -> bool:
        """Open on `day` and due before it."""
        return self.action.due is not None and self.action.due < day and self.action.open_on(day)


@dataclass(frozen=True)
class DecisionView:
    record: Record[Decision]
    meeting: Meeting
    item: NumberedItem
    number: int

    @property
    def decision(self) -> Decision:
        return self.record.model


class MeetingBook:
    """The four meeting tables, joined: a meeting's agenda, an item's decisions and actions.

    Decisions and actions are numbered within their item in the order they were made
    (their ids); an item's number follows from the agenda order (`agenda`).
    """

    def __init__(
        self,
        meetings: Iterable[Record[Meeting]],
        items: Iterable[Record[AgendaItem]],
        decisions: Iterable[Record[Decision]] = (),
        actions: Iterable[Record[MeetingAction]] = (),
    ) -> None:
        self.meetings = sorted(meetings, key=_when)
        self._by_key = {r.model.key: r for r in self.meetings}
        self._items: dict[str, list[Record[AgendaItem]]] = {}
        for item in items:
            self._items.setdefault(item.model.meeting, []).append(item)
        self._item_meeting = {
            item.model.key: meeting for meeting, rows in self._items.items() for item in rows
        }
        self._decisions = _by_item(decisions)
        self._actions = _by_item(actions)

    def meeting(self, key: str) -> Record[Meeting] | None:
        return self._by_key.get(key)

    def agenda(self, meeting_key: str) -> list[NumberedItem]:
        """The items in agenda order (above the line by position, then below), numbered."""
        rows = sorted(
            self._items.get(meeting_key, []),
            key=lambda r: (r.model.below_the_line, r.model.position, r.doc_id),
        )
        return [NumberedItem(number, row) for number, row in enumerate(rows, start=1)]

    def item(self, item_key: str) -> tuple[Meeting, NumberedItem] | None:
        meeting_key = self._item_meeting.get(item_key)
        meeting = self._by_key.get(meeting_key) if meeting_key else None
        if meeting is None:
            return None
        found = next((n for n in self.agenda(meeting.model.key) if n.item.key == item_key), None)
        return (meeting.model, found) if found else None

    def decisions(self, item_key: str) -> list[Record[Decision]]:
        return self._decisions.get(item_key, [])

    def actions(self, item_key: str) -> list[Record[MeetingAction]]:
        return self._actions.get(item_key, [])

    def action_views(self, meeting_key: str) -> list[ActionView]:
        """The actions set at a meeting, by item and number."""
        meeting = self._by_key.get(meeting_key)
        if meeting is None:
            return []
        return [
            ActionView(action, meeting.model, numbered, number)
            for numbered in self.agenda(meeting_key)
            for number, action in enumerate(self.actions(numbered.item.key), start=1)
        ]

    def decision_views(self, meeting_key: str) -> list[DecisionView]:
        meeting = self._by_key.get(meeting_key)
        if meeting is None:
            return []
        return [
            DecisionView(decision, meeting.model, numbered, number)
            for numbered in self.agenda(meeting_key)
            for number, decision in enumerate(self.decisions(numbered.item.key), start=1)
        ]

    def earlier(self, meeting: Meeting) -> list[Record[Meeting]]:
        """Meetings of the same body before this one, oldest first."""
        return [
            r for r in self.meetings if same_body(r.model, meeting) and _before(r.model, meeting)
        ]

    def later(self, meeting: Meeting) -> list[Record[Meeting]]:
        """Meetings of the same body after this one, soonest first."""
        return [
            r for r in self.meetings if same_body(r.model, meeting) and _before(meeting, r.model)
        ]

    def previous(self, meeting: Meeting) -> Record[Meeting] | None:
        earlier = self.earlier(meeting)
        return earlier[-1] if earlier else None


def _when(record: Record[Meeting]) -> tuple[date, time, int]:
    return record.model.date, record.model.time or time.min, record.doc_id


def _before(a: Meeting, b: Meeting) -> bool:
    return a.key != b.key and (a.date, a.time or time.min) < (b.date, b.time or time.min)


def _by_item(records: Iterable[Record[Any]]) -> dict[str, list[Record[Any]]]:
    grouped: dict[str, list[Record[Any]]] = {}
    for record in sorted(records, key=lambda r: r.doc_id):
        grouped.setdefault(record.model.item, []).append(record)
    return grouped


def meetings_in_order(meetings: Sequence[Record[Meeting]], as_at: date) -> list[Record[Meeting]]:
    """Next first: the meetings from `as_at` on, soonest first, then the earlier ones,
    latest first."""
    ordered = sorted(meetings, key=_when)
    coming = [r for r in ordered if r.model.date >= as_at]
    past = [r for r in ordered if r.model.date < as_at]
    return coming + past[::-1]


def next_meeting(meetings: Sequence[Record[Meeting]], as_at: date) -> Record[Meeting] | None:
    ordered = meetings_in_order(meetings, as_at)
    return ordered[0] if ordered and ordered[0].model.date >= as_at else None


# --- carried-forward actions and the logs -------------------------------------------------


@dataclass(frozen=True)
class CarriedAction:
    """An action still open going into a meeting: how many meetings it has come to since
    it was set (this one included), and whether it was due before this meeting."""

    view: ActionView
    carried: int
    overdue: bool


def carried_forward(book: MeetingBook, meeting: Meeting) -> list[CarriedAction]:
    """Matters arising: every action set at an earlier meeting of the same body that is
    still open going into this one, oldest first."""
    earlier = book.earlier(meeting)
    carried = []
    for position, origin in enumerate(earlier):
        meetings_since = len(earlier) - position
        for view in book.action_views(origin.model.key):
            if view.action.open_on(meeting.date):
                carried.append(CarriedAction(view, meetings_since, view.overdue_on(meeting.date)))
    return carried


def action_log(
    book: MeetingBook,
    *,
    owner: str | None = None,
    status: MeetingActionStatus | None = None,
    meeting_key: str | None = None,
) -> list[ActionView]:
    """Every action across meetings, oldest meeting first; `owner` matches any part of the
    owner's name, ignoring case."""
    wanted_owner = owner.casefold().strip() if owner else None
    views = []
    for meeting in book.meetings:
        if meeting_key is not None and meeting.model.key != meeting_key:
            continue
        for view in book.action_views(meeting.model.key):
            if wanted_owner and wanted_owner not in view.action.owner.casefold():
                continue
            if status is not None and view.action.status != status:
                continue
            views.append(view)
    return views


def decision_log(
    book: MeetingBook, *, meeting_key: str | None = None, text: str | None = None
) -> list[DecisionView]:
    """Every decision across meetings, oldest meeting first; `text` matches any part."""
    wanted = text.casefold().strip() if text else None
    return [
        view
        for meeting in book.meetings
        if meeting_key is None or meeting.model.key == meeting_key
        for view in book.decision_views(meeting.model.key)
        if not wanted or wanted in view.decision.text.casefold()
    ]


# --- what changed since the last meeting ------------------------------------------------


@dataclass(frozen=True)
class CellMove:
    """A risk that moved cell: its likelihood and impact before and after. An axis the
    period did not change is None in both (the trail does not say it); `with_cell` fills
    it in from the risk as it is."""

    ref: str
    before: tuple[str | None, str | None]  # likelihood, impact
    after: tuple[str | None, str | None]

    def with_cell(self, likelihood: str, impact: str) -> CellMove:
        def fill(cell: tuple[str | None, str | None]) -> tuple[str, str]:
            return (cell[0] or likelihood, cell[1] or impact)

        return CellMove(self.ref, fill(self.before), fill(self.after))


@dataclass(frozen=True)
class RiskClosed:
    ref: str
    detail: str  # as the closure was recorded: "closed 5 Feb 2016: funds confirmed"


@dataclass(frozen=True)
class StatusChange:
    title: str
    before: str
    after: str


@dataclass(frozen=True)
class Slip:
    title: str
    before: date
    after: date


@dataclass(frozen=True)
class ActionClosed:
    description: str
    status: str
    note: str
    doc_id: int | None


@dataclass
class Changes:
    """What the audit trail shows changed from the day after `since` to `until` (both
    meeting days); each list in the order the changes were made."""

    since: date
    until: date
    risks_added: list[str] = field(default_factory=list)
    risks_closed: list[RiskClosed] = field(default_factory=list)
    risks_deleted: list[str] = field(default_factory=list)
    risks_moved: list[CellMove] = field(default_factory=list)
    activities_status: list[StatusChange] = field(default_factory=list)
    activities_slipped: list[Slip] = field(default_factory=list)
    rounds_added: list[str] = field(default_factory=list)
    actions_closed: list[ActionClosed] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not any(
            (
                self.risks_added,
                self.risks_closed,
                self.risks_deleted,
                self.risks_moved,
                self.activities_status,
                self.activities_slipped,
                self.rounds_added,
                self.actions_closed,
            )
        )


@dataclass
class _Net:
    """One record's changes over the period: each field's first value and last."""

    label: str
    added: bool = False
    deleted: bool = False
    first: dict[str, AuditValue] = field(default_factory=dict)
    last: dict[str, AuditValue] = field(default_factory=dict)
    closing: str = ""

    def moved(self, name: str) -> bool:
        return name in self.first and self.first[name] != self.last[name]


def entry_day(entry: AuditEntry) -> date:
    """The local day a change was made on."""
    return entry.at.astimezone().date()


def changes_between(entries: Iterable[AuditEntry], since: date, until: date) -> Changes:
    """What changed after the day `since` up to the day `until`, from the audit trail.

    Each record's changes over the period are netted: a risk moved and moved back has not
    moved, one added and deleted again is neither. An entry written before the log carried
    record ids is matched to its record by its label.
    """
    tables = ("risks", "activities", "rounds", "meeting_actions")
    nets: dict[tuple[str, str], _Net] = {}
    order: list[tuple[str, str]] = []
    for entry in entries:
        if entry.table not in tables or not since < entry_day(entry) <= until:
            continue
        key = (entry.table, str(entry.doc_id) if entry.doc_id is not None else entry.record)
        net = nets.get(key)
        if net is None or (entry.action == "add" and net.deleted):
            net = nets[key] = _Net(entry.record)
            order.append(key)
        net.label = entry.record
        if entry.action == "add":
            net.added, net.deleted = True, False
        elif entry.action == "delete":
            net.deleted = True
        for name, (before, after) in entry.values.items():
            net.first.setdefault(name, before)
            net.last[name] = after
        if entry.action == "close":
            net.closing = entry.after
    changes = Changes(since, until)
    for table, record in dict.fromkeys(order):
        _tell(changes, table, nets[(table, record)], record)
    return changes


def _tell(changes: Changes, table: str, net: _Net, record: str) -> None:
    if net.added and net.deleted:
        return
    if table == "rounds":
        if net.added:
            changes.rounds_added.append(net.label)
    elif table == "risks":
        _tell_risk(changes, net)
    elif table == "activities":
        _tell_activity(changes, net)
    elif not net.deleted and net.moved("status") and net.last["status"] != "open":
        note = net.last.get("note")
        changes.actions_closed.append(
            ActionClosed(
                net.label,
                str(net.last["status"]),
                note if isinstance(note, str) else "",
                int(record) if record.isdigit() else None,
            )
        )


def _tell_risk(changes: Changes, net: _Net) -> None:
    if net.deleted:
        changes.risks_deleted.append(net.label)
        return
    if net.added:
        changes.risks_added.append(net.label)
        return
    if net.moved("status") and net.last["status"] == "closed":
        changes.risks_closed.append(RiskClosed(net.label, net.closing))
        return
    axes = [
        (_text(net.first.get(name)), _text(net.last.get(name))) if net.moved(name) else (None, None)
        for name in ("likelihood", "impact")
    ]
    if any(before != after for before, after in axes):
        (l_before, l_after), (i_before, i_after) = axes
        changes.risks_moved.append(CellMove(net.label, (l_before, i_before), (l_after, i_after)))


def _text(value: AuditValue) -> str | None:
    return None if value is None else str(value)


def _tell_activity(changes: Changes, net: _Net) -> None:
    if net.added or net.deleted:
        return
    if net.moved("status"):
        changes.activities_status.append(
            StatusChange(net.label, str(net.first["status"]), str(net.last["status"]))
        )
    before, after = net.first.get("due"), net.last.get("due")
    if isinstance(before, str) and isinstance(after, str):
        # As stored: "2016-03-01", or "2016-03" for a date known to the month.
        was, now = parse_date(before, bounded=False), parse_date(after, bounded=False)
        if now > was:
            changes.activities_slipped.append(Slip(net.label, was, now))


# --- checks before the papers are issued --------------------------------------------------


@dataclass(frozen=True)
class MeetingWarning:
    """Something to put right before the papers go out; it never stops them."""

    where: str  # "papers", "item 4 Programme Plan", "action 4.1 of 19 Jan 2016"
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass(frozen=True)
class MeetingCheck:
    warnings: list[MeetingWarning]
    # The last day the papers can go out with five clear days' notice.
    issue_by: date


def check_meeting(
    book: MeetingBook, meeting: Meeting, as_at: date, rounds: Iterable[str]
) -> MeetingCheck:
    """The warnings for a meeting's papers: notice, items without a paper or presenter, a
    paper with too many recommendations, matters arising and actions without an owner or a
    due date. `rounds` are the assessment rounds' names, for the papers that name one."""
    issue_by = latest_issue_date(meeting.date)
    warnings = _notice_warnings(meeting, as_at, issue_by)
    known_rounds = {name.casefold() for name in rounds}
    for numbered in book.agenda(meeting.key):
        warnings += _item_warnings(numbered, known_rounds, book.previous(meeting) is not None)
    actions = [c.view for c in carried_forward(book, meeting)] + book.action_views(meeting.key)
    for view in actions:
        missing = [
            what
            for what, absent in (
                ("owner", not view.action.owner),
                ("due date", not view.action.due),
            )
            if absent
        ]
        if missing and view.action.status == MeetingActionStatus.OPEN:
            warnings.append(MeetingWarning(action_where(view), f"has no {' or '.join(missing)}"))
    return MeetingCheck(warnings, issue_by)


def action_where(view: ActionView) -> str:
    return (
        f"action {view.item.number}.{view.number} of {format_date(view.meeting.date)} "
        f"({clip(view.action.description, 50)})"
    )


def _notice_warnings(meeting: Meeting, as_at: date, issue_by: date) -> list[MeetingWarning]:
    if meeting.papers_issued is not None:
        notice = clear_days(meeting.papers_issued, meeting.date)
        if notice < NOTICE_CLEAR_DAYS:
            return [
                MeetingWarning(
                    "papers",
                    f"issued {format_date(meeting.papers_issued)}, {notice} clear "
                    f"day{'' if notice == 1 else 's'} before the meeting; five are needed "
                    f"(issue by {format_date(issue_by)})",
                )
            ]
    elif meeting.status == MeetingStatus.PLANNED and as_at > issue_by:
        return [
            MeetingWarning(
                "papers",
                f"not issued, and {format_date(issue_by)} was the last day to issue them "
                "with five clear days' notice",
            )
        ]
    return []


def _item_warnings(
    numbered: NumberedItem, rounds: set[str], has_previous: bool
) -> list[MeetingWarning]:
    item = numbered.item
    where = f"item {numbered.number} {clip(item.title, 50)}"
    if item.standard is not None:
        if item.standard == StandardItem.MINUTES and not has_previous:
            return [
                MeetingWarning(where, "there is no earlier meeting of this body to take minutes of")
            ]
        return []
    warnings = []
    if not item.presenter:
        warnings.append(MeetingWarning(where, "has no presenter"))
    paper = item.paper
    if paper is None:
        warnings.append(
            MeetingWarning(where, "has no paper (attach one, or mark it an oral update)")
        )
        return warnings
    if paper.kind == PaperKind.VERBAL:
        return warnings
    count = len(paper.recommendations)
    if count > MOST_RECOMMENDATIONS:
        warnings.append(
            MeetingWarning(
                where, f"the paper makes {count} recommendations; three at most keeps it clear"
            )
        )
    if paper.kind == PaperKind.TEXT and not any(s.heading or s.paragraphs for s in paper.sections):
        warnings.append(MeetingWarning(where, "the paper has no text yet"))
    if paper.kind == PaperKind.ASSESSMENT:
        if paper.round and paper.round.casefold() not in rounds:
            warnings.append(
                MeetingWarning(where, f"the paper is of round {paper.round!r}, which is not there")
            )
        elif not rounds:
            warnings.append(
                MeetingWarning(where, "the paper is an assessment report, but there are no rounds")
            )
    return warnings


# --- a paper's text -------------------------------------------------------------------------

_HEADING = re.compile(r"^#\s*(.*)$")


def sections_from_text(text: str) -> list[Section]:
    """A paper written as plain text: a line starting "#" is a heading, a blank line ends a
    paragraph, lines starting "- " are a list within their paragraph."""
    sections: list[Section] = []
    heading: str | None = None
    paragraphs: list[str] = []
    lines: list[str] = []

    def end_paragraph() -> None:
        if lines:
            paragraphs.append("\n".join(lines))
            lines.clear()

    def end_section() -> None:
        end_paragraph()
        if heading is not None or paragraphs:
            sections.append(Section(heading=heading or "", paragraphs=list(paragraphs)))
        paragraphs.clear()

    for raw in text.splitlines():
        line = raw.rstrip()
        found = _HEADING.match(line.lstrip())
        if found:
            end_section()
            heading = found.group(1).strip()
        elif not line.strip():
            end_paragraph()
        else:
            lines.append(line.strip())
    end_section()
    return sections


def sections_text(sections: Sequence[Section]) -> str:
    """Sections as the plain text `sections_from_text` reads back."""
    blocks = []
    for section in sections:
        if section.heading:
            blocks.append(f"# {section.heading}")
        blocks += section.paragraphs
    return "\n\n".join(blocks)
