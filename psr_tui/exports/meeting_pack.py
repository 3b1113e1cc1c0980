"""The pack for a meeting, and a meeting's minutes, as papers (after seed 001).

The pack is a document of `Section`s like every other paper (`exports.context`), rendered
by the one `render_paper`: a cover letter with the agenda, each item's page range printed
from the same layout ("Pages 7 - 10"); then the sections, keyed by agenda item, in agenda
order (the items below the line last, as the agenda numbers them): the previous meeting's
minutes with the matters arising and what changed since, each attached paper (one of psr's
reports, a paper written in psr, or a written covering paper with its report after it). An
item without a paper (the welcome, an oral update) has no pages.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from psr_tui import meetings
from psr_tui.analysis.meetings import ActionView, CarriedAction, MeetingBook
from psr_tui.as_at import as_at as seen_as_at
from psr_tui.errors import ExportError, NotFoundError
from psr_tui.exports.context import (
    PaperContext,
    ReportContext,
    Section,
    page_info,
    paper_section,
)
from psr_tui.exports.options import PaperOptions
from psr_tui.formatting import format_date
from psr_tui.models import (
    REPORT_PAPERS,
    AgendaItem,
    AuditEntry,
    Meeting,
    Paper,
    PaperKind,
    StandardItem,
)
from psr_tui.store import Record, Snapshot

# The papers made for one meeting (`psr export pack|minutes --meeting DATE`).
MEETING_PAPERS = ("pack", "minutes")
# The cover names this many of the meetings planned after this one (seed 001: two).
NEXT_MEETINGS = 2


@dataclass(frozen=True)
class ActionRow:
    """An action as the minutes print it; `set_at` and `carried` for matters arising."""

    number: str  # "4.2": the item's number and the action's
    description: str
    owner: str
    due: str
    status: str  # "Open", "Overdue", "Done 5 Feb 2016: note"
    set_at: str = ""  # "19 Jan 2016"
    carried: int = 0  # how many meetings it has come to, this one included

    @property
    def overdue(self) -> bool:
        return self.status == "Overdue"


@dataclass(frozen=True)
class ItemMinutesView:
    number: int
    title: str
    discussion: list[list[tuple[str, list[str]]]]  # paragraphs, each as `_blocks`
    decisions: list[list[tuple[str, list[str]]]]
    actions: list[ActionRow]


@dataclass(frozen=True)
class MinutesView:
    """A meeting's minutes as printed: attendance by list, then the items in agenda order."""

    title: str  # "Executive, 19 January 2016"
    when: str
    venue: str
    attendance: list[tuple[str, list[str]]]
    items: list[ItemMinutesView]
    matters_arising: list[ActionRow]  # the actions carried into that meeting


@dataclass(frozen=True)
class MinutesPaper:
    """The minutes item of a pack: the previous meeting's minutes, the matters arising (the
    actions still open going into this meeting) and what changed since that meeting."""

    title: str
    subtitle: str
    minutes: MinutesView
    matters_arising: list[ActionRow]
    changes_since: str  # "19 Jan 2016"
    changes: list[tuple[str, list[str]]]


@dataclass(frozen=True)
class WrittenPaper:
    """A paper written in psr, or a report's covering paper: its headed sections, each
    made of paragraphs ("p", lines) and lists ("ul", the lines starting "- ")."""

    title: str
    subtitle: str
    sections: list[tuple[str, list[tuple[str, list[str]]]]]
    recommendations: list[str]
    note: str = ""  # e.g. the report that follows, or why it cannot

    @property
    def recommendation_blocks(self) -> list[list[tuple[str, list[str]]]]:
        return [_blocks(line) for line in self.recommendations]


@dataclass(frozen=True)
class AgendaLine:
    """One line of the cover's agenda; `first` and `end` are the anchors of where its
    sections start and end (empty: it has no pages)."""

    number: int | None
    title: str
    detail: str  # "For decision · Programme Manager", "Oral update · Chair"
    below_the_line: bool
    first: str = ""
    end: str = ""
    note: str = ""  # the next meetings, under "Date of next meeting"


@dataclass(frozen=True)
class MeetingCover:
    """The cover letter of a meeting's pack (seed 001)."""

    body: str
    letter_date: str  # the day the papers are issued
    invitation: str
    agenda: list[AgendaLine]
    enclosed: list[AgendaLine] = field(default_factory=list)  # sections not on the agenda
    contact: str = ""

    @property
    def above(self) -> list[AgendaLine]:
        return [line for line in self.agenda if not line.below_the_line]

    @property
    def below(self) -> list[AgendaLine]:
        return [line for line in self.agenda if line.below_the_line]


@dataclass(frozen=True)
class MeetingPackContext(ReportContext):
    """A meeting's pack: a ReportContext whose cover is the meeting's letter and agenda."""

    meeting: MeetingCover | None = None


def _long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _when(meeting: Meeting) -> str:
    """ "Tuesday 16 February 2016 at 16:00" """
    text = f"{meeting.date:%A} {_long_date(meeting.date)}"
    return text + (f" at {meeting.time:%H:%M}" if meeting.time else "")


def _join(parts: list[str]) -> str:
    return ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else "".join(parts)


def _paragraphs(text: str) -> list[str]:
    return [block.strip() for block in text.split("\n\n") if block.strip()]


def _blocks(paragraph: str) -> list[tuple[str, list[str]]]:
    """A paragraph's runs of text lines ("p") and of list lines ("ul", those starting "- ")."""
    blocks: list[tuple[str, list[str]]] = []
    for line in paragraph.split("\n"):
        kind, text = ("ul", line[2:]) if line.startswith("- ") else ("p", line)
        if blocks and blocks[-1][0] == kind:
            blocks[-1][1].append(text)
        else:
            blocks.append((kind, [text]))
    return blocks


def _status(view: ActionView, day: date, overdue: bool) -> str:
    """As at `day`: closed by then (at a meeting that day too), overdue, or open."""
    action = view.action
    if action.closed is not None and action.closed <= day:
        note = f": {action.note}" if action.note else ""
        return f"{action.status.value.capitalize()} {format_date(action.closed)}{note}"
    return "Overdue" if overdue else "Open"


def _action_row(view: ActionView, day: date, carried: CarriedAction | None = None) -> ActionRow:
    action = view.action
    return ActionRow(
        f"{view.item.number}.{view.number}",
        action.description,
        action.owner or "none named",
        format_date(action.due) or "none set",
        _status(view, day, carried.overdue if carried else view.overdue_on(day)),
        format_date(view.meeting.date) if carried else "",
        carried.carried if carried else 0,
    )


def _arising(carried: list[CarriedAction], day: date) -> list[ActionRow]:
    return [_action_row(c.view, day, c) for c in carried]


def minutes_view(found: meetings.Minutes) -> MinutesView:
    """What the minutes of a meeting print, as at the meeting's day."""
    model = found.meeting.model
    return MinutesView(
        title=f"{model.body}, {_long_date(model.date)}",
        when=_when(model),
        venue=model.venue,
        attendance=[
            (meetings.ATTENDANCE_HEADINGS[kind], [meetings.attendee_text(p) for p in people])
            for kind, people in found.attendance.items()
            if people
        ],
        items=[
            ItemMinutesView(
                item.item.number,
                item.item.item.title,
                [_blocks(p) for p in _paragraphs(item.item.item.discussion)],
                [_blocks(d.decision.text) for d in item.decisions],
                [_action_row(a, model.date) for a in item.actions],
            )
            for item in found.items
        ],
        matters_arising=_arising(found.matters_arising, model.date),
    )


# --- the pack ------------------------------------------------------------------------------


def meeting_pack_context(
    snapshot: Snapshot,
    meeting: Record[Meeting],
    entries: list[AuditEntry],
    *,
    user: str,
    exported: date,
    as_at: date | None = None,
    options: PaperOptions | None = None,
) -> MeetingPackContext:
    """Everything the pack for `meeting` prints. Its papers are as at the meeting's day, or
    as at `as_at` (the snapshot's day by default) when that comes first: papers go out
    before a meeting. `entries` is the audit trail, for what changed since the last meeting."""
    options = options or PaperOptions()
    found = meetings.pack(snapshot, meeting, entries)
    model = meeting.model
    day = min(as_at or snapshot.as_at, model.date)
    # The papers of a meeting already held count only what existed by its day.
    papers = seen_as_at(snapshot, day if as_at or day < snapshot.as_at else None)
    lines: list[AgendaLine] = []
    sections: list[Section] = []
    enclosed: list[AgendaLine] = []
    has_minutes_item = any(p.item.item.standard == StandardItem.MINUTES for p in found.agenda)
    if found.previous is not None and not has_minutes_item:
        # The agenda lost its minutes item: the minutes and matters arising still go out.
        minutes = _minutes_section(found, None, "Minutes and matters arising")
        sections.append(minutes)
        enclosed.append(
            AgendaLine(None, minutes.title, "", False, minutes.anchor, minutes.end_anchor)
        )
    for pack_item in found.agenda:
        numbered = pack_item.item
        item_sections = _item_sections(papers, found, pack_item, day, options)
        sections += item_sections
        lines.append(
            AgendaLine(
                numbered.number,
                numbered.item.title,
                _detail(numbered.item, pack_item.paper),
                numbered.item.below_the_line,
                item_sections[0].anchor if item_sections else "",
                item_sections[-1].end_anchor if item_sections else "",
                _next_note(found) if numbered.item.standard == StandardItem.NEXT_MEETING else "",
            )
        )
    issued = model.papers_issued or day
    cover = MeetingCover(
        body=model.body,
        letter_date=_long_date(issued),
        invitation=_invitation(snapshot.meta.partnership, model),
        agenda=lines,
        enclosed=enclosed,
        contact=model.contact,
    )
    title = f"{model.body}, {_long_date(model.date)}"
    return MeetingPackContext(
        kind="pack",
        title=title,
        document_title=f"{snapshot.meta.partnership}: {model.body} meeting pack, "
        f"{_long_date(model.date)}",
        page=page_info(snapshot, user, exported, day, options),
        sections=sections,
        cover=True,
        cover_template="_meeting_cover.html",
        meeting=cover,
    )


def _invitation(partnership: str, meeting: Meeting) -> str:
    where = f" to be held in {meeting.venue}" if meeting.venue else ""
    return (
        f"You are invited to attend a meeting of the {meeting.body} of the {partnership}"
        f"{where} on {_when(meeting)}. The agenda is set out below."
    )


def _detail(item: AgendaItem, paper: Paper | None) -> str:
    """ "For decision · Programme Manager", "Oral update · Chair": under the item's title."""
    parts = []
    if paper is not None and paper.kind == PaperKind.VERBAL:
        parts.append("Oral update")
    elif item.standard is None:
        parts.append(f"For {item.purpose.value}")
    if item.presenter:
        parts.append(item.presenter)
    return " · ".join(parts)


def _next_note(found: meetings.MeetingPack) -> str:
    later = [_long_when(m) for m in found.next_meetings[:NEXT_MEETINGS]]
    return f"Next meetings planned: {_join(later)}" if later else ""


def _long_when(meeting: Meeting) -> str:
    """ "15 March 2016 at 16:00" """
    return _long_date(meeting.date) + (f" at {meeting.time:%H:%M}" if meeting.time else "")


def _item_sections(
    snapshot: Snapshot,
    found: meetings.MeetingPack,
    pack_item: meetings.PackItem,
    day: date,
    options: PaperOptions,
) -> list[Section]:
    """The sections an agenda item brings to the pack, keyed by its number: none, its
    minutes, its paper, or a covering paper with its report after it."""
    numbered = pack_item.item
    item = numbered.item
    key = f"item-{numbered.number}"
    if item.standard == StandardItem.MINUTES:
        if found.previous is None:
            return []
        return [_minutes_section(found, numbered.number, item.title)]
    paper = item.paper
    if paper is None or paper.kind == PaperKind.VERBAL:
        return []
    subtitle = f"Presented by {item.presenter}" if item.presenter else ""
    covering = WrittenPaper(
        paper.title or item.title,
        subtitle,
        [(s.heading, [b for p in s.paragraphs for b in _blocks(p)]) for s in paper.sections],
        list(paper.recommendations),
    )
    if paper.kind not in REPORT_PAPERS:
        return [Section("paper", item.title, "_meeting_paper.html", covering, numbered.number, key)]
    own = list(paper.recommendations)
    # The item's own recommendations replace the report's defaults.
    recommended = (
        replace(options, recommendations={**options.recommendations, paper.kind.value: own})
        if own
        else options
    )
    try:
        report = paper_section(
            snapshot,
            paper.kind.value,
            as_at=day,
            round_name=pack_item.round,
            options=recommended,
            number=numbered.number,
            key=key,
        )
    except (ExportError, NotFoundError) as exc:
        # No round, matrix or phases yet: the item's paper goes out saying so.
        note = f"The {meetings.PAPER_NAMES[paper.kind]} cannot be made yet: {exc}."
        written = replace(covering, note=note)
        return [Section("paper", item.title, "_meeting_paper.html", written, numbered.number, key)]
    data = report.data
    assert isinstance(data, PaperContext)
    if not paper.sections:
        # The report goes out as the item's paper, under the paper's own title.
        titled = replace(data, title=paper.title) if paper.title else data
        return [replace(report, title=item.title, data=titled)]
    # A covering paper, then its report as an appendix; members are asked once, at the end
    # of the covering paper.
    appendix = replace(
        data,
        title=f"Appendix: {data.title}",
        opening=replace(data.opening, recommendations=[]),
    )
    note = f"The {meetings.PAPER_NAMES[paper.kind]} follows as an appendix."
    return [
        Section(
            "paper",
            item.title,
            "_meeting_paper.html",
            replace(covering, recommendations=own or list(data.opening.recommendations), note=note),
            numbered.number,
            key,
        ),
        replace(report, title=data.title, data=appendix, number=None, key=f"{key}-appendix"),
    ]


def _minutes_section(found: meetings.MeetingPack, number: int | None, title: str) -> Section:
    assert found.previous is not None
    previous = minutes_view(found.previous)
    changes = found.changes
    paper = MinutesPaper(
        title,
        f"Minutes of the {previous.title}",
        previous,
        _arising(found.matters_arising, found.meeting.model.date),
        format_date(changes.since) if changes else "",
        meetings.changes_lines(changes, found.round_changes) if changes else [],
    )
    key = f"item-{number}" if number is not None else "minutes"
    return Section("minutes", title, "_meeting_minutes.html", paper, number, key)


# --- the minutes of one meeting --------------------------------------------------------------


def minutes_context(
    snapshot: Snapshot,
    meeting: Record[Meeting],
    *,
    user: str,
    exported: date,
    options: PaperOptions | None = None,
    book: MeetingBook | None = None,
) -> ReportContext:
    """A meeting's minutes as a paper of their own, as at the meeting's day."""
    options = options or PaperOptions()
    model = meeting.model
    view = minutes_view(meetings.minutes(snapshot, meeting, book))
    title = f"Minutes of the {view.title}"
    return ReportContext(
        kind="minutes",
        title=title,
        document_title=f"{snapshot.meta.partnership}: {title}",
        page=page_info(snapshot, user, exported, model.date, options),
        sections=[Section("minutes", title, "_minutes.html", view)],
    )


def meeting_context(
    snapshot: Snapshot,
    kind: str,
    meeting_key: str,
    *,
    user: str,
    exported: date,
    as_at: date | None = None,
    options: PaperOptions | None = None,
) -> ReportContext:
    """The pack or the minutes of the meeting with `meeting_key`, for `export_pdf`."""
    if kind not in MEETING_PAPERS:
        raise ExportError(f"a meeting has a pack and minutes, not a {kind} report")
    record = meetings.book(snapshot).meeting(meeting_key)
    if record is None:
        raise ExportError("the meeting is no longer in the file (deleted in another session?)")
    if kind == "minutes":
        return minutes_context(snapshot, record, user=user, exported=exported, options=options)
    return meeting_pack_context(
        snapshot,
        record,
        meetings.history(snapshot),
        user=user,
        exported=exported,
        as_at=as_at,
        options=options,
    )
