"""The Meetings section: every meeting (next one first), the action log and the decision
log across meetings, each filterable. Enter opens a meeting: its agenda, matters arising,
attendance, checks and what changed since the last one (`screens.meeting`).
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static, TabbedContent, TabPane

from psr_tui import meetings
from psr_tui.analysis.meetings import (
    ActionView,
    DecisionView,
    action_log,
    carried_forward,
    decision_log,
)
from psr_tui.changes import meetings as changes
from psr_tui.dialogs.confirm import ConfirmDialog
from psr_tui.dialogs.meeting_forms import meeting_form
from psr_tui.dialogs.pick import PickDialog
from psr_tui.dialogs.programme_forms import EditDialog, Values
from psr_tui.dialogs.text_input import TextInputDialog
from psr_tui.formatting import clip, format_date
from psr_tui.models import Meeting, MeetingActionStatus
from psr_tui.screens import meeting_actions
from psr_tui.screens.base import SectionScreen
from psr_tui.store import Record, StoreError
from psr_tui.widgets.nav_table import NavTable
from psr_tui.widgets.text import literal, literal_text

TABS = ("meetings", "actions", "decisions")
# s cycles the action log through these (None: every action).
STATUS_FILTERS: tuple[MeetingActionStatus | None, ...] = (
    MeetingActionStatus.OPEN,
    MeetingActionStatus.DONE,
    MeetingActionStatus.DROPPED,
    None,
)


class MeetingsScreen(SectionScreen):
    LOOKING_BACK = "meetings as today"
    SECTION = "Meetings"
    CSS_PATH = "meetings.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "1",
            "tab('meetings')",
            "Meetings",
            tooltip="Every meeting, next first",
            id="meetings.list",
        ),
        Binding(
            "2",
            "tab('actions')",
            "Actions",
            show=False,
            tooltip="The action log across meetings",
            id="meetings.actions",
        ),
        Binding(
            "3",
            "tab('decisions')",
            "Decisions",
            show=False,
            tooltip="The decision log across meetings",
            id="meetings.decisions",
        ),
        Binding(
            "n",
            "new",
            "New meeting",
            tooltip="Plan a meeting (with the standard items)",
            id="meetings.new",
        ),
        Binding(
            "e",
            "edit",
            "Edit",
            tooltip="Edit the highlighted meeting's details or action",
            id="meetings.edit",
        ),
        Binding(
            "c",
            "close_action",
            "Close action",
            tooltip="Mark the highlighted action done or dropped, with a note",
            id="meetings.close_action",
        ),
        Binding(
            "o",
            "reopen_action",
            "Reopen",
            tooltip="Open the highlighted closed action again",
            id="meetings.reopen_action",
        ),
        Binding(
            "f",
            "filter_owner",
            "Owner",
            tooltip="Show the actions of one owner (any part of the name)",
            id="meetings.filter_owner",
        ),
        Binding(
            "s",
            "filter_status",
            "Status",
            tooltip="Show open, done, dropped or all actions in turn",
            id="meetings.filter_status",
        ),
        Binding(
            "M",
            "filter_meeting",
            "Of meeting",
            tooltip="Show the actions and decisions of one meeting",
            id="meetings.filter_meeting",
        ),
        Binding(
            "slash",
            "find",
            "Find",
            tooltip="Show the decisions whose text has these words",
            id="meetings.find",
        ),
        Binding(
            "x,delete",
            "delete",
            "Delete",
            tooltip="Delete the highlighted meeting (with its agenda and minutes) or action",
            id="meetings.delete",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.owner_filter = ""
        self.status_filter: MeetingActionStatus | None = MeetingActionStatus.OPEN
        self.meeting_filter: str | None = None
        self.text_filter = ""
        self._meetings: dict[str, Record[Meeting]] = {}
        self._actions: dict[str, ActionView] = {}
        self._decisions: dict[str, DecisionView] = {}

    def compose_body(self) -> ComposeResult:
        with TabbedContent(initial="meetings", id="tabs"):
            with TabPane("1 Meetings", id="meetings"):
                yield NavTable(id="meetings-table")
                yield Static("", id="meeting-detail", classes="detail")
            with TabPane("2 Actions", id="actions"):
                yield Static("", id="actions-filter", classes="filter-line")
                yield NavTable(id="actions-table")
                yield Static("", id="action-detail", classes="detail")
            with TabPane("3 Decisions", id="decisions"):
                yield Static("", id="decisions-filter", classes="filter-line")
                yield NavTable(id="decisions-table")
                yield Static("", id="decision-detail", classes="detail")

    def on_mount(self) -> None:
        table = self.query_one("#meetings-table", NavTable)
        for label, width in (("When", 17), ("Body", 20), ("Status", 14), ("Items", 5)):
            table.add_column(label, width=width)
        table.add_column("Open actions", width=12)
        table.add_column("Venue", width=30)
        meeting_actions.add_action_columns(self.query_one("#actions-table", NavTable))
        decisions = self.query_one("#decisions-table", NavTable)
        for label, width in (("Meeting", 15), ("No", 5), ("Item", 24)):
            decisions.add_column(label, width=width)
        decisions.add_column("Decision", width=60)
        super().on_mount()
        table.focus()

    # --- data --------------------------------------------------------------------------

    def refresh_data(self) -> None:
        snap = self.psr.snapshot
        self.book = meetings.book(snap)
        if self.meeting_filter and self.book.meeting(self.meeting_filter) is None:
            self.meeting_filter = None
        self._fill_meetings()
        self._fill_actions()
        self._fill_decisions()

    def _fill_meetings(self) -> None:
        table = self.query_one("#meetings-table", NavTable)
        keep = table.selected_key()
        table.clear()
        as_at = self.psr.as_at
        ordered = meetings.ordered_meetings(self.psr.snapshot)
        self._meetings = {r.model.key: r for r in ordered}
        for record in ordered:
            meeting = record.model
            carried = carried_forward(self.book, meeting)
            overdue = sum(1 for c in carried if c.overdue)
            open_text = f"{len(carried)}" + (f" ({overdue} late)" if overdue else "")
            upcoming = meeting.date >= as_at
            table.add_row(
                literal(meetings.meeting_when(meeting), "bold" if upcoming else ""),
                literal_text(meeting.body),
                meeting.status.value,
                str(len(self.book.agenda(meeting.key))),
                literal(open_text, "$error" if overdue else ""),
                literal_text(meeting.venue),
                key=meeting.key,
            )
        if keep is None and ordered:
            # The next meeting is first: the cursor starts there.
            keep = ordered[0].model.key
        table.select_key(keep)
        self._show_meeting_detail()

    def _fill_actions(self) -> None:
        table = self.query_one("#actions-table", NavTable)
        keep = table.selected_key()
        table.clear()
        views = action_log(
            self.book,
            owner=self.owner_filter or None,
            status=self.status_filter,
            meeting_key=self.meeting_filter,
        )
        self._actions = {v.action.key: v for v in views}
        as_at = self.psr.as_at
        for view in views:
            table.add_row(*meeting_actions.action_row(view, as_at), key=view.action.key)
        table.select_key(keep)
        overdue = sum(1 for v in views if v.overdue_on(as_at))
        status = self.status_filter.value if self.status_filter else "all"
        parts = [f"{len(views)} {status} action{'' if len(views) == 1 else 's'}"]
        if overdue:
            parts.append(f"{overdue} overdue")
        if self.owner_filter:
            parts.append(f"owner contains {self.owner_filter!r}")
        parts.append(self._meeting_filter_text())
        parts.append("s status  f owner  M meeting")
        self.query_one("#actions-filter", Static).update(literal(" · ".join(parts)))
        self._show_action_detail()

    def _meeting_filter_text(self) -> str:
        record = self.book.meeting(self.meeting_filter) if self.meeting_filter else None
        return f"of {meetings.meeting_name(record.model)}" if record else "all meetings"

    def _fill_decisions(self) -> None:
        table = self.query_one("#decisions-table", NavTable)
        keep = table.selected_key()
        table.clear()
        views = decision_log(
            self.book, meeting_key=self.meeting_filter, text=self.text_filter or None
        )
        self._decisions = {v.decision.key: v for v in views}
        for view in views:
            table.add_row(
                format_date(view.meeting.date),
                f"{view.item.number}.{view.number}",
                literal_text(clip(view.item.item.title, 40)),
                literal_text(clip(view.decision.text, 120)),
                key=view.decision.key,
            )
        table.select_key(keep)
        parts = [f"{len(views)} decision{'' if len(views) == 1 else 's'}"]
        if self.text_filter:
            parts.append(f"containing {self.text_filter!r}")
        parts += [self._meeting_filter_text(), "/ find  M meeting"]
        self.query_one("#decisions-filter", Static).update(literal(" · ".join(parts)))
        self._show_decision_detail()

    # --- detail panes --------------------------------------------------------------------

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        table_id = event.data_table.id
        if table_id == "meetings-table":
            self._show_meeting_detail()
        elif table_id == "actions-table":
            self._show_action_detail()
        elif table_id == "decisions-table":
            self._show_decision_detail()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "meetings-table":
            self.open_meeting()

    def _current_meeting(self) -> Record[Meeting] | None:
        key = self.query_one("#meetings-table", NavTable).selected_key()
        return self._meetings.get(key) if key else None

    def _current_action(self) -> ActionView | None:
        key = self.query_one("#actions-table", NavTable).selected_key()
        return self._actions.get(key) if key else None

    def _show_meeting_detail(self) -> None:
        detail = self.query_one("#meeting-detail", Static)
        record = self._current_meeting()
        if record is None:
            detail.update(literal("No meetings yet: press n to plan one."))
            return
        meeting = record.model
        carried = carried_forward(self.book, meeting)
        check = meetings.check(self.psr.snapshot, meeting, self.book)
        attendance = len(meeting.present)
        overdue = sum(1 for c in carried if c.overdue)
        lines = [
            f"{meetings.meeting_name(meeting)} · {meeting.status.value}"
            + (f" · {meeting.venue}" if meeting.venue else ""),
            f"{len(self.book.agenda(meeting.key))} items · "
            f"{len(carried)} open actions carried into it"
            + (f" ({overdue} overdue by then)" if overdue else "")
            + (f" · {attendance} present" if attendance else ""),
        ]
        if meeting.papers_issued:
            lines.append(f"Papers issued {format_date(meeting.papers_issued)}")
        elif meeting.date >= self.psr.as_at:
            lines.append(f"Papers to go out by {format_date(check.issue_by)} (five clear days)")
        count = len(check.warnings)
        lines.append(
            f"{count} warning{'' if count == 1 else 's'} before issuing (enter, then 4)"
            if count
            else "No warnings before issuing"
        )
        lines.append("enter opens the agenda, matters arising, attendance and minutes")
        detail.update(literal("\n".join(lines)))

    def _show_action_detail(self) -> None:
        detail = self.query_one("#action-detail", Static)
        view = self._current_action()
        if view is None:
            detail.update(literal("No actions match: s, f and M change what is shown."))
            return
        detail.update(literal(meeting_actions.action_detail(view, self.psr.as_at)))

    def _show_decision_detail(self) -> None:
        detail = self.query_one("#decision-detail", Static)
        key = self.query_one("#decisions-table", NavTable).selected_key()
        view = self._decisions.get(key) if key else None
        if view is None:
            detail.update(literal("No decisions match."))
            return
        detail.update(
            literal(
                f"{meetings.meeting_name(view.meeting)}, item {view.item.number} "
                f"{view.item.item.title}, decision {view.number}\n{view.decision.text}"
            )
        )

    # --- keys ------------------------------------------------------------------------------

    @property
    def active_tab(self) -> str:
        return self.query_one("#tabs", TabbedContent).active

    def action_tab(self, tab: str) -> None:
        self.query_one("#tabs", TabbedContent).active = tab
        self.query_one(f"#{tab}-table", NavTable).focus()

    def open_meeting(self, key: str | None = None) -> None:
        from psr_tui.screens.meeting import MeetingScreen

        record = self._meetings.get(key) if key else self._current_meeting()
        if record is None:
            self.notify("No meeting is highlighted: press n to plan one.", severity="warning")
            return
        self.app.push_screen(MeetingScreen(record.model.key))

    def action_new(self) -> None:
        bodies = [r.model.body for r in self._meetings.values()]
        self._meeting_form(meeting_form(None, self.psr.as_at, bodies), None)

    def _meeting_form(self, form: EditDialog, record: Record[Meeting] | None) -> None:
        def chosen(values: Values | None) -> None:
            if values is None:
                return

            def refused(error: StoreError) -> None:
                self._meeting_form(form.refill(values, f"Not saved: {error}"), record)

            if record is None:
                self.save_change(
                    lambda tx, _overwrite: changes.new_meeting(tx, values),
                    "new meeting",
                    done=self._show_new,
                    failed=refused,
                )
            else:
                self.save_change(
                    lambda tx, overwrite: changes.edit_meeting(
                        tx, record.doc_id, record.model, values, overwrite=overwrite
                    ),
                    f"edited {meetings.meeting_name(record.model)}",
                    done=lambda saved: self.notify(f"Saved {meetings.meeting_name(saved)}"),
                    failed=refused,
                )

        self.app.push_screen(form, chosen)

    def _show_new(self, added: Record[Meeting]) -> None:
        self.action_tab("meetings")
        self.query_one("#meetings-table", NavTable).select_key(added.model.key)
        self.notify(f"Planned {meetings.meeting_name(added.model)} with the standard items")

    def action_edit(self) -> None:
        if self.active_tab == "actions":
            view = self._current_action()
            if view is not None:
                meeting_actions.edit_action(self, view.record)
            return
        if self.active_tab != "meetings":
            self.action_tab("meetings")
            return
        record = self._current_meeting()
        if record is None:
            self.notify("No meeting is highlighted: press n to plan one.", severity="warning")
            return
        bodies = [r.model.body for r in self._meetings.values()]
        self._meeting_form(meeting_form(record.model, self.psr.as_at, bodies), record)

    def _action_or_say(self) -> ActionView | None:
        if self.active_tab != "actions":
            self.action_tab("actions")
            return None
        view = self._current_action()
        if view is None:
            self.notify("No action is highlighted.", severity="warning")
        return view

    def action_close_action(self) -> None:
        view = self._action_or_say()
        if view is not None:
            meeting_actions.close_action(self, view.record)

    def action_reopen_action(self) -> None:
        view = self._action_or_say()
        if view is not None:
            meeting_actions.reopen_action(self, view.record)

    def action_filter_owner(self) -> None:
        def chosen(text: str | None) -> None:
            if text is not None:
                self.owner_filter = text.strip()
                self._fill_actions()

        self.action_tab("actions")
        self.app.push_screen(
            TextInputDialog("Owner's name contains (empty: every owner):", self.owner_filter),
            chosen,
        )

    def action_filter_status(self) -> None:
        self.action_tab("actions")
        index = STATUS_FILTERS.index(self.status_filter)
        self.status_filter = STATUS_FILTERS[(index + 1) % len(STATUS_FILTERS)]
        self._fill_actions()

    def action_filter_meeting(self) -> None:
        choices = [("every meeting", "")] + [
            (meetings.meeting_name(r.model), r.model.key) for r in self._meetings.values()
        ]

        def chosen(key: str | None) -> None:
            if key is not None:
                self.meeting_filter = key or None
                self._fill_actions()
                self._fill_decisions()

        self.app.push_screen(
            PickDialog("Show the actions and decisions of", choices, self.meeting_filter or ""),
            chosen,
        )

    def action_find(self) -> None:
        def chosen(text: str | None) -> None:
            if text is not None:
                self.text_filter = text.strip()
                self._fill_decisions()

        self.action_tab("decisions")
        self.app.push_screen(
            TextInputDialog("Decisions containing (empty: every decision):", self.text_filter),
            chosen,
        )

    def action_delete(self) -> None:
        if self.active_tab == "actions":
            view = self._current_action()
            if view is not None:
                meeting_actions.delete_action(self, view.record)
            return
        if self.active_tab != "meetings":
            return
        record = self._current_meeting()
        if record is None:
            return
        meeting = record.model
        agenda = self.book.agenda(meeting.key)
        item_keys = [n.item.key for n in agenda]
        minutes = sum(len(self.book.decisions(k)) + len(self.book.actions(k)) for k in item_keys)
        name = meetings.meeting_name(meeting)

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.save_change(
                    lambda tx, overwrite: changes.delete_meeting(
                        tx, record.doc_id, meeting, item_keys, overwrite=overwrite
                    ),
                    f"deleted {name}",
                    done=lambda _: self.notify(f"Deleted {name}"),
                )

        self.app.push_screen(
            ConfirmDialog(
                f"Delete {name} with its {len(agenda)} agenda items and the "
                f"{minutes} decisions and actions recorded at it?",
                "Delete",
            ),
            confirmed,
        )
