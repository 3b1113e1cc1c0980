"""The Assessment section's first screen: rounds, and the selected round's respondents.

From here a round is created, copied, closed or deleted; respondents are added, edited,
deleted and scored (enter opens the scoring grid); responses come in and go out as CSV.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Label, Static

from psr_tui import analysis
from psr_tui.as_at import none_then_text
from psr_tui.changes import assessment as changes
from psr_tui.dialogs.confirm import ConfirmDialog
from psr_tui.dialogs.round_forms import (
    RespondentDialog,
    RespondentRequest,
    RoundDialog,
    RoundRequest,
)
from psr_tui.dialogs.text_input import TextInputDialog
from psr_tui.exports.responses_io import respondent_identity
from psr_tui.formatting import format_date
from psr_tui.models import Framework, Response, Round, RoundStatus, slugify
from psr_tui.screens import forms
from psr_tui.screens.base import SectionScreen
from psr_tui.screens.importing import ask_and_import
from psr_tui.screens.replies import FORM_BINDINGS, RepliesScreen, round_replies_of
from psr_tui.screens.scoring import ScoringScreen, round_respondents
from psr_tui.store import Record, Snapshot, StoreError
from psr_tui.widgets.nav_table import NavTable
from psr_tui.widgets.text import clipped_text, literal, literal_text

WIDE_LAYOUT_COLUMNS = 150


def _completion(framework: Framework | None, response: Response) -> str:
    if framework is None:
        return "?"
    scored = sum(1 for d in framework.domains if response.scores.get(d.key) is not None)
    return f"{scored}/{len(framework.domains)}"


def _round_completion(snap: Snapshot, round_: Round) -> str:
    """'5/10' under 'Complete': how many respondents scored every domain, of how many."""
    framework = snap.framework(round_.framework)
    responses = [r.model for r in snap.responses(round_.name)]
    if framework is None:
        return str(len(responses))
    counts = analysis.count_respondents(analysis.respondent_progress(framework, responses))
    return f"{counts.complete}/{counts.total}"


class AssessmentScreen(SectionScreen):
    SECTION = "Assessment"
    CSS_PATH = "assessment.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new_round", "New round", tooltip="Create a round", id="assessment.new_round"),
        Binding(
            "N",
            "copy_round",
            "New from this",
            tooltip="A new round with this round's respondents, scores empty",
            id="assessment.copy_round",
        ),
        Binding(
            "x",
            "toggle_closed",
            "Close/reopen",
            tooltip="Close or reopen the round",
            id="assessment.toggle_closed",
        ),
        Binding(
            "D",
            "delete_respondent",
            "Delete",
            tooltip="Delete the respondent and their scores",
            id="assessment.delete_respondent",
        ),
        Binding(
            "D",
            "delete_round",
            "Delete",
            tooltip="Delete the round and all its responses",
            id="assessment.delete_round",
        ),
        Binding(
            "plus,i",
            "add_respondent",
            "Add",
            key_display="+",
            tooltip="Add a respondent to the round",
            id="assessment.add_respondent",
        ),
        Binding(
            "e",
            "edit_respondent",
            "Edit",
            tooltip="Edit the respondent",
            id="assessment.edit_respondent",
        ),
        Binding("s", "summary", "Summary", tooltip="The round's summary", id="assessment.summary"),
        Binding(
            "T", "trends", "Trends", tooltip="Domain means across rounds", id="assessment.trends"
        ),
        Binding("g", "charts", "Charts", tooltip="Charts of the round", id="assessment.charts"),
        Binding(
            "E",
            "export_pdf",
            "PDF",
            tooltip="Export the assessment report as PDF",
            id="assessment.export_pdf",
        ),
        Binding(
            "I",
            "import_csv",
            "Import CSV",
            tooltip="Import responses from a CSV file",
            id="assessment.import_csv",
        ),
        Binding(
            "X",
            "export_csv",
            "Export CSV",
            tooltip="Export the round's responses as CSV or xlsx",
            id="assessment.export_csv",
        ),
        *FORM_BINDINGS,
        Binding(
            "w",
            "replies",
            "Who replied",
            tooltip="Each respondent's reply (form sent, returned, scored) and who to chase",
            id="assessment.replies",
        ),
    ]

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="lists"):
            with Vertical(id="rounds-pane"):
                yield Label("Rounds", classes="panel-title")
                yield NavTable(id="rounds")
            with Vertical(id="respondents-pane"):
                yield Label("Respondents", id="respondents-title", classes="panel-title")
                yield NavTable(id="respondents")
                yield Static("", id="replies-line", classes="muted")
        yield Static("", id="hint", classes="muted")

    def on_mount(self) -> None:
        rounds = self.query_one("#rounds", NavTable)
        rounds.add_columns("Round", "Date", "Framework", "Status", "Complete")
        self.query_one("#respondents", NavTable).add_columns(
            "Name", "Organisation", "Group", "Scored"
        )
        super().on_mount()
        rounds.focus()

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width >= WIDE_LAYOUT_COLUMNS, "-wide")

    def data_changed(self) -> None:
        # Under the scoring screen this would recount every response on each keystroke;
        # it catches up when it is shown again (on_screen_resume).
        if self.app.screen is self:
            super().data_changed()

    # --- reading -------------------------------------------------------------------------

    def selected_round(self) -> Record[Round] | None:
        key = self.query_one("#rounds", NavTable).selected_key()
        if key is None:
            return None
        return next((r for r in self.psr.snapshot.rounds() if str(r.doc_id) == key), None)

    def selected_response(self) -> Record[Response] | None:
        round_record = self.selected_round()
        key = self.query_one("#respondents", NavTable).selected_key()
        if round_record is None or key is None:
            return None
        responses = self.psr.snapshot.responses(round_record.model.name)
        return next((r for r in responses if str(r.doc_id) == key), None)

    def refresh_data(self) -> None:
        snap = self.psr.snapshot
        table = self.query_one("#rounds", NavTable)
        keep = table.selected_key()
        table.clear()
        for record in reversed(snap.rounds()):
            round_ = record.model
            closed = round_.status == RoundStatus.CLOSED
            table.add_row(
                literal_text(round_.name),
                format_date(round_.date),
                literal_text(round_.framework),
                literal_text(round_.status.value, "bold" if closed else ""),
                _round_completion(snap, round_),
                key=str(record.doc_id),
            )
        table.select_key(keep)
        then = none_then_text(snap, "rounds")
        self.query_one("#hint", Static).update(
            ""
            if table.row_count
            else f"{then}: t sets another date, n creates a round."
            if then is not None
            else "No rounds yet: press n to create one, or I after that "
            "to import responses from a CSV file."
        )
        self._show_respondents()

    def _show_respondents(self, select: int | None = None) -> None:
        table = self.query_one("#respondents", NavTable)
        keep = str(select) if select is not None else table.selected_key()
        table.clear()
        title = self.query_one("#respondents-title", Label)
        round_record = self.selected_round()
        replies_line = self.query_one("#replies-line", Static)
        if round_record is None:
            title.update("Respondents")
            replies_line.update("")
            return
        round_ = round_record.model
        framework = self.psr.snapshot.framework(round_.framework)
        for record in round_respondents(self.psr.snapshot, round_.name):
            response = record.model
            table.add_row(
                clipped_text(response.name, 24),
                clipped_text(response.organisation, 24),
                clipped_text(response.group, 20),
                _completion(framework, response),
                key=str(record.doc_id),
            )
        table.select_key(keep)
        state = " (closed: read-only)" if round_.status == RoundStatus.CLOSED else ""
        title.update(literal(f"Respondents in {round_.name}{state}"))
        replies = round_replies_of(self, round_.name)
        replies_line.update(literal(f"Replies: {replies.line} (w)" if replies else ""))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "rounds":
            self._show_respondents()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "rounds":
            self.query_one("#respondents", NavTable).focus()
            return
        self.open_scoring()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self.refresh_bindings()

    def _respondents_focused(self) -> bool:
        return self.focused is self.query_one("#respondents", NavTable)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "delete_round":
            return not self._respondents_focused()
        if action in ("delete_respondent", "edit_respondent"):
            return self._respondents_focused()
        return True

    def _round_or_say(self, *, writable: bool = False) -> Record[Round] | None:
        record = self.selected_round()
        if record is None:
            self.notify("Select a round first (n creates one)", severity="warning")
        elif writable and record.model.status == RoundStatus.CLOSED:
            self.notify(
                f"Round {record.model.name!r} is closed: reopen it with x to change it",
                severity="warning",
            )
            return None
        return record

    def _round_name_taken(self, name: str) -> bool:
        # Every round stored, those after a date looked back to as well.
        return self.psr.stored.round(name) is not None

    # --- rounds --------------------------------------------------------------------------

    def action_new_round(self) -> None:
        snap = self.psr.snapshot
        latest = snap.latest_round()

        def chosen(request: RoundRequest | None) -> None:
            if request is not None:
                self.psr.save(
                    lambda tx: changes.new_round(tx, request.name, request.date, request.framework),
                    done=self._select_round,
                )

        self.app.push_screen(
            RoundDialog(
                "New round",
                [r.model.name for r in snap.frameworks()],
                default_date=self.psr.as_at,
                framework=latest.model.framework if latest else None,
                taken=self._round_name_taken,
            ),
            chosen,
        )

    def action_copy_round(self) -> None:
        source = self._round_or_say()
        if source is None:
            return
        people = [r.model for r in round_respondents(self.psr.snapshot, source.model.name)]

        def chosen(request: RoundRequest | None) -> None:
            if request is not None:
                self.psr.save(
                    lambda tx: changes.copy_round(
                        tx, source.model.name, request.name, request.date
                    ),
                    done=self._select_round,
                )

        self.app.push_screen(
            RoundDialog(
                f"New round from {source.model.name} ({len(people)} respondents, scores empty)",
                [source.model.framework],
                default_date=self.psr.as_at,
                framework=source.model.framework,
                fixed_framework=True,
                taken=self._round_name_taken,
            ),
            chosen,
        )

    def _select_round(self, added: Record[Round]) -> None:
        self.refresh_data()
        self.query_one("#rounds", NavTable).select_key(str(added.doc_id))

    def action_toggle_closed(self) -> None:
        record = self._round_or_say()
        if record is None:
            return
        closed = record.model.status == RoundStatus.CLOSED
        status = RoundStatus.OPEN if closed else RoundStatus.CLOSED

        def done(_: object) -> None:
            verb = "reopened" if closed else "closed: its scores are now read-only"
            self.notify(f"Round {record.model.name!r} {verb}")

        self.psr.save(
            lambda tx: changes.set_round_status(tx, record.doc_id, record.model, status),
            done=done,
        )

    def action_delete_round(self) -> None:
        record = self._round_or_say()
        if record is None:
            return
        name = record.model.name
        # Exactly these go, or nothing: the change refuses if another session added or
        # removed a response after the dialog counted them.
        confirmed_ids = [r.doc_id for r in self.psr.snapshot.responses(name)]
        count = len(confirmed_ids)

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return

            def done(result: tuple[Round, int]) -> None:
                gone = result[1]
                self.notify(
                    f"Deleted round {name!r} and its {gone} response{'s' if gone != 1 else ''}"
                )

            self.psr.save(
                lambda tx: changes.delete_round(tx, record.doc_id, record.model, confirmed_ids),
                done=done,
                failed=self._delete_refused,
                conflict=self._delete_refused,
            )

        self.app.push_screen(
            ConfirmDialog(
                f"Delete round {name!r} and its {count} response{'s' if count != 1 else ''}? "
                "This cannot be undone.",
                confirm_label="Delete",
            ),
            confirmed,
        )

    def _delete_refused(self, error: StoreError) -> None:
        self.notify(str(error), title="Round not deleted", severity="error", timeout=20)

    # --- respondents ---------------------------------------------------------------------

    def _taken(self, round_name: str, skip: int | None) -> Callable[[str, str], bool]:
        """Whether a name + organisation is already in the round (ignoring case)."""
        identities = {
            respondent_identity(r.model.name, r.model.organisation)
            for r in self.psr.snapshot.responses(round_name)
            if r.doc_id != skip
        }
        return lambda name, org: respondent_identity(name, org) in identities

    def action_add_respondent(self) -> None:
        record = self._round_or_say(writable=True)
        if record is None:
            return
        round_ = record.model

        def chosen(request: RespondentRequest | None) -> None:
            if request is None:
                return

            def added(record: Record[Response]) -> None:
                self._show_respondents(select=record.doc_id)
                self.query_one("#respondents", NavTable).focus()

            self.psr.save(
                lambda tx: changes.add_respondent(
                    tx, round_.name, request.name, request.organisation, request.group
                ),
                done=added,
            )

        self.app.push_screen(
            RespondentDialog(
                f"Add a respondent to {round_.name}",
                round_.groups,
                taken=self._taken(round_.name, None),
            ),
            chosen,
        )

    def _response_or_say(self) -> Record[Response] | None:
        """The selected respondent of an open round, or None after saying what is missing."""
        if self._round_or_say(writable=True) is None:
            return None
        record = self.selected_response()
        if record is None:
            self.notify("Select a respondent first", severity="warning")
        return record

    def action_edit_respondent(self) -> None:
        record = self._response_or_say()
        if record is None:
            return
        response = record.model
        round_record = self.selected_round()
        assert round_record is not None

        def chosen(request: RespondentRequest | None) -> None:
            if request is not None:
                self._save_respondent(record, request)

        self.app.push_screen(
            RespondentDialog(
                f"Edit {response.name}",
                round_record.model.groups,
                current=RespondentRequest(response.name, response.organisation, response.group),
                taken=self._taken(response.round, record.doc_id),
            ),
            chosen,
        )

    def _save_respondent(self, record: Record[Response], request: RespondentRequest) -> None:
        self.save_change(
            lambda tx, overwrite: changes.edit_respondent(
                tx,
                record.doc_id,
                record.model,
                request.name,
                request.organisation,
                request.group,
                overwrite=overwrite,
            ),
            f"edited {record.model.name}",
        )

    def action_delete_respondent(self) -> None:
        record = self._response_or_say()
        if record is None:
            return
        response = record.model

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.psr.save(lambda tx: changes.delete_respondent(tx, record.doc_id, response))

        self.app.push_screen(
            ConfirmDialog(
                f"Delete {response.name} ({response.organisation or 'no organisation'}) and "
                f"their {response.scored_count()} scores from {response.round}?",
                confirm_label="Delete",
            ),
            confirmed,
        )

    def open_scoring(self) -> None:
        round_record = self.selected_round()
        record = self.selected_response()
        if round_record is None or record is None:
            return
        if round_record.model.status == RoundStatus.CLOSED:
            self.notify(
                f"Round {round_record.model.name!r} is closed: scores are read-only (x reopens it)",
                severity="warning",
            )
        self.app.push_screen(ScoringScreen(round_record.model.name, record.doc_id))

    # --- other screens -------------------------------------------------------------------

    def action_summary(self) -> None:
        record = self._round_or_say()
        if record is not None:
            from psr_tui.screens.summary import SummaryScreen

            self.app.push_screen(SummaryScreen(record.model.name))

    def action_trends(self) -> None:
        from psr_tui.screens.trends import TrendsScreen

        self.app.push_screen(TrendsScreen())

    def action_charts(self) -> None:
        record = self._round_or_say()
        if record is not None:
            from psr_tui.screens.assessment_charts import AssessmentChartsScreen

            self.app.push_screen(AssessmentChartsScreen(record.model.name))

    def action_export_pdf(self) -> None:
        self.psr.action_export("assessment")

    # --- forms out and back ---------------------------------------------------------------

    def action_send_forms(self) -> None:
        record = self._round_or_say(writable=True)
        if record is not None:
            forms.send_forms(self, record.model.name)

    def action_import_returns(self) -> None:
        record = self._round_or_say(writable=True)
        if record is not None:
            forms.import_returns(self, record.model.name)

    def action_replies(self) -> None:
        record = self._round_or_say()
        if record is not None:
            self.app.push_screen(RepliesScreen(record.model.name))

    # --- CSV -----------------------------------------------------------------------------

    def action_import_csv(self) -> None:
        record = self._round_or_say(writable=True)
        if record is None:
            return
        name = record.model.name

        from psr_tui.changes import imports

        ask_and_import(
            self,
            f"Import responses into {name!r} from the CSV file "
            "(name,organisation,group,<domains>):",
            "responses",
            lambda snapshot, path: imports.prepare_responses(snapshot, path, name),
            imports.apply_responses,
        )

    def action_export_csv(self) -> None:
        record = self._round_or_say()
        if record is None:
            return
        name = record.model.name

        def check(text: str) -> str | None:
            if Path(text.strip()).suffix.lower() not in (".csv", ".xlsx"):
                return "The file name must end in .csv or .xlsx"
            return None

        def chosen(text: str | None) -> None:
            if text is not None:
                self._export_responses(name, Path(text.strip()).expanduser())

        self.app.push_screen(
            TextInputDialog(
                f"Export the responses of {name!r} to (.csv or .xlsx):",
                f"{slugify(name)}-responses.csv",
                check=check,
            ),
            chosen,
        )

    @work(thread=True, exclusive=True, exit_on_error=False, group="export-responses")
    def _export_responses(self, round_name: str, path: Path) -> None:
        from psr_tui.exports.responses_io import export_responses

        try:
            export_responses(self.psr.snapshot, round_name, path)
        except Exception as exc:  # any failure is reported (a bug logged); the app carries on
            from psr_tui.errorlog import one_line

            reason = one_line(exc, f"exporting responses to {path}")
            self.app.call_from_thread(self.notify, reason, severity="error", timeout=15)
            return
        self.app.call_from_thread(self.notify, f"Wrote {path}", title="Exported")
