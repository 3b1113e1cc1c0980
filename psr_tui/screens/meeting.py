"""One meeting: its agenda (reorder, attach papers, below the line), the matters arising
carried into it, the attendance, the checks before the papers go out, and what changed
since the last meeting. m opens the minutes editor (`screens.minutes`).
"""

from __future__ import annotations

from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static, TabbedContent, TabPane

from psr_tui import meetings
from psr_tui.analysis.meetings import (
    CarriedAction,
    Changes,
    MeetingBook,
    NumberedItem,
    carried_forward,
)
from psr_tui.changes import meetings as changes
from psr_tui.dialogs.confirm import ConfirmDialog
from psr_tui.dialogs.meeting_forms import (
    PaperForm,
    attendee_form,
    item_form,
    meeting_form,
    person_values,
)
from psr_tui.dialogs.pick import PickDialog
from psr_tui.dialogs.programme_forms import EditDialog, Values
from psr_tui.formatting import clip, format_date
from psr_tui.models import (
    AgendaItem,
    Attendance,
    Attendee,
    Meeting,
    MeetingStatus,
    Paper,
    StandardItem,
)
from psr_tui.screens import meeting_actions
from psr_tui.screens.base import SectionScreen
from psr_tui.store import Record, Snapshot, StoreError, Transaction
from psr_tui.widgets.nav_table import NavTable
from psr_tui.widgets.text import literal, literal_text

TABS = ("agenda", "arising", "attendance", "checks", "changes")


def _tab(number: int, tab: str, label: str, tooltip: str) -> Binding:
    # Not in the footer: the tabs are labelled with their keys, and at 80 columns the footer
    # has room for the keys that change things.
    return Binding(
        str(number), f"tab('{tab}')", label, show=False, tooltip=tooltip, id=f"meeting.{tab}"
    )


class MeetingScreen(SectionScreen):
    LOOKING_BACK = "meetings as today"
    CSS_PATH = "meetings.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        _tab(1, "agenda", "Agenda", "The agenda in order, with each item's paper"),
        _tab(2, "arising", "Arising", "Matters arising: actions still open from earlier meetings"),
        _tab(3, "attendance", "Attendance", "Present, apologies, observers, officers"),
        _tab(4, "checks", "Checks", "Warnings before the papers go out"),
        _tab(5, "changes", "Changes", "What changed since the last meeting"),
        Binding(
            "m",
            "minutes",
            "Minutes",
            tooltip="Type the minutes, item by item",
            id="meeting.minutes",
        ),
        Binding(
            "n",
            "new",
            "New",
            tooltip="Add an agenda item (or a person, on the attendance)",
            id="meeting.new",
        ),
        Binding(
            "e",
            "edit",
            "Edit",
            tooltip="Edit the highlighted item, person or action",
            id="meeting.edit",
        ),
        Binding(
            "P",
            "paper",
            "Paper",
            tooltip="Attach a paper to the item: a report, a written paper or an oral update",
            id="meeting.paper",
        ),
        Binding(
            "b",
            "below_the_line",
            "Below line",
            tooltip="Move the item below the line (last, without discussion) or back",
            id="meeting.below_the_line",
        ),
        Binding(
            "K,shift+up",
            "move(-1)",
            "Move up",
            tooltip="Move the item up the agenda",
            id="meeting.move_up",
        ),
        Binding(
            "J,shift+down",
            "move(1)",
            "Move down",
            tooltip="Move the item down the agenda",
            id="meeting.move_down",
        ),
        Binding(
            "s",
            "status",
            "Status",
            tooltip="Planned, papers issued, held, minutes agreed",
            id="meeting.status",
        ),
        Binding(
            "i",
            "details",
            "Details",
            tooltip="Body, date, time, venue and contact of the meeting",
            id="meeting.details",
        ),
        Binding(
            "c",
            "close_action",
            "Close action",
            tooltip="Mark the highlighted matter arising done or dropped, with a note",
            id="meeting.close_action",
        ),
        Binding(
            "o",
            "reopen_action",
            "Reopen",
            tooltip="Open the highlighted closed action again",
            id="meeting.reopen_action",
        ),
        Binding(
            "l",
            "move_person",
            "List",
            tooltip="Move the highlighted person to another list (sent apologies, then came)",
            id="meeting.move_person",
        ),
        Binding(
            "x,delete",
            "delete",
            "Delete",
            tooltip="Delete the highlighted item (with its minutes), person or action",
            id="meeting.delete",
        ),
        Binding(
            "E",
            "export('pack')",
            "Pack PDF",
            tooltip="The meeting's pack as a PDF: the agenda with each item's pages, the "
            "minutes and matters arising, the papers",
            id="meeting.export_pack",
        ),
        Binding(
            "X",
            "export('minutes')",
            "Minutes PDF",
            tooltip="The minutes of this meeting as a PDF",
            id="meeting.export_minutes",
        ),
    ]

    def __init__(self, meeting_key: str) -> None:
        super().__init__()
        self.meeting_key = meeting_key
        self.SECTION = "Meetings"
        self.book: MeetingBook | None = None
        self.record: Record[Meeting] | None = None
        self._items: dict[str, NumberedItem] = {}
        self._carried: dict[str, CarriedAction] = {}
        self._people: dict[str, tuple[Attendance, Attendee]] = {}
        self._changes_for: tuple[int, str] | None = None

    def compose_body(self) -> ComposeResult:
        yield Static("", id="meeting-line", classes="filter-line")
        with TabbedContent(initial="agenda", id="tabs"):
            with TabPane("1 Agenda", id="agenda"):
                yield NavTable(id="agenda-table")
                yield Static("", id="item-detail", classes="detail")
            with TabPane("2 Arising", id="arising"):
                yield Static("", id="arising-line", classes="filter-line")
                yield NavTable(id="arising-table")
                yield Static("", id="arising-detail", classes="detail")
            with TabPane("3 Attendance", id="attendance"):
                yield NavTable(id="attendance-table")
            with TabPane("4 Checks", id="checks"), VerticalScroll(classes="page"):
                yield Static("", id="checks-text")
            with TabPane("5 Changes", id="changes"), VerticalScroll(classes="page"):
                yield Static("", id="changes-text")

    def on_mount(self) -> None:
        agenda = self.query_one("#agenda-table", NavTable)
        for label, width in (("No", 3), ("Item", 36), ("Paper", 26)):
            agenda.add_column(label, width=width)
        agenda.add_column("Presenter", width=20)
        meeting_actions.add_action_columns(self.query_one("#arising-table", NavTable), carried=True)
        people = self.query_one("#attendance-table", NavTable)
        for label, width in (("Under", 10), ("Name", 28), ("Organisation", 28)):
            people.add_column(label, width=width)
        people.add_column("As", width=14)
        super().on_mount()
        agenda.focus()

    # --- data --------------------------------------------------------------------------

    def refresh_data(self) -> None:
        snap = self.psr.snapshot
        self.book = meetings.book(snap)
        record = self.book.meeting(self.meeting_key)
        if record is None:
            self.notify("The meeting was deleted in another session", severity="warning")
            self.dismiss()
            return
        self.record = record
        meeting = record.model
        self.SECTION = f"Meetings › {meetings.meeting_name(meeting)}"
        self.query_one("#meeting-line", Static).update(literal(self._meeting_line(meeting)))
        self._fill_agenda()
        self._fill_arising()
        self._fill_attendance()
        self._fill_checks()
        if self.query_one("#tabs", TabbedContent).active == "changes":
            self._fill_changes()

    def _meeting_line(self, meeting: Meeting) -> str:
        parts = [meeting.body, meetings.meeting_when(meeting)]
        if meeting.venue:
            parts.append(meeting.venue)
        status = meeting.status.value
        if meeting.papers_issued:
            status += f" {format_date(meeting.papers_issued)}"
        parts.append(status)
        return " · ".join(parts)

    @property
    def meeting(self) -> Meeting:
        assert self.record is not None
        return self.record.model

    def _fill_agenda(self) -> None:
        assert self.book is not None
        table = self.query_one("#agenda-table", NavTable)
        keep = table.selected_key()
        table.clear()
        agenda = self.book.agenda(self.meeting_key)
        self._items = {n.item.key: n for n in agenda}
        below_started = False
        for numbered in agenda:
            item = numbered.item
            title = item.title
            if item.below_the_line and not below_started:
                below_started = True
                title = f"▁ {title}"
            table.add_row(
                str(numbered.number),
                literal_text(title, "italic" if item.below_the_line else ""),
                literal_text(_paper_cell(numbered, self.book, self.meeting)),
                literal_text(item.presenter),
                key=item.key,
            )
        table.select_key(keep)
        self._show_item_detail()

    def _fill_arising(self) -> None:
        assert self.book is not None
        table = self.query_one("#arising-table", NavTable)
        keep = table.selected_key()
        table.clear()
        carried = carried_forward(self.book, self.meeting)
        self._carried = {c.view.action.key: c for c in carried}
        for item in carried:
            table.add_row(
                *meeting_actions.action_row(item.view, self.psr.as_at, item),
                key=item.view.action.key,
            )
        table.select_key(keep)
        previous = self.book.previous(self.meeting)
        overdue = sum(1 for c in carried if c.overdue)
        if previous is None:
            line = "No earlier meeting of this body: nothing is carried into this one."
        else:
            line = (
                f"{len(carried)} action{'' if len(carried) == 1 else 's'} still open from "
                f"earlier meetings (the last: {meetings.meeting_name(previous.model)})"
                + (f", {overdue} overdue by this meeting" if overdue else "")
                + " · c close  o reopen  e edit"
            )
        self.query_one("#arising-line", Static).update(literal(line))
        self._show_arising_detail()

    def _fill_attendance(self) -> None:
        table = self.query_one("#attendance-table", NavTable)
        keep = table.selected_key()
        table.clear()
        self._people = {}
        for kind in Attendance:
            for index, person in enumerate(self.meeting.attendance(kind)):
                key = f"{kind.value}:{index}"
                self._people[key] = (kind, person)
                table.add_row(
                    meetings.ATTENDANCE_HEADINGS[kind],
                    literal_text(person.name),
                    literal_text(person.organisation),
                    literal_text(person.role),
                    key=key,
                )
        table.select_key(keep)

    def _fill_checks(self) -> None:
        assert self.book is not None
        check = meetings.check(self.psr.snapshot, self.meeting, self.book)
        lines = [
            f"Papers to go out by {format_date(check.issue_by)} for five clear days' notice"
            + (
                f" (issued {format_date(self.meeting.papers_issued)})"
                if self.meeting.papers_issued
                else ""
            ),
            "",
        ]
        if check.warnings:
            lines.append(f"{len(check.warnings)} to put right before the papers go out:")
            lines += [f"  • {w}" for w in check.warnings]
        else:
            lines.append("No warnings: every item has its paper and presenter.")
        self.query_one("#checks-text", Static).update(literal("\n".join(lines)))

    def _fill_changes(self) -> None:
        generation = (self.psr.data_generation, self.meeting_key)
        if self._changes_for == generation:
            return
        self._changes_for = generation
        self.query_one("#changes-text", Static).update(literal("Reading the audit trail…"))
        self._read_changes(self.meeting)

    @work(thread=True, exclusive=True, exit_on_error=False, group="meeting-changes")
    def _read_changes(self, meeting: Meeting) -> None:
        snap = self.psr.snapshot
        try:
            found = meetings.changes_since_last(snap, meeting, meetings.history(snap))
        except (OSError, ValueError) as exc:
            text = f"The audit trail could not be read: {exc}"
        else:
            text = changes_text(snap, found)
        self.app.call_from_thread(self._show_changes, text)

    def _show_changes(self, text: str) -> None:
        self.query_one("#changes-text", Static).update(literal(text))

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id == "changes" and self.record is not None:
            self._fill_changes()

    # --- detail panes --------------------------------------------------------------------

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "agenda-table":
            self._show_item_detail()
        elif event.data_table.id == "arising-table":
            self._show_arising_detail()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "agenda-table":
            self.action_minutes()

    def _current_item(self) -> NumberedItem | None:
        key = self.query_one("#agenda-table", NavTable).selected_key()
        return self._items.get(key) if key else None

    def _show_item_detail(self) -> None:
        assert self.book is not None
        detail = self.query_one("#item-detail", Static)
        numbered = self._current_item()
        if numbered is None:
            detail.update(literal("The agenda is empty: press n to add an item."))
            return
        detail.update(literal(item_detail(numbered, self.book, self.meeting)))

    def _show_arising_detail(self) -> None:
        detail = self.query_one("#arising-detail", Static)
        carried = self._current_carried()
        if carried is None:
            detail.update("")
            return
        text = meeting_actions.action_detail(carried.view, self.psr.as_at)
        text += f"\nCarried to {carried.carried} meeting{'' if carried.carried == 1 else 's'}"
        detail.update(literal(text))

    def _current_carried(self) -> CarriedAction | None:
        key = self.query_one("#arising-table", NavTable).selected_key()
        return self._carried.get(key) if key else None

    # --- keys ------------------------------------------------------------------------------

    @property
    def active_tab(self) -> str:
        return self.query_one("#tabs", TabbedContent).active

    def action_tab(self, tab: str) -> None:
        self.query_one("#tabs", TabbedContent).active = tab
        tables = self.query(f"#{tab}-table")
        if tables:
            tables.first().focus()

    def action_minutes(self) -> None:
        from psr_tui.screens.minutes import MinutesScreen

        numbered = self._current_item() if self.active_tab == "agenda" else None
        self.app.push_screen(
            MinutesScreen(self.meeting_key, numbered.item.key if numbered else None)
        )

    def _item_or_say(self) -> NumberedItem | None:
        if self.active_tab != "agenda":
            self.action_tab("agenda")
            return None
        numbered = self._current_item()
        if numbered is None:
            self.notify("No item is highlighted: press n to add one.", severity="warning")
        return numbered

    def _show_item(self, key: str, message: str) -> None:
        self.action_tab("agenda")
        self.query_one("#agenda-table", NavTable).select_key(key)
        self.notify(message)

    def action_new(self) -> None:
        if self.active_tab == "attendance":
            self._person_form(attendee_form(None, Attendance.PRESENT), None)
            return
        self.action_tab("agenda")
        self._item_form(item_form(None), None)

    def _item_form(self, form: EditDialog, numbered: NumberedItem | None) -> None:
        def chosen(values: Values | None) -> None:
            if values is None:
                return

            def refused(error: StoreError) -> None:
                self._item_form(form.refill(values, f"Not saved: {error}"), numbered)

            if numbered is None:
                self.save_change(
                    lambda tx, _overwrite: changes.add_item(tx, self.meeting_key, values),
                    f"new item {values['title']!r}",
                    done=lambda added: self._show_item(
                        added.model.key, f"Added to the agenda: {added.model.title}"
                    ),
                    failed=refused,
                )
                return
            record = numbered.record

            def change(tx: Transaction, overwrite: bool) -> AgendaItem:
                # The place on the agenda moves with the line: its own change.
                fields = {k: v for k, v in values.items() if k != "below_the_line"}
                saved = changes.edit_item(
                    tx, record.doc_id, record.model, fields, overwrite=overwrite
                )
                return changes.set_below_the_line(
                    tx, record.doc_id, saved, values["below_the_line"]
                )

            self.save_change(
                change,
                f"edited item {numbered.number}",
                done=lambda saved: self.notify(f"Saved item: {saved.title}"),
                failed=refused,
            )

        self.app.push_screen(form, chosen)

    def action_edit(self) -> None:
        tab = self.active_tab
        if tab == "arising":
            carried = self._current_carried()
            if carried is not None:
                meeting_actions.edit_action(self, carried.view.record)
        elif tab == "attendance":
            key = self.query_one("#attendance-table", NavTable).selected_key()
            if key in self._people:
                kind, person = self._people[key]
                self._person_form(attendee_form(person, kind), (kind, person))
        else:
            numbered = self._item_or_say()
            if numbered is not None:
                self._item_form(item_form(numbered.item), numbered)

    def action_paper(self) -> None:
        numbered = self._item_or_say()
        if numbered is None:
            return
        if numbered.item.standard is not None:
            self.notify(
                "The standard items take no paper: the pack fills them in.", severity="warning"
            )
            return
        rounds = [r.model.name for r in self.psr.snapshot.rounds()]
        self._paper_form(numbered, PaperForm(numbered.item, rounds))

    def _paper_form(self, numbered: NumberedItem, form: PaperForm) -> None:
        record = numbered.record

        def chosen(paper: Paper | None) -> None:
            if paper is None:
                return

            def refused(error: StoreError) -> None:
                rounds = [r.model.name for r in self.psr.snapshot.rounds()]
                item = record.model.model_copy(update={"paper": paper})
                self._paper_form(numbered, PaperForm(item, rounds, f"Not saved: {error}"))

            self.save_change(
                lambda tx, overwrite: changes.attach_paper(
                    tx, record.doc_id, record.model, paper, overwrite=overwrite
                ),
                f"the paper of item {numbered.number}",
                done=lambda saved: self.notify(
                    f"Item {numbered.number}: {meetings.paper_name(paper)}"
                ),
                failed=refused,
            )

        self.app.push_screen(form, chosen)

    def action_below_the_line(self) -> None:
        numbered = self._item_or_say()
        if numbered is None:
            return
        record, below = numbered.record, not numbered.item.below_the_line
        where = "below the line" if below else "above the line"
        self.save_change(
            lambda tx, _overwrite: changes.set_below_the_line(
                tx, record.doc_id, record.model, below
            ),
            f"item {numbered.number} {where}",
            done=lambda saved: self._show_item(saved.key, f"{saved.title}: {where}"),
        )

    def action_move(self, steps: int) -> None:
        numbered = self._item_or_say()
        if numbered is None:
            return
        record = numbered.record
        self.save_change(
            lambda tx, _overwrite: changes.move_item(tx, record.doc_id, record.model, steps),
            f"moved item {numbered.number}",
            done=lambda saved: self.query_one("#agenda-table", NavTable).select_key(saved.key),
        )

    def action_status(self) -> None:
        assert self.record is not None
        record = self.record
        choices = [(s.value, s.value) for s in MeetingStatus]

        def chosen(value: str | None) -> None:
            if value is None or value == record.model.status.value:
                return
            status = MeetingStatus(value)
            self.save_change(
                lambda tx, overwrite: changes.set_status(
                    tx, record.doc_id, record.model, status, overwrite=overwrite
                ),
                f"{meetings.meeting_name(record.model)} {status.value}",
                done=lambda saved: self.notify(
                    f"{meetings.meeting_name(saved)}: {saved.status.value}"
                    + (
                        f" (papers issued {format_date(saved.papers_issued)})"
                        if status == MeetingStatus.PAPERS_ISSUED and saved.papers_issued
                        else ""
                    )
                ),
            )

        self.app.push_screen(
            PickDialog("The meeting is", choices, record.model.status.value), chosen
        )

    def action_details(self) -> None:
        assert self.record is not None
        record = self.record
        bodies = [r.model.body for r in self.book.meetings] if self.book else []

        def open_form(form: EditDialog) -> None:
            def chosen(values: Values | None) -> None:
                if values is None:
                    return
                self.save_change(
                    lambda tx, overwrite: changes.edit_meeting(
                        tx, record.doc_id, record.model, values, overwrite=overwrite
                    ),
                    f"edited {meetings.meeting_name(record.model)}",
                    done=lambda saved: self.notify(f"Saved {meetings.meeting_name(saved)}"),
                    failed=lambda error: open_form(form.refill(values, f"Not saved: {error}")),
                )

            self.app.push_screen(form, chosen)

        open_form(meeting_form(record.model, self.psr.as_at, bodies))

    def _arising_or_say(self) -> CarriedAction | None:
        if self.active_tab != "arising":
            self.action_tab("arising")
            return None
        carried = self._current_carried()
        if carried is None:
            self.notify("No matter arising is highlighted.", severity="warning")
        return carried

    def action_close_action(self) -> None:
        carried = self._arising_or_say()
        if carried is not None:
            meeting_actions.close_action(self, carried.view.record)

    def action_reopen_action(self) -> None:
        carried = self._arising_or_say()
        if carried is not None:
            meeting_actions.reopen_action(self, carried.view.record)

    # --- attendance ----------------------------------------------------------------------

    def _person_form(self, form: EditDialog, person: tuple[Attendance, Attendee] | None) -> None:
        assert self.record is not None
        record = self.record

        def chosen(values: Values | None) -> None:
            if values is None:
                return
            kind, fields = person_values(values)

            def refused(error: StoreError) -> None:
                self._person_form(form.refill(values, f"Not saved: {error}"), person)

            if person is None:
                self.save_change(
                    lambda tx, _overwrite: changes.add_attendee(
                        tx, record.doc_id, record.model, kind, fields
                    ),
                    f"added {fields['name']!r} to the attendance",
                    done=lambda _: self.notify(
                        f"{fields['name']}: {meetings.ATTENDANCE_HEADINGS[kind]}"
                    ),
                    failed=refused,
                )
                return
            was_kind, was = person

            def change(tx: Transaction, _overwrite: bool) -> Meeting:
                saved = changes.edit_attendee(
                    tx, record.doc_id, record.model, was_kind, was, fields
                )
                edited = Attendee.model_validate({**was.model_dump(), **fields})
                return changes.move_attendee(tx, record.doc_id, saved, edited, was_kind, kind)

            self.save_change(
                change,
                f"edited {was.name!r} in the attendance",
                done=lambda _: self.notify(f"Saved {fields['name']} in the attendance"),
                failed=refused,
            )

        self.app.push_screen(form, chosen)

    def _current_person(self) -> tuple[Attendance, Attendee] | None:
        if self.active_tab != "attendance":
            self.action_tab("attendance")
            return None
        key = self.query_one("#attendance-table", NavTable).selected_key()
        found = self._people.get(key) if key else None
        if found is None:
            self.notify("No one is highlighted: press n to add a person.", severity="warning")
        return found

    def action_move_person(self) -> None:
        found = self._current_person()
        if found is None:
            return
        assert self.record is not None
        record, (kind, person) = self.record, found
        choices = [(meetings.ATTENDANCE_HEADINGS[k], k.value) for k in Attendance]

        def chosen(value: str | None) -> None:
            if value is None or value == kind.value:
                return
            to_kind = Attendance(value)
            self.save_change(
                lambda tx, _overwrite: changes.move_attendee(
                    tx, record.doc_id, record.model, person, kind, to_kind
                ),
                f"moved {person.name!r}",
                done=lambda _: self.notify(
                    f"{person.name}: {meetings.ATTENDANCE_HEADINGS[to_kind]}"
                ),
            )

        self.app.push_screen(PickDialog(f"List {person.name} under", choices, kind.value), chosen)

    def action_delete(self) -> None:
        tab = self.active_tab
        if tab == "arising":
            carried = self._current_carried()
            if carried is not None:
                meeting_actions.delete_action(self, carried.view.record)
        elif tab == "attendance":
            self._delete_person()
        elif tab == "agenda":
            self._delete_item()

    def _delete_person(self) -> None:
        found = self._current_person()
        if found is None:
            return
        assert self.record is not None
        record, (kind, person) = self.record, found
        self.save_change(
            lambda tx, _overwrite: changes.remove_attendee(
                tx, record.doc_id, record.model, kind, person
            ),
            f"removed {person.name!r} from the attendance",
            done=lambda _: self.notify(f"Removed {person.name} from the attendance"),
        )

    def _delete_item(self) -> None:
        numbered = self._item_or_say()
        if numbered is None or self.book is None:
            return
        record = numbered.record
        told = [r.model.key for r in self.book.decisions(record.model.key)]
        told += [r.model.key for r in self.book.actions(record.model.key)]
        minutes = f" with its {len(told)} decisions and actions" if told else ""

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.save_change(
                    lambda tx, overwrite: changes.delete_item(
                        tx, record.doc_id, record.model, told, overwrite=overwrite
                    ),
                    f"deleted item {numbered.number}",
                    done=lambda _: self.notify(f"Deleted item {record.model.title}"),
                )

        self.app.push_screen(
            ConfirmDialog(
                f"Delete item {numbered.number} {clip(record.model.title, 60)!r}{minutes}?",
                "Delete",
            ),
            confirmed,
        )

    def action_export(self, kind: str) -> None:
        from psr_tui.screens.export import start_export

        start_export(self.psr, kind, self.meeting)


# --- what the panes say -----------------------------------------------------------------


def _paper_cell(numbered: NumberedItem, book: MeetingBook, meeting: Meeting) -> str:
    item = numbered.item
    if item.standard == StandardItem.MINUTES:
        previous = book.previous(meeting)
        return f"minutes of {format_date(previous.model.date)}" if previous else "—"
    if item.paper is None:
        return "" if item.standard else "no paper"
    return meetings.paper_name(item.paper)


def item_detail(numbered: NumberedItem, book: MeetingBook, meeting: Meeting) -> str:
    """What the agenda's detail pane says about an item: its paper, the minutes so far."""
    item = numbered.item
    lines = [
        f"{numbered.number}. {item.title}"
        + (f" · {item.presenter}" if item.presenter else "")
        + (f" · for {item.purpose.value}" if item.standard is None else "")
        + (" · below the line" if item.below_the_line else "")
    ]
    if item.standard == StandardItem.MINUTES:
        previous = book.previous(meeting)
        carried = carried_forward(book, meeting)
        lines.append(
            f"The minutes of {meetings.meeting_name(previous.model)}, with "
            f"{len(carried)} matters arising (2 lists them)"
            if previous
            else "No earlier meeting of this body."
        )
    elif item.standard == StandardItem.NEXT_MEETING:
        later = book.later(meeting)
        lines.append(
            "Next: " + ", ".join(format_date(r.model.date) for r in later[:3])
            if later
            else "No later meeting planned yet (n on the Meetings list)."
        )
    elif item.paper is not None:
        paper = item.paper
        lines.append(f"Paper: {meetings.paper_name(paper)}")
        lines += [f"  {n}. {text}" for n, text in enumerate(paper.recommendations, start=1)]
    elif item.standard is None:
        lines.append("No paper yet: P attaches one (or marks it an oral update).")
    decisions = len(book.decisions(item.key))
    actions = len(book.actions(item.key))
    if item.discussion or decisions or actions:
        lines.append(
            f"Minutes: {decisions} decisions, {actions} actions"
            + (f" · {clip(item.discussion.replace(chr(10), ' '), 70)}" if item.discussion else "")
        )
    return "\n".join(lines)


def changes_text(snap: Snapshot, found: Changes | None) -> str:
    """What changed since the last meeting, as the Changes tab lists it."""
    if found is None:
        return "No earlier meeting of this body: nothing to compare with."
    lines = [
        f"What changed after {format_date(found.since)} up to {format_date(found.until)}",
        "",
    ]
    blocks = meetings.changes_lines(found, meetings.round_changes(snap, found))
    if not blocks:
        lines.append("Nothing: no risk, activity, round or action changed in between.")
    for title, rows in blocks:
        lines.append(title)
        lines.extend(f"  • {row}" for row in rows)
    return "\n".join(lines)
