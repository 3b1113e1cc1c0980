"""What every meeting screen does with an action: show it in a table row, close it (done or
dropped, with a note), reopen, edit or delete it. The action log, the matters arising of a
meeting and the minutes of an item all list actions and act on them the same way."""

from __future__ import annotations

from datetime import date

from textual.content import Content

from psr_tui.analysis.meetings import ActionView, CarriedAction
from psr_tui.changes import meetings as changes
from psr_tui.dialogs.confirm import ConfirmDialog
from psr_tui.dialogs.meeting_forms import action_form, close_action_form
from psr_tui.dialogs.programme_forms import EditDialog, Values
from psr_tui.formatting import clip, format_date
from psr_tui.models import MeetingAction, MeetingActionStatus
from psr_tui.screens.base import SectionScreen
from psr_tui.store import Record, StoreError
from psr_tui.widgets.nav_table import NavTable
from psr_tui.widgets.text import literal, literal_text

# Status and due first: at 80 columns the description is what is cut (the detail has it).
ACTION_COLUMNS = (("Set at", 15), ("Due", 11), ("Status", 8), ("Owner", 16), ("Action", 44))


def action_number(view: ActionView) -> str:
    """ "19 Jan 2016 4.2": the meeting, the item and the action's number in it."""
    return f"{format_date(view.meeting.date)} {view.item.number}.{view.number}"


def status_cell(action: MeetingAction, overdue: bool) -> Content:
    if overdue:
        return literal("OVERDUE", "bold $error")
    if action.status == MeetingActionStatus.OPEN:
        return literal("open", "$warning")
    return literal(action.status.value, "$text-muted")


def add_action_columns(table: NavTable, *, carried: bool = False) -> None:
    """The action columns; `carried` adds how many meetings each has come to, after Status."""
    for label, width in ACTION_COLUMNS:
        table.add_column(label, width=width)
        if carried and label == "Status":
            table.add_column("Carried", width=7)


def action_row(view: ActionView, as_at: date, carried: CarriedAction | None = None) -> list[object]:
    """The cells of an action's row; `carried` adds how many meetings it has come to."""
    action = view.action
    overdue = carried.overdue if carried else view.overdue_on(as_at)
    cells: list[object] = [
        action_number(view),
        format_date(action.due) or "—",
        status_cell(action, overdue),
    ]
    if carried is not None:
        cells.append(f"{carried.carried}")
    cells += [literal_text(action.owner or "—"), literal_text(clip(action.description, 80))]
    return cells


def action_detail(view: ActionView, as_at: date) -> str:
    action = view.action
    lines = [
        f"Action {view.item.number}.{view.number} of {view.meeting.body} "
        f"{format_date(view.meeting.date)}, item: {view.item.item.title}",
        action.description,
        "  ".join(
            part
            for part in (
                f"Owner: {action.owner}" if action.owner else "No owner",
                f"Due: {format_date(action.due)}" if action.due else "No due date",
                f"Status: {action.status.value}" + (" (overdue)" if view.overdue_on(as_at) else ""),
                f"Closed {format_date(action.closed)}" if action.closed else "",
            )
            if part
        ),
    ]
    if action.note:
        lines.append(f"Note: {action.note}")
    return "\n".join(lines)


def _refill(form: EditDialog, values: Values, error: StoreError) -> EditDialog:
    return form.refill(values, f"Not saved: {error}")


def edit_action(screen: SectionScreen, record: Record[MeetingAction]) -> None:
    """The action's form; Save merges what was changed onto the latest action."""

    def open_form(form: EditDialog) -> None:
        def chosen(values: Values | None) -> None:
            if values is None:
                return
            screen.save_change(
                lambda tx, overwrite: changes.edit_action(
                    tx, record.doc_id, record.model, values, overwrite=overwrite
                ),
                f"edited the action {clip(record.model.description, 40)!r}",
                done=lambda saved: screen.notify(f"Saved the action: {saved.description}"),
                failed=lambda error: open_form(_refill(form, values, error)),
            )

        screen.app.push_screen(form, chosen)

    open_form(action_form(record.model))


def close_action(screen: SectionScreen, record: Record[MeetingAction]) -> None:
    """Close an open action as done or dropped, with its note and day."""
    action = record.model
    if action.status != MeetingActionStatus.OPEN:
        screen.notify(
            f"The action is already {action.status.value}: o reopens it.", severity="warning"
        )
        return

    def open_form(form: EditDialog) -> None:
        def chosen(values: Values | None) -> None:
            if values is None:
                return
            status = MeetingActionStatus(values["status"])
            screen.save_change(
                lambda tx, overwrite: changes.close_action(
                    tx,
                    record.doc_id,
                    action,
                    status,
                    values["note"],
                    values["closed"],
                    overwrite=overwrite,
                ),
                f"closed the action {clip(action.description, 40)!r}",
                done=lambda saved: screen.notify(
                    f"Action {saved.status.value}: {clip(saved.description, 50)}"
                ),
                failed=lambda error: open_form(_refill(form, values, error)),
            )

        screen.app.push_screen(form, chosen)

    open_form(close_action_form(action, screen.psr.as_at))


def reopen_action(screen: SectionScreen, record: Record[MeetingAction]) -> None:
    action = record.model
    if action.status == MeetingActionStatus.OPEN:
        screen.notify("The action is open already.", severity="warning")
        return
    screen.save_change(
        lambda tx, overwrite: changes.reopen_action(tx, record.doc_id, action, overwrite=overwrite),
        f"reopened the action {clip(action.description, 40)!r}",
        done=lambda saved: screen.notify(f"Action open again: {clip(saved.description, 50)}"),
    )


def delete_action(screen: SectionScreen, record: Record[MeetingAction]) -> None:
    action = record.model

    def confirmed(yes: bool | None) -> None:
        if yes:
            screen.save_change(
                lambda tx, overwrite: changes.delete_action(
                    tx, record.doc_id, action, overwrite=overwrite
                ),
                f"deleted the action {clip(action.description, 40)!r}",
                done=lambda _: screen.notify(f"Deleted the action {clip(action.description, 50)}"),
            )

    screen.app.push_screen(
        ConfirmDialog(f"Delete the action {clip(action.description, 80)!r}?", "Delete"),
        confirmed,
    )
