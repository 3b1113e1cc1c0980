"""The Programme section: phase board, tree of themes, and progress with the timeline.

Every change is one transaction through `app.save` with the rev that was read, so a record
another session changed meanwhile is a conflict the user sees, never a silent overwrite.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import ContentSwitcher, Label, Static

from psr_tui import analysis
from psr_tui.dialogs.confirm import ConfirmDialog
from psr_tui.dialogs.pick import PickDialog
from psr_tui.dialogs.programme_forms import (
    EditDialog,
    Values,
    activity_form,
    deliverable_form,
    objective_form,
    phase_form,
    theme_form,
    workstream_form,
)
from psr_tui.formatting import format_date
from psr_tui.models import (
    Activity,
    ActivityStatus,
    Deliverable,
    Phase,
    Theme,
    Workstream,
)
from psr_tui.screens.base import SectionScreen
from psr_tui.store import ConflictError, Record, StoreError, Transaction
from psr_tui.widgets.phase_board import STATUS_GLYPHS, BoardRow, PhaseBoard
from psr_tui.widgets.programme_tree import NodeRef, ProgrammeTree, grouped, theme_group
from psr_tui.widgets.progress_view import PhaseTable, ProgressView
from psr_tui.widgets.text import literal
from psr_tui.widgets.timeline import month_span, short_dates

VIEWS = ("board", "tree", "progress")
STATUS_KEYS = list(ActivityStatus)  # 1..5 in this order
MAX_WEEKS = 52


def _status_binding(number: int, status: ActivityStatus) -> Binding:
    return Binding(
        str(number),
        f"set_status({number})",
        status.value.capitalize(),
        tooltip=f"Mark the activity (or deliverable) under the cursor {status.value}",
        id=f"programme.status_{number}",
    )


class ProgrammeScreen(SectionScreen):
    SECTION = "Programme"
    CSS_PATH = "programme.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        *(_status_binding(n, s) for n, s in enumerate(STATUS_KEYS, start=1)),
        Binding(
            "enter", "open", "Open", tooltip="Open the activity to edit it", id="programme.open"
        ),
        Binding("e", "edit", "Edit", tooltip="Edit what is under the cursor", id="programme.edit"),
        Binding("n", "new", "New", tooltip="Add an item here", id="programme.new"),
        Binding("x,delete", "delete", "Delete", tooltip="Delete it (asks)", id="programme.delete"),
        Binding(
            "f",
            "filter_lead",
            "Lead filter",
            tooltip="Show one lead's activities",
            id="programme.lead",
        ),
        Binding(
            "s", "filter_status", "Status filter", tooltip="Show one status", id="programme.status"
        ),
        Binding(
            "tab",
            "next_view",
            "Next view",
            tooltip="Board, tree, progress in turn",
            id="programme.next_view",
        ),
        Binding(
            "T",
            "view('tree')",
            "Tree",
            tooltip="Themes, workstreams, objectives, deliverables",
            id="programme.tree",
        ),
        Binding("B", "view('board')", "Board", tooltip="Themes by phases", id="programme.board"),
        Binding(
            "G",
            "view('progress')",
            "Progress",
            tooltip="Progress, timeline, due and slipped lists",
            id="programme.progress",
        ),
        Binding(
            "plus,equals_sign",
            "weeks(1)",
            "+week",
            show=False,
            tooltip="Look one week further ahead",
            id="programme.more_weeks",
        ),
        Binding(
            "minus",
            "weeks(-1)",
            "-week",
            show=False,
            tooltip="Look one week less ahead",
            id="programme.fewer_weeks",
        ),
        Binding(
            "E",
            "export",
            "Export PDF",
            tooltip="Write the programme plan as a PDF",
            id="programme.export",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.view = "board"
        self.lead_filter = ""
        self.status_filter = ""
        self.weeks = 4

    def compose_body(self) -> ComposeResult:
        yield Label("", id="filter-line")
        with ContentSwitcher(initial="board", id="views"):
            with Vertical(id="board"):
                yield PhaseBoard(id="phase-board")
                yield Static("", id="detail")
            yield ProgrammeTree(id="tree")
            yield ProgressView(id="progress")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(PhaseBoard).focus()

    # --- reading -----------------------------------------------------------------------

    @property
    def phases(self) -> list[Record[Phase]]:
        return self.psr.snapshot.phases()

    @property
    def themes(self) -> list[Record[Theme]]:
        return grouped(self.psr.snapshot.themes())

    @property
    def activities(self) -> list[Record[Activity]]:
        return self.psr.snapshot.activities()

    def _matches(self, activity: Activity) -> bool:
        return (not self.lead_filter or activity.lead == self.lead_filter) and (
            not self.status_filter or activity.status == self.status_filter
        )

    def refresh_data(self) -> None:
        phases, themes, activities = self.phases, self.themes, self.activities
        shown = [a for a in activities if self._matches(a.model)]
        filtering = bool(self.lead_filter or self.status_filter)
        rows = []
        for record in themes:
            theme = record.model
            cells = [
                [a for a in shown if a.model.theme == theme.name and a.model.phase == p.model.name]
                for p in phases
            ]
            if not filtering or any(cells):
                rows.append(BoardRow(theme.name, theme_group(theme), cells))
        phase_models = [p.model for p in phases]
        flagged = {
            a.doc_id for a in activities if analysis.due_outside_phase(a.model, phase_models)
        }
        board = self.query_one(PhaseBoard)
        board.show([(p.model.name, month_span(p.model)) for p in phases], rows, flagged)
        self._show_filter(len(shown), len(activities))
        self.query_one(ProgrammeTree).show(themes, activities, self.psr.as_at)
        self._show_progress()

    def _show_progress(self) -> None:
        self.query_one(ProgressView).show(
            self.phases,
            self.themes,
            [a.model for a in self.activities],
            self.psr.as_at,
            self.weeks,
        )

    def _show_filter(self, shown: int, total: int) -> None:
        lead = self.lead_filter or "all"
        status = self.status_filter or "all"
        text = f"Lead: {lead} · Status: {status} · {shown} of {total} activities shown"
        self.query_one("#filter-line", Label).update(literal(text))

    def on_phase_board_moved(self, event: PhaseBoard.Moved) -> None:
        self.query_one("#detail", Static).update(literal(self._describe(event.board)))

    def _describe(self, board: PhaseBoard) -> str:
        record = board.current
        if record is None:
            cell = board.current_cell
            if cell is None:
                return "No themes or phases yet: add them in the tree (T) and progress (G) views."
            return f"{cell[0]}, {cell[1]}: no activities here (n adds one)."
        activity = record.model
        parts = [
            f"{STATUS_GLYPHS[activity.status]} {activity.status.value}",
            activity.title,
            f"lead {activity.lead or '-'}",
            f"due {format_date(activity.due)}" if activity.due else "no due date",
        ]
        text = " · ".join(parts)
        if activity.note:
            text += f"\n{activity.note}"
        warning = self._outside_warning(activity)
        if warning:
            text += f"\n! {warning}"
        return text

    def _outside_warning(self, activity: Activity) -> str | None:
        phases = [p.model for p in self.phases]
        if not analysis.due_outside_phase(activity, phases):
            return None
        phase = next(p for p in phases if p.name == activity.phase)
        assert activity.due is not None
        return f"due {format_date(activity.due)} is outside {phase.name} ({short_dates(phase)})"

    # --- views -------------------------------------------------------------------------

    def action_view(self, view: str) -> None:
        self.view = view
        self.query_one(ContentSwitcher).current = view
        focus = {"board": PhaseBoard, "tree": ProgrammeTree, "progress": PhaseTable}[view]
        self.query_one(focus).focus()

    def action_next_view(self) -> None:
        self.action_view(VIEWS[(VIEWS.index(self.view) + 1) % len(VIEWS)])

    def action_weeks(self, step: int) -> None:
        self.weeks = max(1, min(MAX_WEEKS, self.weeks + step))
        self._show_progress()

    def action_export(self) -> None:
        self.psr.action_export("programme")

    # --- what is under the cursor ----------------------------------------------------------

    def _node(self) -> NodeRef | None:
        return self.query_one(ProgrammeTree).current if self.view == "tree" else None

    def _current_activity(self) -> Record[Activity] | None:
        if self.view == "board":
            return self.query_one(PhaseBoard).current
        node = self._node()
        if node is not None and node.kind == "activity":
            found: Record[Activity] | None = self._get("activities", node.activity_id)
            return found
        return None

    def _get(self, table: str, doc_id: int) -> Any:
        try:
            return self.psr.snapshot.get(table, doc_id)
        except StoreError as exc:
            self.notify(str(exc), severity="warning")
            return None

    # --- saving ------------------------------------------------------------------------

    def _save(
        self,
        change: Callable[[Transaction], Any],
        done: Callable[[Any], None] | None = None,
        failed: Callable[[StoreError], None] | None = None,
    ) -> None:
        def refused(error: StoreError) -> None:
            self.notify(f"Not saved: {error}", severity="error", timeout=10)

        # The app calls back from the event loop outside Textual's context, where a dialog
        # cannot be composed: hand each callback to this screen's own message queue.
        def later(callback: Callable[[Any], None] | None) -> Callable[[Any], None] | None:
            if callback is None:
                return None

            def queued(value: Any) -> None:
                self.call_later(callback, value)

            return queued

        self.psr.save(
            change,
            done=later(done),
            conflict=later(self._conflict),
            failed=later(failed or refused),
        )

    def _conflict(self, error: ConflictError) -> None:
        def answered(reload: bool | None) -> None:
            if reload:
                # An empty transaction reads the file afresh and redraws every screen.
                self._save(lambda tx: None, done=lambda _: self.notify("Reloaded"))

        self.app.push_screen(
            ConfirmDialog(
                f"Not saved: {error}, after you read it. Reload to see their version, "
                "then make your change again?",
                "Reload",
            ),
            answered,
        )

    # --- status ------------------------------------------------------------------------

    def action_set_status(self, number: int) -> None:
        status = STATUS_KEYS[number - 1]
        node = self._node()
        if node is not None and node.kind == "deliverable":
            self._change_theme(
                node.theme_id, lambda t: _set_deliverable(t, node.index, status=status)
            )
            return
        record = self._current_activity()
        if record is None:
            self.notify("Move to an activity first: status keys act on activities.")
            return
        updated = record.model.model_copy(update={"status": status})

        def change(tx: Transaction) -> None:
            tx.update("activities", record.doc_id, updated, expected_rev=record.model.rev)

        self._save(
            change,
            done=lambda _: self.notify(f"{record.model.title}: {status.value}"),
        )

    # --- open, edit, new, delete ---------------------------------------------------------

    def action_open(self) -> None:
        if self.view == "board":
            self.action_edit()
        elif self.view == "tree":
            tree = self.query_one(ProgrammeTree)
            node = tree.cursor_node
            if node is not None and node.data and node.data.kind == "activity":
                self.action_edit()
            elif node is not None:
                node.toggle()
        else:
            self.action_edit()

    def action_edit(self) -> None:
        if self.view == "progress":
            self._edit_phase(self.query_one(ProgressView).phase_id)
            return
        node = self._node()
        if node is not None and node.kind != "activity":
            self._edit_node(node)
            return
        record = self._current_activity()
        if record is None:
            self.notify("No activity here: n adds one.")
            return
        self._edit_activity(record)

    def action_new(self) -> None:
        if self.view == "progress":
            self._edit_phase(None, new=True)
            return
        node = self._node()
        if node is not None and node.kind not in ("activity", "activities"):
            self._new_in(node)
            return
        theme, phase = "", ""
        if self.view == "board":
            theme, phase = self.query_one(PhaseBoard).current_cell or ("", "")
        elif node is not None:
            found = self._get("themes", node.theme_id)
            theme = found.model.name if found else ""
        if not self.phases or not self.themes:
            self.notify("Add a phase (G, then n) and a theme (T, then n) first.")
            return
        current = analysis.current_phase([p.model for p in self.phases], self.psr.as_at)
        self._edit_activity(
            None, {"theme": theme, "phase": phase or (current.name if current else "")}
        )

    def action_delete(self) -> None:
        if self.view == "progress":
            self._delete_phase(self.query_one(ProgressView).phase_id)
            return
        node = self._node()
        if node is not None and node.kind != "activity":
            self._delete_node(node)
            return
        record = self._current_activity()
        if record is None:
            self.notify("No activity here to delete.")
            return
        self._confirm(
            f"Delete the activity {record.model.title!r}?",
            lambda tx: tx.delete("activities", record.doc_id, expected_rev=record.model.rev),
            f"Deleted {record.model.title}",
        )

    def _confirm(self, question: str, change: Callable[[Transaction], Any], message: str) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                self._save(change, done=lambda _: self.notify(message))

        self.app.push_screen(ConfirmDialog(question, "Delete"), answered)

    # --- activities ----------------------------------------------------------------------

    def _edit_activity(
        self, record: Record[Activity] | None, values: Values | None = None, problem: str = ""
    ) -> None:
        if values is None:
            assert record is not None
            values = record.model.model_dump(
                include={"title", "theme", "phase", "lead", "due", "status", "note"}
            )
        title = f"Edit activity: {record.model.title}" if record else "New activity"
        dialog = activity_form(
            title,
            values,
            [t.model.name for t in self.themes],
            [p.model.name for p in self.phases],
        )
        dialog.problem = problem

        def chosen(result: Values | None) -> None:
            if result is not None:
                self._save_activity(record, result)

        self.app.push_screen(dialog, chosen)

    def _save_activity(self, record: Record[Activity] | None, values: Values) -> None:
        def change(tx: Transaction) -> Activity:
            if record is None:
                model = Activity.model_validate(values)
                tx.insert("activities", model)
                return model
            model = record.model.model_copy(update=values)
            return tx.update("activities", record.doc_id, model, expected_rev=record.model.rev)

        def done(saved: Activity) -> None:
            warning = self._outside_warning(saved)
            if warning:
                self.notify(
                    f"Saved {saved.title!r}, but its {warning}.",
                    title="Due date outside its phase",
                    severity="warning",
                    timeout=10,
                )
            else:
                self.notify(f"Saved {saved.title!r}")

        def failed(error: StoreError) -> None:
            # Back to the form with what was typed, so nothing is lost.
            self._edit_activity(record, values, f"Not saved: {error}")

        self._save(change, done=done, failed=failed)

    # --- phases --------------------------------------------------------------------------

    def _edit_phase(self, doc_id: int | None, *, new: bool = False) -> None:
        record: Record[Phase] | None = None
        if not new:
            record = self._get("phases", doc_id) if doc_id is not None else None
            if record is None:
                self.notify("No phase here: n adds one.")
                return
        taken = [p.model.name for p in self.phases]
        dialog = phase_form(record.model if record else None, taken, self.psr.as_at)

        def chosen(values: Values | None) -> None:
            if values is not None:
                self._save_phase(record, values)

        self.app.push_screen(dialog, chosen)

    def _save_phase(self, record: Record[Phase] | None, values: Values) -> None:
        def change(tx: Transaction) -> Phase:
            if record is None:
                model = Phase.model_validate(values)
                tx.insert("phases", model)
                return model
            old = record.model.name
            model = record.model.model_copy(update=values)
            saved = tx.update("phases", record.doc_id, model, expected_rev=record.model.rev)
            if saved.name != old:
                for activity in tx.activities():
                    if activity.model.phase == old:
                        moved = activity.model.model_copy(update={"phase": saved.name})
                        tx.update("activities", activity.doc_id, moved)
            return saved

        def done(phase: Phase) -> None:
            outside = [
                a
                for a in self.activities
                if a.model.phase == phase.name and analysis.due_outside_phase(a.model, [phase])
            ]
            if outside:
                self.notify(
                    f"Saved {phase.name}; {len(outside)} of its activities are now due "
                    "outside its dates (marked ! on the board).",
                    severity="warning",
                    timeout=10,
                )
            else:
                self.notify(f"Saved {phase.name}")

        self._save(change, done=done)

    def _delete_phase(self, doc_id: int | None) -> None:
        record: Record[Phase] | None = self._get("phases", doc_id) if doc_id is not None else None
        if record is None:
            self.notify("No phase here to delete.")
            return
        name = record.model.name
        used = sum(1 for a in self.activities if a.model.phase == name)
        if used:
            self.notify(
                f"{name} has {used} activities: move or delete them before the phase.",
                severity="error",
            )
            return
        self._confirm(
            f"Delete the phase {name}?",
            lambda tx: tx.delete("phases", record.doc_id, expected_rev=record.model.rev),
            f"Deleted {name}",
        )

    # --- themes and their lists ------------------------------------------------------------

    def _change_theme(
        self, theme_id: int, change: Callable[[Theme], Theme], message: str = ""
    ) -> None:
        record: Record[Theme] | None = self._get("themes", theme_id)
        if record is None:
            return
        updated = change(record.model)

        def apply(tx: Transaction) -> None:
            old = record.model.name
            tx.update("themes", theme_id, updated, expected_rev=record.model.rev)
            if updated.name != old:
                for activity in tx.activities():
                    if activity.model.theme == old:
                        moved = activity.model.model_copy(update={"theme": updated.name})
                        tx.update("activities", activity.doc_id, moved)

        self._save(apply, done=lambda _: self.notify(message or f"Saved {updated.name}"))

    def _edit_node(self, node: NodeRef) -> None:
        if node.kind == "group":
            self.notify("A group heading: e edits the theme, workstream or item under it.")
            return
        record: Record[Theme] | None = self._get("themes", node.theme_id)
        if record is None:
            return
        theme, tid = record.model, node.theme_id
        if node.kind in ("theme", "workstreams", "objectives", "deliverables", "activities"):
            taken = [t.model.name for t in self.themes]
            self._ask(
                theme_form(theme.name, theme.lead, theme.kind, taken),
                lambda v: self._change_theme(tid, lambda t: t.model_copy(update=v)),
            )
        elif node.kind == "workstream":
            ws = theme.workstreams[node.index]
            self._ask(
                workstream_form(theme.name, ws.name, ws.lead, ws.funded),
                lambda v: self._change_theme(
                    tid, lambda t: _replace(t, "workstreams", node.index, Workstream(**v))
                ),
            )
        elif node.kind == "objective":
            self._ask(
                objective_form(theme.name, theme.objectives[node.index]),
                lambda v: self._change_theme(
                    tid, lambda t: _replace(t, "objectives", node.index, v["text"])
                ),
            )
        elif node.kind == "deliverable":
            item = theme.deliverables[node.index]
            self._ask(
                deliverable_form(theme.name, item.text, item.status.value),
                lambda v: self._change_theme(
                    tid, lambda t: _replace(t, "deliverables", node.index, Deliverable(**v))
                ),
            )

    def _new_in(self, node: NodeRef) -> None:
        if node.kind in ("group", "theme"):
            kind = "delivery"
            if node.kind == "theme":
                found = self._get("themes", node.theme_id)
                kind = found.model.kind if found else kind
            taken = [t.model.name for t in self.themes]
            self._ask(
                theme_form("", "", kind, taken, new=True),
                lambda v: self._save(
                    lambda tx: tx.insert("themes", Theme.model_validate(v)),
                    done=lambda _: self.notify(f"Added theme {v['name']}"),
                ),
            )
            return
        found = self._get("themes", node.theme_id)
        if found is None:
            return
        name, tid = found.model.name, node.theme_id
        if node.kind in ("workstreams", "workstream"):
            self._ask(
                workstream_form(name),
                lambda v: self._change_theme(
                    tid, lambda t: _append(t, "workstreams", Workstream(**v))
                ),
            )
        elif node.kind in ("objectives", "objective"):
            self._ask(
                objective_form(name),
                lambda v: self._change_theme(tid, lambda t: _append(t, "objectives", v["text"])),
            )
        elif node.kind in ("deliverables", "deliverable"):
            self._ask(
                deliverable_form(name),
                lambda v: self._change_theme(
                    tid, lambda t: _append(t, "deliverables", Deliverable(**v))
                ),
            )

    def _delete_node(self, node: NodeRef) -> None:
        record: Record[Theme] | None = self._get("themes", node.theme_id) if node.theme_id else None
        if record is None:
            self.notify("Move to a theme or an item to delete it.")
            return
        theme, tid = record.model, node.theme_id
        if node.kind in ("workstream", "objective", "deliverable"):
            field = f"{node.kind}s"
            item = getattr(theme, field)[node.index]
            label = getattr(item, "name", None) or getattr(item, "text", item)

            def answered(yes: bool | None) -> None:
                if yes:
                    self._change_theme(
                        tid, lambda t: _remove(t, field, node.index), f"Deleted {label}"
                    )

            self.app.push_screen(
                ConfirmDialog(f"Delete the {node.kind} {label!r} of {theme.name}?", "Delete"),
                answered,
            )
            return
        own = [a for a in self.activities if a.model.theme == theme.name]

        def change(tx: Transaction) -> None:
            tx.delete("themes", tid, expected_rev=record.model.rev)
            for activity in own:
                tx.delete("activities", activity.doc_id, expected_rev=activity.model.rev)

        self._confirm(
            f"Delete the theme {theme.name!r} with its {len(own)} activities?",
            change,
            f"Deleted {theme.name}",
        )

    def _ask(self, dialog: EditDialog, then: Callable[[Values], None]) -> None:
        self.app.push_screen(dialog, lambda values: then(values) if values is not None else None)

    # --- filters -----------------------------------------------------------------------

    def action_filter_lead(self) -> None:
        leads = analysis.activity_leads(a.model for a in self.activities)

        def chosen(lead: str | None) -> None:
            if lead is not None:
                self.lead_filter = lead
                self.refresh_data()

        self.app.push_screen(
            PickDialog(
                "Show the activities of one lead",
                [("All leads", ""), *((lead, lead) for lead in leads)],
                self.lead_filter,
            ),
            chosen,
        )

    def action_filter_status(self) -> None:
        def chosen(status: str | None) -> None:
            if status is not None:
                self.status_filter = status
                self.refresh_data()

        self.app.push_screen(
            PickDialog(
                "Show the activities of one status",
                [
                    ("All statuses", ""),
                    *((f"{STATUS_GLYPHS[s]} {s.value}", s.value) for s in ActivityStatus),
                ],
                self.status_filter,
            ),
            chosen,
        )


def _replace(theme: Theme, field: str, index: int, item: Any) -> Theme:
    items = list(getattr(theme, field))
    items[index] = item
    return theme.model_copy(update={field: items})


def _append(theme: Theme, field: str, item: Any) -> Theme:
    return theme.model_copy(update={field: [*getattr(theme, field), item]})


def _remove(theme: Theme, field: str, index: int) -> Theme:
    items = list(getattr(theme, field))
    del items[index]
    return theme.model_copy(update={field: items})


def _set_deliverable(theme: Theme, index: int, **changes: Any) -> Theme:
    item = theme.deliverables[index].model_copy(update=changes)
    return _replace(theme, "deliverables", index, item)
