"""The Development section: actions for weak domains, what they achieved, and the offers.

Three tabs: the actions (add, edit, status, evidence, delete), the progress between two
rounds (each domain's change in score beside the actions that ran in between) and the
catalogue of development offers with their published figures.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import DataTable, Label, Select, Static, TabbedContent, TabPane

from psr_tui import analysis, development
from psr_tui.changes import development as changes
from psr_tui.dialogs.confirm import ConfirmDialog
from psr_tui.dialogs.development_forms import ActionForm, EvidenceForm
from psr_tui.formatting import abbreviate, format_change, format_date, format_mean
from psr_tui.models import ActionStatus, DevelopmentAction, DevelopmentOffer, Evidence, Round
from psr_tui.screens.base import SectionScreen
from psr_tui.store import Record, StoreError
from psr_tui.widgets.nav_table import NavTable
from psr_tui.widgets.text import literal, literal_text

if TYPE_CHECKING:
    from psr_tui.app import PsrApp

_NEXT_STATUS = {
    ActionStatus.PLANNED: ActionStatus.IN_PROGRESS,
    ActionStatus.IN_PROGRESS: ActionStatus.COMPLETE,
    ActionStatus.COMPLETE: ActionStatus.DROPPED,
    ActionStatus.DROPPED: ActionStatus.PLANNED,
}


# --- opening the forms (also from other sections) -----------------------------------------


def _form_for(
    app: PsrApp, title: str, action: DevelopmentAction, error: str = ""
) -> ActionForm | None:
    snap = app.snapshot
    framework = snap.framework(action.framework) or development.current_framework(snap)
    if framework is None:
        app.notify("There is no assessment framework yet: import one first.", severity="error")
        return None
    rounds = [r.model for r in snap.rounds() if r.model.framework == framework.name]
    groups = list(dict.fromkeys(g for r in rounds for g in r.groups))
    return ActionForm(
        title,
        action,
        framework=framework,
        groups=groups,
        offers=[r.model for r in development.offers(snap)],
        round_names=[r.name for r in rounds],
        today=app.as_at,
        error=error,
    )


def new_action_for_domain(app: PsrApp, domain_key: str, round_name: str | None) -> None:
    """Open the new-action form for a domain (e.g. one of a round's lowest), in Development."""
    framework = development.current_framework(app.snapshot, round_name)
    if framework is None:
        app.notify("There is no assessment framework yet: import one first.", severity="error")
        return
    # Not validated yet: the form fills in the title and checks everything on Save.
    draft = DevelopmentAction.model_construct(
        framework=framework.name, domain=domain_key, title="", from_round=round_name or ""
    )
    if app.current_mode != "development":
        app.switch_mode("development")
    app.call_later(_open_in_development, app, draft)


def _open_in_development(app: PsrApp, draft: DevelopmentAction) -> None:
    screen = app.screen
    if isinstance(screen, DevelopmentScreen):
        screen.open_action_form(draft)


# --- the screen ----------------------------------------------------------------------------


class DevelopmentScreen(SectionScreen):
    LOOKING_BACK = "actions as today"
    SECTION = "Development"
    CSS_PATH = "development.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "1",
            "tab('actions')",
            "Actions",
            tooltip="Development actions",
            id="development.actions",
        ),
        Binding(
            "2",
            "tab('progress')",
            "Progress",
            tooltip="Change in score between two rounds beside the actions",
            id="development.progress",
        ),
        Binding(
            "3", "tab('offers')", "Offers", tooltip="Development offers", id="development.offers"
        ),
        Binding("n", "new", "New action", tooltip="Add a development action", id="development.new"),
        Binding("e", "edit", "Edit", tooltip="Edit the highlighted action", id="development.edit"),
        Binding(
            "i",
            "evidence",
            "Evidence",
            tooltip="Participants, sessions and measures of the highlighted action",
            id="development.evidence",
        ),
        Binding(
            "s",
            "next_status",
            "Status",
            tooltip="Move the action on: planned, in progress, complete, dropped",
            id="development.status",
        ),
        Binding(
            "x,delete",
            "delete",
            "Delete",
            tooltip="Delete the highlighted action",
            id="development.delete",
        ),
    ]

    def compose_body(self) -> ComposeResult:
        with TabbedContent(initial="actions", id="tabs"):
            with TabPane("Actions", id="actions"):
                yield NavTable(id="actions-table")
                yield Static("", id="action-detail", classes="detail")
            with TabPane("Progress", id="progress"):
                with Horizontal(id="round-pickers"):
                    yield Label("Between", classes="picker-label")
                    yield Select([], prompt="earlier round", id="earlier")
                    yield Label("and", classes="picker-label")
                    yield Select([], prompt="later round", id="later")
                yield Static("", id="progress-note", classes="empty-state")
                yield NavTable(id="progress-table")
                yield Static("", id="progress-detail", classes="detail")
            with TabPane("Offers", id="offers"):
                yield NavTable(id="offers-table")
                yield Static("", id="offer-detail", classes="detail")

    def on_mount(self) -> None:
        # Long text is cut in the table and shown whole in the detail pane beneath it.
        actions = self.query_one("#actions-table", NavTable)
        for label, width in (("Domain", 22), ("Action", 40), ("Offer", 20), ("Owner", 16)):
            actions.add_column(label, width=width)
        actions.add_columns("Target", "Status", "Evidence")
        offers = self.query_one("#offers-table", NavTable)
        for label, width in (("Offer", 36), ("Kind", 20), ("Provider", 24)):
            offers.add_column(label, width=width)
        offers.add_columns("Participants", "Sessions", "Measures")
        super().on_mount()

    # --- data ------------------------------------------------------------------------------

    def refresh_data(self) -> None:
        snap = self.psr.snapshot
        self._actions = {str(r.doc_id): r for r in development.actions(snap)}
        self._offers = {str(r.doc_id): r for r in development.offers(snap)}
        self._fill_actions()
        self._fill_offers()
        self._fill_round_pickers()
        self._fill_progress()

    def _fill_actions(self) -> None:
        snap = self.psr.snapshot
        table = self.query_one("#actions-table", NavTable)
        keep = table.selected_key()
        table.clear()
        for key, record in self._actions.items():
            action = record.model
            domain = development.domain_name(snap, action)
            if action.group:
                domain += f" ({abbreviate(action.group)})"
            table.add_row(
                literal_text(domain),
                literal_text(action.title),
                literal_text(action.offer),
                literal_text(action.owner),
                literal_text(development.target_text(action)),
                Content.styled(action.status.value, _status_style(action.status)),
                literal_text(development.evidence_summary(action.evidence)),
                key=key,
            )
        table.select_key(keep)
        self._show_action_detail()

    def _fill_offers(self) -> None:
        table = self.query_one("#offers-table", NavTable)
        keep = table.selected_key()
        table.clear()
        for key, record in self._offers.items():
            offer = record.model
            figures = offer.figures
            table.add_row(
                literal_text(offer.name),
                literal_text(offer.kind.value),
                literal_text(offer.provider),
                _count(figures.participants),
                _count(figures.sessions),
                str(len(figures.measures)) if figures.measures else "",
                key=key,
            )
        table.select_key(keep)
        self._show_offer_detail()

    def _framework_rounds(self) -> list[Round]:
        framework = development.current_framework(self.psr.snapshot)
        if framework is None:
            return []
        return development.framework_rounds(self.psr.snapshot, framework.name)

    def _fill_round_pickers(self) -> None:
        rounds = self._framework_rounds()
        names = [r.name for r in rounds]
        pair = development.default_pair(rounds)
        for picker_id, default in (("earlier", 0), ("later", 1)):
            picker = self.query_one(f"#{picker_id}", Select)
            current = picker.value if picker.value in names else None
            with picker.prevent(Select.Changed):
                picker.set_options([(literal(n), n) for n in names])
                if current is not None:
                    picker.value = current
                elif pair is not None:
                    picker.value = pair[default].name

    def _chosen_rounds(self) -> tuple[Round, Round] | str:
        rounds = {r.name: r for r in self._framework_rounds()}
        if len(rounds) < 2:
            return (
                "The change in score needs two rounds of the framework: after the "
                "re-assessment, the actions that ran in between appear beside each domain."
            )
        earlier = rounds.get(str(self.query_one("#earlier", Select).value))
        later = rounds.get(str(self.query_one("#later", Select).value))
        if earlier is None or later is None:
            return "Choose the two rounds to compare."
        if earlier.date > later.date or earlier.name == later.name:
            return f"Choose a later round after {earlier.name}."
        return earlier, later

    def _fill_progress(self) -> None:
        table = self.query_one("#progress-table", NavTable)
        note = self.query_one("#progress-note", Static)
        keep = table.selected_key()
        table.clear(columns=True)
        self._progress: dict[str, analysis.DomainDevelopment] = {}
        chosen = self._chosen_rounds()
        if isinstance(chosen, str):
            note.update(literal(chosen))
            note.display = True
            self._show_progress_detail()
            return
        note.display = False
        earlier, later = chosen
        rows = development.development_between(self.psr.snapshot, earlier, later)
        groups = list(dict.fromkeys([*earlier.groups, *later.groups]))
        table.add_columns("Domain", *(abbreviate(g) for g in groups), "All", "Actions")
        for item in rows:
            change = item.change
            cells = [
                f"{format_mean(change.before_by_group.get(g))} -> "
                f"{format_mean(change.after_by_group.get(g))}"
                for g in groups
            ]
            table.add_row(
                literal_text(change.name),
                *cells,
                f"{format_change(change.before, change.after)} {analysis.arrow(change.delta)}",
                development.actions_text(item),
                key=change.key,
            )
            self._progress[change.key] = item
        table.select_key(keep)
        self._show_progress_detail()

    # --- detail panes ------------------------------------------------------------------------

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        table_id = event.data_table.id
        if table_id == "actions-table":
            self._show_action_detail()
        elif table_id == "offers-table":
            self._show_offer_detail()
        elif table_id == "progress-table":
            self._show_progress_detail()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "actions-table":
            self.action_edit()

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id in ("earlier", "later"):
            self._fill_progress()

    def _current_action(self) -> Record[DevelopmentAction] | None:
        key = self.query_one("#actions-table", NavTable).selected_key()
        return self._actions.get(key) if key else None

    def _show_action_detail(self) -> None:
        record = self._current_action()
        detail = self.query_one("#action-detail", Static)
        if record is None:
            detail.update(
                literal("No development actions yet: press n to add one for a weak domain.")
            )
            return
        action = record.model
        snap = self.psr.snapshot
        lines = [
            f"{development.domain_name(snap, action)}"
            + (f" · for {action.group}" if action.group else "")
            + f" · {action.status.value}",
            action.title,
        ]
        facts = [
            ("Offer", action.offer),
            ("Owner", action.owner),
            ("Prompted by", action.from_round),
            ("Start", format_date(action.start)),
            ("Target", development.target_text(action)),
            ("Completed", format_date(action.completed)),
        ]
        lines.append("  ".join(f"{label}: {value}" for label, value in facts if value))
        lines += _evidence_lines(action.evidence) or ["No evidence yet: press i to record it."]
        detail.update(literal("\n".join(lines)))

    def _show_offer_detail(self) -> None:
        key = self.query_one("#offers-table", NavTable).selected_key()
        detail = self.query_one("#offer-detail", Static)
        record = self._offers.get(key) if key else None
        if record is None:
            detail.update(literal("No development offers in this database."))
            return
        offer: DevelopmentOffer = record.model
        lines = [
            f"{offer.name} · {offer.kind.value}"
            + (f" · {offer.provider}" if offer.provider else ""),
            offer.description,
        ]
        if offer.period:
            lines.append(f"When: {offer.period}")
        if offer.link_text:
            lines.append(f"Source: {offer.link_text}")
        lines += _evidence_lines(offer.figures)
        detail.update(literal("\n".join(line for line in lines if line)))

    def _show_progress_detail(self) -> None:
        detail = self.query_one("#progress-detail", Static)
        key = self.query_one("#progress-table", NavTable).selected_key()
        item = self._progress.get(key) if key else None
        if item is None:
            detail.update("")
            return
        lines = [f"{item.change.name}: actions that ran between the rounds"]
        lines += [
            f"  {a.status.value:<12} {a.title}"
            + (f" ({development.evidence_summary(a.evidence)})" if not a.evidence.empty else "")
            for a in item.actions
        ] or ["  none"]
        detail.update(literal("\n".join(lines)))

    # --- actions ---------------------------------------------------------------------------

    def action_tab(self, tab: str) -> None:
        self.query_one("#tabs", TabbedContent).active = tab
        self.query_one(f"#{tab}-table", NavTable).focus()

    def _on_actions_tab(self) -> Record[DevelopmentAction] | None:
        """The highlighted action; switches to the Actions tab when another is showing."""
        tabs = self.query_one("#tabs", TabbedContent)
        if tabs.active != "actions":
            self.action_tab("actions")
            return None
        record = self._current_action()
        if record is None:
            self.notify("No action is highlighted: press n to add one.", severity="warning")
        return record

    def open_action_form(
        self,
        action: DevelopmentAction,
        record: Record[DevelopmentAction] | None = None,
        error: str = "",
    ) -> None:
        """The action form; Save adds the action (the cursor moves to it) or merges the edit
        of `record`. A refusal opens the form again with everything typed kept."""
        title = "Edit development action" if record else "New development action"
        form = _form_for(self.psr, title, action, error)
        if form is None:
            return

        def chosen(result: DevelopmentAction | None) -> None:
            if result is None:
                return
            domain = development.domain_name(self.psr.snapshot, result)

            def refused(error: StoreError) -> None:
                self.open_action_form(result, record, f"Not saved: {error}")

            if record is None:
                self.save_change(
                    lambda tx, _overwrite: changes.add_action(tx, result),
                    f"new action for {domain}",
                    done=lambda added: self._show_new(added, f"Added action for {domain}"),
                    failed=refused,
                )
            else:
                self.save_change(
                    lambda tx, overwrite: changes.edit_action(
                        tx, record.doc_id, record.model, result, overwrite=overwrite
                    ),
                    f"edited {record.model.title!r}",
                    done=lambda _: self.notify(f"Saved action for {domain}: {result.title}"),
                    failed=refused,
                )

        self.app.push_screen(form, chosen)

    def _show_new(self, added: Record[DevelopmentAction], message: str) -> None:
        """Put the cursor on a new action, so that e, i and s act on it."""
        self.action_tab("actions")
        self.query_one("#actions-table", NavTable).select_key(str(added.doc_id))
        self.notify(f"{message}: {added.model.title}")

    def action_new(self) -> None:
        tabs = self.query_one("#tabs", TabbedContent)
        domain = ""
        round_name = None
        chosen = self._chosen_rounds()
        if tabs.active == "progress" and not isinstance(chosen, str):
            # From the progress tab, the new action is for the highlighted domain.
            domain = self.query_one("#progress-table", NavTable).selected_key() or ""
            round_name = chosen[1].name
        elif latest := self.psr.snapshot.latest_round():
            round_name = latest.model.name
        new_action_for_domain(self.psr, domain, round_name)

    def action_edit(self) -> None:
        record = self._on_actions_tab()
        if record is not None:
            self.open_action_form(record.model, record)

    def action_evidence(self) -> None:
        record = self._on_actions_tab()
        if record is None:
            return
        title = record.model.title

        def chosen(evidence: Evidence | None) -> None:
            if evidence is not None:
                self.save_change(
                    lambda tx, overwrite: changes.record_evidence(
                        tx, record.doc_id, record.model, evidence, overwrite=overwrite
                    ),
                    f"evidence for {title!r}",
                    done=lambda _: self.notify(f"Saved the evidence for {title}"),
                )

        self.app.push_screen(EvidenceForm(f"Evidence: {title}", record.model.evidence), chosen)

    def action_next_status(self) -> None:
        record = self._on_actions_tab()
        if record is None:
            return
        status = _NEXT_STATUS[record.model.status]
        title, today = record.model.title, self.psr.as_at
        self.save_change(
            lambda tx, overwrite: changes.set_action_status(
                tx, record.doc_id, record.model, status, today, overwrite=overwrite
            ),
            f"{title!r} {status.value}",
            done=lambda _: self.notify(f"{title}: {status.value}"),
        )

    def action_delete(self) -> None:
        record = self._on_actions_tab()
        if record is None:
            return
        title = record.model.title

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.save_change(
                    lambda tx, overwrite: changes.delete_action(
                        tx, record.doc_id, record.model, overwrite=overwrite
                    ),
                    f"deleted {title!r}",
                    done=lambda _: self.notify(f"Deleted {title}"),
                )

        self.app.push_screen(ConfirmDialog(f"Delete the action {title!r}?", "Delete"), confirmed)


def _status_style(status: ActionStatus) -> str:
    return {
        ActionStatus.COMPLETE: "$success",
        ActionStatus.IN_PROGRESS: "$warning",
        ActionStatus.DROPPED: "$text-muted",
    }.get(status, "")


def _count(value: int | None) -> str:
    return "" if value is None else f"{value:,}"


def _evidence_lines(evidence: Evidence) -> list[str]:
    lines = []
    summary = development.evidence_summary(evidence)
    if summary:
        lines.append(summary)
    lines += [f"  {development.format_measure(m)}" for m in evidence.measures]
    if evidence.note:
        lines.append(evidence.note)
    return lines
