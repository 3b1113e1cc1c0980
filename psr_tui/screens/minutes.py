"""The minutes of a meeting, typed as it happens: the agenda on the left, the highlighted
item's discussion (saved as it is typed, like scores) and its decisions and actions.

Each save merges the discussion onto the latest item: while one is on its way the typing
gathers, and the next save takes all of it, so a fast typist never queues a write a key.
Another officer's minutes of another item never clash; the same item's changed by both is
the conflict dialog, and the text typed here is kept until it is saved or dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Label, Static, TextArea

from psr_tui import meetings
from psr_tui.analysis.meetings import MeetingBook, NumberedItem
from psr_tui.changes import meetings as changes
from psr_tui.dialogs.confirm import ConfirmDialog
from psr_tui.dialogs.meeting_forms import action_form, decision_form
from psr_tui.dialogs.programme_forms import EditDialog, Values
from psr_tui.formatting import clip, format_date
from psr_tui.models import AgendaItem, Decision, MeetingAction, MeetingStatus
from psr_tui.screens import meeting_actions
from psr_tui.screens.base import SectionScreen
from psr_tui.store import Record, StoreError
from psr_tui.widgets.nav_table import NavTable
from psr_tui.widgets.text import literal, literal_text


@dataclass
class Draft:
    """One item's discussion as this screen knows it: `base` is the item as last read or
    saved here, `text` what is on screen; they differ while something is unsaved."""

    doc_id: int
    base: AgendaItem
    text: str
    saving: bool = False
    problem: str | None = None
    saved_at: datetime | None = None

    @property
    def unsaved(self) -> bool:
        return self.text != self.base.discussion


class MinutesScreen(SectionScreen):
    LOOKING_BACK = "meetings as today"
    CSS_PATH = "minutes.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "leave",
            "Back",
            tooltip="Leave the text (or the minutes, once saved)",
            id="minutes.back",
        ),
        Binding(
            "enter",
            "write",
            "Write",
            tooltip="Type the discussion of the highlighted item",
            id="minutes.write",
        ),
        Binding(
            "D",
            "decision",
            "Decision",
            tooltip="Record a decision of the item",
            id="minutes.decision",
        ),
        Binding(
            "A",
            "action",
            "Action",
            tooltip="Record an action the item set: owner, due date",
            id="minutes.action",
        ),
        Binding(
            "e",
            "edit",
            "Edit",
            tooltip="Edit the highlighted decision or action",
            id="minutes.edit",
        ),
        Binding(
            "c",
            "close_action",
            "Close action",
            tooltip="Mark the highlighted action done or dropped, with a note",
            id="minutes.close_action",
        ),
        Binding(
            "x,delete",
            "delete",
            "Delete",
            tooltip="Delete the highlighted decision or action",
            id="minutes.delete",
        ),
    ]

    def __init__(self, meeting_key: str, item_key: str | None = None) -> None:
        super().__init__()
        self.meeting_key = meeting_key
        self.item_key = item_key
        self.SECTION = "Meetings › Minutes"
        self.book: MeetingBook | None = None
        self.drafts: dict[str, Draft] = {}
        self._items: dict[str, NumberedItem] = {}
        # The item whose discussion the text area holds.
        self._shown_key: str | None = None
        # The highlighted item's decisions and actions, by their row's key.
        self._decisions: dict[str, Record[Decision]] = {}
        self._actions: dict[str, Record[MeetingAction]] = {}

    def compose_body(self) -> ComposeResult:
        yield Static("", id="minutes-line", classes="filter-line")
        with Horizontal(id="minutes-body"):
            yield NavTable(id="items")
            with Vertical(id="item-minutes"):
                yield Label("", id="item-title")
                yield TextArea("", id="discussion", soft_wrap=True, show_line_numbers=False)
                yield Static("", id="save-state")
                yield NavTable(id="records")

    def on_mount(self) -> None:
        items = self.query_one("#items", NavTable)
        items.add_column("No", width=3)
        items.add_column("Item", width=22)
        records = self.query_one("#records", NavTable)
        for label, width in (("", 3), ("Agreed / action", 30), ("Due", 11), ("Status", 8)):
            records.add_column(label, width=width)
        records.add_column("Owner", width=16)
        super().on_mount()
        items.focus()

    # --- data ------------------------------------------------------------------------------

    def refresh_data(self) -> None:
        self.book = meetings.book(self.psr.snapshot)
        record = self.book.meeting(self.meeting_key)
        if record is None:
            self.notify("The meeting was deleted in another session", severity="warning")
            self.dismiss()
            return
        meeting = record.model
        self.SECTION = f"Meetings › Minutes of {meetings.meeting_name(meeting)}"
        line = f"Minutes of {meetings.meeting_name(meeting)} ({meeting.status.value})"
        if meeting.status in (MeetingStatus.PLANNED, MeetingStatus.PAPERS_ISSUED):
            line += " · not held yet"
        elif meeting.status == MeetingStatus.MINUTES_AGREED:
            line += " · a change here changes the agreed minutes"
        self.query_one("#minutes-line", Static).update(literal(line))
        current = self.drafts.get(self.item_key or "")
        if current is not None and self._shown_key == self.item_key:
            # Typing whose Changed message has not come yet is on screen only.
            current.text = self.query_one("#discussion", TextArea).text
        table = self.query_one("#items", NavTable)
        keep = table.selected_key() or self.item_key
        table.clear()
        agenda = self.book.agenda(self.meeting_key)
        self._items = {n.item.key: n for n in agenda}
        for numbered in agenda:
            table.add_row(
                str(numbered.number),
                literal_text(clip(numbered.item.title, 40)),
                key=numbered.item.key,
            )
            self._take_stored(numbered.record)
        table.select_key(keep)
        self._show_item()

    def _take_stored(self, record: Record[AgendaItem]) -> None:
        """Keep each item's draft up to date with the stored item, unless typing here is
        still unsaved (then the save merges it, or asks)."""
        draft = self.drafts.get(record.model.key)
        if draft is None:
            self.drafts[record.model.key] = Draft(
                record.doc_id, record.model, record.model.discussion
            )
            return
        if draft.saving or draft.problem is not None or draft.unsaved:
            return
        if record.model.rev != draft.base.rev:
            draft.base, draft.text = record.model, record.model.discussion
            if record.model.key == self._shown_key:
                self._load_text(draft.text)

    @property
    def current(self) -> NumberedItem | None:
        return self._items.get(self.item_key) if self.item_key else None

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "items":
            key = self.query_one("#items", NavTable).selected_key()
            if key != self.item_key:
                self.item_key = key
                self._show_item()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "items":
            self.action_write()

    def _load_text(self, text: str, *, keep_cursor: bool = True) -> None:
        area = self.query_one("#discussion", TextArea)
        if area.text == text:
            return
        row, column = area.cursor_location
        with area.prevent(TextArea.Changed):
            area.load_text(text)
        lines = text.split("\n")
        if keep_cursor:
            row = min(row, len(lines) - 1)
            area.cursor_location = (row, min(column, len(lines[row])))
        else:
            # A new item: the cursor at the end, to type on.
            area.cursor_location = (len(lines) - 1, len(lines[-1]))

    def _show_item(self) -> None:
        numbered = self.current
        title = self.query_one("#item-title", Label)
        area = self.query_one("#discussion", TextArea)
        if numbered is None:
            title.update("The agenda is empty: add items on the meeting's agenda (n).")
            area.disabled = True
            self._fill_records()
            self._show_state()
            return
        area.disabled = False
        title.update(literal(f"{numbered.number}. {numbered.item.title}"))
        if self._shown_key != numbered.item.key:
            self._shown_key = numbered.item.key
            self._load_text(self.drafts[numbered.item.key].text, keep_cursor=False)
        self._fill_records()
        self._show_state()

    def _fill_records(self) -> None:
        table = self.query_one("#records", NavTable)
        keep = table.selected_key()
        table.clear()
        self._decisions, self._actions = {}, {}
        numbered = self.current
        if numbered is None or self.book is None:
            return
        for number, decision in enumerate(self.book.decisions(numbered.item.key), start=1):
            key = f"d:{decision.model.key}"
            self._decisions[key] = decision
            table.add_row(f"D{number}", literal_text(decision.model.text), "", "", "", key=key)
        as_at = self.psr.as_at
        views = [
            v
            for v in self.book.action_views(self.meeting_key)
            if v.item.item.key == numbered.item.key
        ]
        for view in views:
            key = f"a:{view.action.key}"
            self._actions[key] = view.record
            action = view.action
            table.add_row(
                f"A{view.number}",
                literal_text(action.description),
                format_date(action.due) or "—",
                meeting_actions.status_cell(action, view.overdue_on(as_at)),
                literal_text(action.owner or "—"),
                key=key,
            )
        table.select_key(keep)

    def _show_state(self) -> None:
        state = self.query_one("#save-state", Static)
        numbered = self.current
        state.set_classes("")
        if numbered is None:
            state.update("")
            return
        draft = self.drafts[numbered.item.key]
        if draft.problem is not None:
            text = f"{draft.problem} (your text is kept: type on to try again)"
            state.add_class("-error")
        elif draft.saving or draft.unsaved:
            text = "Saving…"
            state.add_class("-saving")
        elif draft.saved_at is not None:
            text = f"Saved {draft.saved_at:%H:%M:%S}"
            state.add_class("-saved")
        else:
            text = "enter to type the discussion; it saves as you type · D decision · A action"
        state.update(literal(text))

    # --- typing ------------------------------------------------------------------------------

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        numbered = self._items.get(self._shown_key or "")
        if numbered is None:
            return
        draft = self.drafts[numbered.item.key]
        draft.text = event.text_area.text
        # Typing again after a refusal tries again.
        draft.problem = None
        self._save(numbered.number, draft)

    def _save(self, number: int, draft: Draft) -> None:
        if draft.saving or draft.problem is not None:
            self._show_state()
            return
        if not draft.unsaved:
            self._show_state()
            return
        draft.saving = True
        base, text = draft.base, draft.text

        def landed(saved: AgendaItem) -> None:
            draft.saving = False
            draft.base = saved
            draft.saved_at = datetime.now()
            # What was typed while this save was on its way goes next.
            self._save(number, draft)

        def failed(error: StoreError) -> None:
            draft.saving = False
            draft.problem = f"Not saved: {error}"
            self._show_state()

        def dropped() -> None:
            # The user chose theirs: the text typed here goes, and the stored item (as
            # read now, and again once the reload lands) is shown.
            draft.saving = False
            draft.text = draft.base.discussion
            draft.base = draft.base.model_copy(update={"rev": -1})
            if self._shown_key == draft.base.key:
                self._load_text(draft.text)
            self.refresh_data()

        self.save_change(
            lambda tx, overwrite: changes.set_discussion(
                tx, draft.doc_id, base, text, overwrite=overwrite
            ),
            f"your minutes of item {number}",
            done=landed,
            failed=failed,
            reloaded=dropped,
        )
        self._show_state()

    # --- keys ----------------------------------------------------------------------------

    def action_write(self) -> None:
        if self.current is not None:
            self.query_one("#discussion", TextArea).focus()

    def action_leave(self) -> None:
        area = self.query_one("#discussion", TextArea)
        if area.has_focus:
            self.query_one("#items", NavTable).focus()
            return
        waiting = [d for d in self.drafts.values() if d.saving or d.problem or d.unsaved]
        if waiting:
            self.notify(
                "The minutes are still being saved: a moment"
                if all(d.problem is None for d in waiting)
                else "Some minutes are not saved: type on in them to try again",
                severity="warning",
            )
            return
        self.dismiss()

    def _item_or_say(self) -> NumberedItem | None:
        numbered = self.current
        if numbered is None:
            self.notify("The agenda is empty: add an item first.", severity="warning")
        return numbered

    def action_decision(self) -> None:
        numbered = self._item_or_say()
        if numbered is not None:
            self._decision_form(decision_form(), numbered, None)

    def _decision_form(
        self, form: EditDialog, numbered: NumberedItem, record: Record[Decision] | None
    ) -> None:
        def chosen(values: Values | None) -> None:
            if values is None:
                return
            text = values["text"]

            def refused(error: StoreError) -> None:
                self._decision_form(form.refill(values, f"Not saved: {error}"), numbered, record)

            if record is None:
                self.save_change(
                    lambda tx, _overwrite: changes.add_decision(tx, numbered.item.key, text),
                    f"a decision of item {numbered.number}",
                    done=lambda added: self._show_record(
                        f"d:{added.model.key}", "Decision recorded"
                    ),
                    failed=refused,
                )
            else:
                self.save_change(
                    lambda tx, overwrite: changes.edit_decision(
                        tx, record.doc_id, record.model, text, overwrite=overwrite
                    ),
                    f"edited a decision of item {numbered.number}",
                    done=lambda _: self.notify("Decision saved"),
                    failed=refused,
                )

        self.app.push_screen(form, chosen)

    def action_action(self) -> None:
        numbered = self._item_or_say()
        if numbered is None:
            return

        def open_form(form: EditDialog) -> None:
            def chosen(values: Values | None) -> None:
                if values is None:
                    return
                self.save_change(
                    lambda tx, _overwrite: changes.add_action(tx, numbered.item.key, values),
                    f"an action of item {numbered.number}",
                    done=lambda added: self._show_record(
                        f"a:{added.model.key}",
                        f"Action recorded: {clip(added.model.description, 50)}",
                    ),
                    failed=lambda error: open_form(form.refill(values, f"Not saved: {error}")),
                )

            self.app.push_screen(form, chosen)

        open_form(action_form(None))

    def _show_record(self, key: str, message: str) -> None:
        # Highlighted for e, c and x; the focus stays where it was (the agenda, to move on).
        self.query_one("#records", NavTable).select_key(key)
        self.notify(message)

    def _current_record(self) -> str | None:
        key = self.query_one("#records", NavTable).selected_key()
        if key is None:
            self.notify(
                "No decision or action is highlighted: D or A records one.", severity="warning"
            )
        return key

    def action_edit(self) -> None:
        key, numbered = self._current_record(), self.current
        if key is None or numbered is None:
            return
        if key in self._decisions:
            decision = self._decisions[key]
            self._decision_form(decision_form(decision.model.text), numbered, decision)
        elif key in self._actions:
            meeting_actions.edit_action(self, self._actions[key])

    def action_close_action(self) -> None:
        key = self._current_record()
        if key in self._actions:
            meeting_actions.close_action(self, self._actions[key])
        elif key is not None:
            self.notify("A decision is not closed: highlight an action.", severity="warning")

    def action_delete(self) -> None:
        key = self._current_record()
        if key in self._actions:
            meeting_actions.delete_action(self, self._actions[key])
        if key not in self._decisions:
            return
        decision = self._decisions[key]

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.save_change(
                    lambda tx, overwrite: changes.delete_decision(
                        tx, decision.doc_id, decision.model, overwrite=overwrite
                    ),
                    "deleted a decision",
                    done=lambda _: self.notify("Decision deleted"),
                )

        self.app.push_screen(
            ConfirmDialog(f"Delete the decision {clip(decision.model.text, 80)!r}?", "Delete"),
            confirmed,
        )
