"""The Programme section: phase board, tree of themes, and progress with the timeline.

Every change is a named change of `psr_tui.changes.programme`, saved through
`save_change`: what this session changed is merged onto the latest record, and only a field
another session changed too is a conflict, shown with both values before anything is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import ContentSwitcher, Label, Static

from psr_tui import analysis
from psr_tui.changes import programme
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
from psr_tui.screens.base import Change, SectionScreen
from psr_tui.store import Record, StoreError, Transaction
from psr_tui.widgets.phase_board import STATUS_GLYPHS, BoardRow, PhaseBoard
from psr_tui.widgets.programme_tree import NodeKind, NodeRef, ProgrammeTree, grouped, theme_group
from psr_tui.widgets.progress_view import PhaseTable, ProgressView
from psr_tui.widgets.text import literal
from psr_tui.widgets.timeline import month_span

VIEWS = ("board", "tree", "progress")
STATUS_KEYS = list(ActivityStatus)  # 1..5 in this order
MAX_WEEKS = 52
# A change made from a form: the transaction, the form's values, and whether to overwrite.
FormChange = Callable[[Transaction, Values, bool], Any]


def _status_binding(number: int, status: ActivityStatus) -> Binding:
    return Binding(
        str(number),
        f"set_status({number})",
        status.value.capitalize(),
        tooltip=f"Mark the activity (or deliverable) under the cursor {status.value}",
        id=f"programme.status_{number}",
    )


class ProgrammeScreen(SectionScreen):
    LOOKING_BACK = "status as today"
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
        # Every view shows what the filter lets through: the tree drops the themes with
        # nothing shown, as the board does, and the progress counts only what is shown.
        shown_themes = {row.theme for row in rows}
        themes_shown = [t for t in themes if t.model.name in shown_themes]
        self.query_one(ProgrammeTree).show(themes_shown, shown, self.psr.as_at)
        self._show_progress()

    def _show_progress(self) -> None:
        shown = [a.model for a in self.activities if self._matches(a.model)]
        themes = self.themes
        if self.lead_filter or self.status_filter:
            names = {a.theme for a in shown}
            themes = [t for t in themes if t.model.name in names]
        self.query_one(ProgressView).show(
            self.phases, themes, shown, self.psr.as_at, self.weeks, self._filter_words()
        )

    def _filter_words(self) -> str:
        """What the filter keeps, for a title: 'lead PMO, status slipped' ('' for all)."""
        parts = [f"lead {self.lead_filter}" if self.lead_filter else ""]
        parts.append(f"status {self.status_filter}" if self.status_filter else "")
        return ", ".join(p for p in parts if p)

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
        return analysis.outside_phase_warning(activity, [p.model for p in self.phases])

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

    def _edit_and_save(
        self,
        form: Callable[[], EditDialog],
        change: FormChange,
        what: str,
        done: Callable[[Any, Values], None],
        values: Values | None = None,
        problem: str = "",
    ) -> None:
        """Open the form; Save runs the change. When the store refuses it, the form opens
        again holding what was typed and saying why, so nothing typed is lost."""
        dialog = form() if values is None else form().refill(values, problem)

        def chosen(result: Values | None) -> None:
            if result is None:
                return

            def refused(error: StoreError) -> None:
                self._edit_and_save(form, change, what, done, result, f"Not saved: {error}")

            self.save_change(
                lambda tx, overwrite: change(tx, result, overwrite),
                what,
                done=lambda saved: done(saved, result),
                failed=refused,
            )

        self.app.push_screen(dialog, chosen)

    def _report(self, message: str, saved: programme.Saved[Any]) -> None:
        """Say what was saved, with any warning the change returned."""
        if saved.warnings:
            self.notify(
                f"{message}; {'; '.join(saved.warnings)} (marked ! on the board).",
                title="Saved, but check the dates",
                severity="warning",
                timeout=10,
            )
        else:
            self.notify(message)

    def _confirm(
        self,
        question: str,
        change: Change[Any],
        what: str,
        message: Callable[[Any], str],
    ) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                self.save_change(change, what, done=lambda result: self.notify(message(result)))

        self.app.push_screen(ConfirmDialog(question, "Delete"), answered)

    # --- status ------------------------------------------------------------------------

    def action_set_status(self, number: int) -> None:
        status = STATUS_KEYS[number - 1]
        node = self._node()
        if node is not None and node.kind == "deliverable":
            found = self._item(node)
            if found is None:
                return
            _theme, item = found
            assert isinstance(item, Deliverable)
            self.save_change(
                lambda tx, overwrite: programme.set_deliverable_status(
                    tx, node.theme_id, node.index, item, status, overwrite=overwrite
                ),
                f"{item.text} {status.value}",
                done=lambda _: self.notify(f"{item.text}: {status.value}"),
            )
            return
        record = self._current_activity()
        if record is None:
            self.notify("Move to an activity first: status keys act on activities.")
            return
        title = record.model.title
        self.save_change(
            lambda tx, overwrite: programme.set_activity_status(
                tx, record.doc_id, record.model, status, overwrite=overwrite
            ),
            f"{title} {status.value}",
            done=lambda saved: self._report(f"{title}: {status.value}", saved),
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
        title = record.model.title
        self._confirm(
            f"Delete the activity {title!r}?",
            lambda tx, overwrite: programme.delete_activity(
                tx, record.doc_id, record.model, overwrite=overwrite
            ),
            f"deleted activity {title!r}",
            lambda _: f"Deleted {title}",
        )

    # --- activities ----------------------------------------------------------------------

    def _edit_activity(self, record: Record[Activity] | None, values: Values | None = None) -> None:
        if values is None:
            assert record is not None
            values = record.model.model_dump(
                include={"title", "theme", "phase", "lead", "due", "status", "note"}
            )
        title = f"Edit activity: {record.model.title}" if record else "New activity"
        themes = [t.model.name for t in self.themes]
        phases = [p.model.name for p in self.phases]
        shown = values

        def form() -> EditDialog:
            return activity_form(title, shown, themes, phases)

        def saved(result: programme.Saved[Activity], _values: Values) -> None:
            self._report(f"Saved {result.record.model.title!r}", result)
            if record is None:
                self._show_new_activity(result.record)

        if record is None:
            self._edit_and_save(
                form, lambda tx, v, _overwrite: programme.add_activity(tx, v), "new activity", saved
            )
        else:
            base = record.model
            self._edit_and_save(
                form,
                lambda tx, v, overwrite: programme.edit_activity(
                    tx, record.doc_id, base, v, overwrite=overwrite
                ),
                f"edited activity {base.title!r}",
                saved,
            )

    def _show_new_activity(self, record: Record[Activity]) -> None:
        """Put the cursor on a new activity, so that e or a status key acts on it."""
        self.query_one(PhaseBoard).select_activity(record.doc_id)
        theme = next((t for t in self.themes if t.model.name == record.model.theme), None)
        if theme is not None:
            self.query_one(ProgrammeTree).select(
                NodeRef("activity", theme.doc_id, activity_id=record.doc_id)
            )

    # --- phases --------------------------------------------------------------------------

    def _edit_phase(self, doc_id: int | None, *, new: bool = False) -> None:
        record: Record[Phase] | None = None
        if not new:
            record = self._get("phases", doc_id) if doc_id is not None else None
            if record is None:
                self.notify("No phase here: n adds one.")
                return
        as_at = self.psr.as_at

        def form() -> EditDialog:
            return phase_form(record.model if record else None, as_at)

        def saved(result: programme.Saved[Phase], _values: Values) -> None:
            self._report(f"Saved {result.record.model.name}", result)
            self.query_one(PhaseTable).select_key(str(result.record.doc_id))

        if record is None:
            self._edit_and_save(
                form, lambda tx, v, _overwrite: programme.add_phase(tx, v), "new phase", saved
            )
        else:
            base = record.model
            self._edit_and_save(
                form,
                lambda tx, v, overwrite: programme.edit_phase(
                    tx, record.doc_id, base, v, overwrite=overwrite
                ),
                f"edited {base.name}",
                saved,
            )

    def _delete_phase(self, doc_id: int | None) -> None:
        record: Record[Phase] | None = self._get("phases", doc_id) if doc_id is not None else None
        if record is None:
            self.notify("No phase here to delete.")
            return
        name = record.model.name
        try:
            programme.check_phase_empty(self.psr.snapshot, name)
        except StoreError as exc:
            self.notify(str(exc), severity="error")
            return
        self._confirm(
            f"Delete the phase {name}?",
            lambda tx, overwrite: programme.delete_phase(
                tx, record.doc_id, record.model, overwrite=overwrite
            ),
            f"deleted {name}",
            lambda _: f"Deleted {name}",
        )

    # --- themes and their lists ------------------------------------------------------------

    def _item(self, node: NodeRef) -> tuple[Theme, programme.Item] | None:
        """The theme and the workstream, objective or deliverable a node stands for."""
        record: Record[Theme] | None = self._get("themes", node.theme_id)
        if record is None:
            return None
        items: list[programme.Item] = list(getattr(record.model, f"{node.kind}s"))
        if not 0 <= node.index < len(items):
            return None
        return record.model, items[node.index]

    def _edit_node(self, node: NodeRef) -> None:
        if node.kind == "group":
            self.notify("A group heading: e edits the theme, workstream or item under it.")
            return
        record: Record[Theme] | None = self._get("themes", node.theme_id)
        if record is None:
            return
        theme, tid, at = record.model, node.theme_id, node.index
        if node.kind in ("theme", "workstreams", "objectives", "deliverables", "activities"):
            self._edit_and_save(
                lambda: theme_form(theme.name, theme.lead, theme.kind),
                lambda tx, v, overwrite: programme.edit_theme(
                    tx, tid, theme, v, overwrite=overwrite
                ),
                f"edited {theme.name}",
                lambda saved, _v: self.notify(f"Saved {saved.record.model.name}"),
            )
            return
        found = self._item(node)
        if found is None:
            return
        item = found[1]
        what = f"edited the {node.kind} {programme.item_label(item)!r} of {theme.name}"

        def saved(_saved: programme.Saved[Theme], values: Values) -> None:
            self.notify(f"Saved {values.get('name') or values.get('text')}")

        if isinstance(item, Workstream):
            ws = item
            self._edit_and_save(
                lambda: workstream_form(theme.name, ws.name, ws.lead, ws.funded),
                lambda tx, v, overwrite: programme.edit_workstream(
                    tx, tid, at, ws, v, overwrite=overwrite
                ),
                what,
                saved,
            )
        elif isinstance(item, Deliverable):
            deliverable = item
            self._edit_and_save(
                lambda: deliverable_form(theme.name, deliverable.text, deliverable.status.value),
                lambda tx, v, overwrite: programme.edit_deliverable(
                    tx, tid, at, deliverable, v, overwrite=overwrite
                ),
                what,
                saved,
            )
        else:
            objective = item
            self._edit_and_save(
                lambda: objective_form(theme.name, objective),
                lambda tx, v, overwrite: programme.edit_objective(
                    tx, tid, at, objective, v["text"], overwrite=overwrite
                ),
                what,
                saved,
            )

    def _new_in(self, node: NodeRef) -> None:
        tree = self.query_one(ProgrammeTree)
        if node.kind in ("group", "theme"):
            kind = "delivery"
            if node.kind == "theme":
                found = self._get("themes", node.theme_id)
                kind = found.model.kind if found else kind

            def added(saved: programme.Saved[Theme], _values: Values) -> None:
                self.notify(f"Added theme {saved.record.model.name}")
                tree.select(NodeRef("theme", saved.record.doc_id))

            self._edit_and_save(
                lambda: theme_form("", "", kind, new=True),
                lambda tx, v, _overwrite: programme.add_theme(tx, v),
                "new theme",
                added,
            )
            return
        record: Record[Theme] | None = self._get("themes", node.theme_id)
        if record is None:
            return
        name, tid = record.model.name, node.theme_id
        field = _LIST_OF.get(node.kind)
        if field is None:
            return
        kind = _ITEM_NODE[field]

        def appended(saved: programme.Saved[Theme], values: Values) -> None:
            self.notify(f"Added {values.get('name') or values.get('text')} to {name}")
            last = len(getattr(saved.record.model, field)) - 1
            tree.select(NodeRef(kind, tid, last))

        if field == "workstreams":
            self._edit_and_save(
                lambda: workstream_form(name),
                lambda tx, v, _overwrite: programme.add_workstream(tx, tid, v),
                f"new workstream of {name}",
                appended,
            )
        elif field == "objectives":
            self._edit_and_save(
                lambda: objective_form(name),
                lambda tx, v, _overwrite: programme.add_objective(tx, tid, v["text"]),
                f"new objective of {name}",
                appended,
            )
        else:
            self._edit_and_save(
                lambda: deliverable_form(name),
                lambda tx, v, _overwrite: programme.add_deliverable(tx, tid, v),
                f"new deliverable of {name}",
                appended,
            )

    def _delete_node(self, node: NodeRef) -> None:
        record: Record[Theme] | None = self._get("themes", node.theme_id) if node.theme_id else None
        if record is None:
            self.notify("Move to a theme or an item to delete it.")
            return
        theme, tid, at = record.model, node.theme_id, node.index
        if node.kind in ("workstream", "objective", "deliverable"):
            found = self._item(node)
            if found is None:
                return
            item = found[1]
            label = programme.item_label(item)
            delete = _DELETE_ITEM[node.kind]
            self._confirm(
                f"Delete the {node.kind} {label!r} of {theme.name}?",
                lambda tx, overwrite: delete(tx, tid, at, item, overwrite=overwrite),
                f"deleted the {node.kind} {label!r} of {theme.name}",
                lambda _: f"Deleted {label}",
            )
            return
        own = [a.doc_id for a in programme.theme_activities(self.psr.snapshot, theme.name)]
        goes = (
            f"its {len(own)} {'activity is' if len(own) == 1 else 'activities are'} deleted with it"
            if own
            else "it has no activities"
        )
        self._confirm(
            f"Delete the theme {theme.name!r}? {goes[0].upper()}{goes[1:]}.",
            lambda tx, overwrite: programme.delete_theme(tx, tid, theme, own, overwrite=overwrite),
            f"deleted the theme {theme.name!r}",
            lambda count: (
                f"Deleted {theme.name} and its {count} activities"
                if count
                else f"Deleted {theme.name}"
            ),
        )

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


# Which list a tree node's "n" adds to.
_LIST_OF: dict[str, programme.ListField] = {
    "workstreams": "workstreams",
    "workstream": "workstreams",
    "objectives": "objectives",
    "objective": "objectives",
    "deliverables": "deliverables",
    "deliverable": "deliverables",
}
_ITEM_NODE: dict[programme.ListField, NodeKind] = {
    "workstreams": "workstream",
    "objectives": "objective",
    "deliverables": "deliverable",
}
_DELETE_ITEM: dict[str, Callable[..., programme.Saved[Theme]]] = {
    "workstream": programme.delete_workstream,
    "objective": programme.delete_objective,
    "deliverable": programme.delete_deliverable,
}
