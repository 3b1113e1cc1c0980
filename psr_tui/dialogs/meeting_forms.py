"""The meeting forms: a meeting's details, an agenda item, its paper, a person in the
attendance, a decision, an action and closing one.

Most are field-spec forms (`EditDialog`): each returns the checked values as a dict, or None
when cancelled; the changes in `psr_tui.changes.meetings` check them again against the data.
The paper form has text areas of its own: a paper written in psr, and its recommendations.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.widgets import Input, Select, TextArea

from psr_tui.analysis.meetings import MOST_RECOMMENDATIONS, sections_from_text, sections_text
from psr_tui.dialogs.form import FieldErrors, FormDialog
from psr_tui.dialogs.programme_forms import EditDialog, FieldSpec, Values
from psr_tui.formatting import DATE_HINT, parse_time
from psr_tui.meetings import PAPER_NAMES
from psr_tui.models import (
    DEFAULT_BODIES,
    AgendaItem,
    Attendance,
    Attendee,
    Meeting,
    MeetingAction,
    MeetingActionStatus,
    Paper,
    PaperKind,
    Purpose,
)
from psr_tui.widgets.text import literal

TIME_HINT = "HH:MM, e.g. 16:00; empty for none"


def _check_time(values: Values) -> str | None:
    try:
        values["time"] = parse_time(values["time"]) if values["time"] else None
    except ValueError as exc:
        return f"Time: {exc}"
    if values.get("date") is None:
        return "Date: give the day of the meeting."
    return None


def meeting_form(meeting: Meeting | None, default_day: date, bodies: Sequence[str]) -> EditDialog:
    """A new meeting (planned, with the standard items) or a meeting's details."""
    known = list(dict.fromkeys([*DEFAULT_BODIES, *bodies]))
    return EditDialog(
        f"Edit the meeting of {meeting.body}" if meeting else "New meeting",
        [
            FieldSpec("body", "Body", "select", meeting.body if meeting else known[0], known),
            FieldSpec(
                "date",
                "Date (to the day: 2016-05-17 or 17/05/2016)",
                "date",
                meeting.date if meeting else "",
            ),
            FieldSpec(
                "time",
                f"Time ({TIME_HINT})",
                value=meeting.time.strftime("%H:%M") if meeting and meeting.time else "",
            ),
            FieldSpec("venue", "Venue", value=meeting.venue if meeting else ""),
            FieldSpec(
                "contact", "Contact for the papers", value=meeting.contact if meeting else ""
            ),
        ],
        _check_time,
    )


PURPOSES = [p.value for p in Purpose]


def item_form(item: AgendaItem | None) -> EditDialog:
    """A new agenda item or an item's title, presenter, purpose and place."""
    return EditDialog(
        f"Edit item {item.title}" if item else "New agenda item",
        [
            FieldSpec("title", "Title", value=item.title if item else "", required=True),
            FieldSpec("presenter", "Presenter", value=item.presenter if item else ""),
            FieldSpec(
                "purpose",
                "For",
                "select",
                item.purpose.value if item else Purpose.DISCUSSION.value,
                PURPOSES,
            ),
            FieldSpec(
                "below_the_line",
                "Below the line (taken without discussion, last)",
                "check",
                item.below_the_line if item else False,
            ),
        ],
    )


LISTS = [kind.value for kind in Attendance]


def attendee_form(person: Attendee | None, kind: Attendance) -> EditDialog:
    """A person in the attendance: name (or role), organisation, role at the meeting, list."""
    return EditDialog(
        f"Edit {person.name}" if person else "Add to the attendance",
        [
            FieldSpec("name", "Name (or post)", value=person.name if person else "", required=True),
            FieldSpec("organisation", "Organisation", value=person.organisation if person else ""),
            FieldSpec(
                "role", "At the meeting as (e.g. Chair)", value=person.role if person else ""
            ),
            FieldSpec("list", "Listed under", "select", kind.value, LISTS),
        ],
    )


def decision_form(text: str = "") -> EditDialog:
    return EditDialog(
        "Edit the decision" if text else "New decision",
        [FieldSpec("text", "Agreed", value=text, required=True)],
    )


def action_form(action: MeetingAction | None) -> EditDialog:
    """A new action (open) or an open action's description, owner and due date."""
    return EditDialog(
        "Edit the action" if action else "New action",
        [
            FieldSpec(
                "description", "Action", value=action.description if action else "", required=True
            ),
            FieldSpec("owner", "Owner", value=action.owner if action else ""),
            FieldSpec(
                "due",
                f"Due ({DATE_HINT}; empty for none)",
                "date",
                (action.due if action else None) or "",
            ),
        ],
    )


CLOSING = [MeetingActionStatus.DONE.value, MeetingActionStatus.DROPPED.value]


def close_action_form(action: MeetingAction, today: date) -> EditDialog:
    """Close an action: done or dropped, on a day, with what was done or why not."""

    def check(values: Values) -> str | None:
        if values["closed"] is None:
            return "Closed on: give the day."
        return None

    return EditDialog(
        f"Close: {action.description}",
        [
            FieldSpec("status", "Closed as", "select", CLOSING[0], CLOSING),
            FieldSpec("note", "What was done, or why it was dropped", required=True),
            FieldSpec("closed", f"Closed on ({DATE_HINT})", "date", today),
        ],
        check,
    )


# --- papers ---------------------------------------------------------------------------

KINDS = list(PaperKind)


class PaperForm(FormDialog[Paper]):
    """Attach a paper to an item: one of psr's reports (for an assessment, of a round), a
    paper written here (`# Heading` lines, blank lines between paragraphs, `- ` lists), or
    an oral update. Recommendations one a line."""

    SAVE_ON_ENTER = False
    DEFAULT_CSS = """
    PaperForm > Vertical { width: 90; }
    PaperForm TextArea { height: 6; }
    PaperForm #body { height: 10; }
    """
    ROUND_LATEST: ClassVar[str] = "the latest round at the meeting"

    def __init__(self, item: AgendaItem, rounds: Sequence[str], problem: str = "") -> None:
        super().__init__(f"Paper for {item.title}", problem)
        self.item = item
        self.rounds = list(rounds)
        self.paper = item.paper

    def compose_fields(self) -> ComposeResult:
        paper = self.paper
        kind = paper.kind if paper else PaperKind.TEXT
        yield from self.field(
            "Paper",
            Select(
                [(PAPER_NAMES[k], k.value) for k in KINDS],
                value=kind.value,
                allow_blank=False,
                id="kind",
            ),
        )
        chosen = paper.round if paper and paper.round in self.rounds else ""
        yield from self.field(
            "Round (an assessment report)",
            Select(
                [(self.ROUND_LATEST, ""), *((literal(r), r) for r in self.rounds)],
                value=chosen,
                allow_blank=False,
                id="round",
            ),
        )
        yield from self.field(
            "Title (empty: the item's)", Input(paper.title if paper else "", id="title")
        )
        yield from self.field(
            "Text (# Heading lines; a blank line between paragraphs; - for a list)",
            TextArea(sections_text(paper.sections) if paper else "", id="body"),
        )
        yield from self.field(
            f"Recommendations, one a line (at most {MOST_RECOMMENDATIONS} keeps it clear)",
            TextArea("\n".join(paper.recommendations) if paper else "", id="recommendations"),
        )

    def validate(self) -> Paper | str | FieldErrors:
        kind = PaperKind(self.choice("kind") or PaperKind.TEXT.value)
        round_name = self.choice("round") or ""
        if round_name and kind != PaperKind.ASSESSMENT:
            return FieldErrors(round="A round is for an assessment report: choose the latest.")
        text = self.query_one("#body", TextArea).text
        recommendations = [
            line.strip().removeprefix("- ").strip()
            for line in self.query_one("#recommendations", TextArea).text.splitlines()
            if line.strip()
        ]
        values: dict[str, Any] = {
            "kind": kind,
            "round": round_name,
            "title": self.text("title"),
            "sections": sections_from_text(text),
            "recommendations": recommendations,
        }
        return Paper.model_validate(values)


def person_values(values: Values) -> tuple[Attendance, dict[str, str]]:
    """The list a person goes under, and their fields, from the attendee form."""
    kind = Attendance(values["list"])
    return kind, {k: values[k] for k in ("name", "organisation", "role")}
