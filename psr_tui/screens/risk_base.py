"""The base of the screens that show risks, with the keys that change the selected one.

Each key opens its form and hands what was chosen to a named change
(`psr_tui.changes.risks`), with the risk as this screen read it. The change writes only
what this session changed onto the latest record; when another session changed the same
field, the conflict dialog shows both values and who, and the user chooses: reload (drop
this change) or overwrite (this session's fields over theirs, their other changes kept).
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from textual.binding import Binding, BindingType

from psr_tui.changes import imports
from psr_tui.changes import risks as risk_changes
from psr_tui.dialogs.risk_forms import CloseRiskForm, ReviewForm, RiskForm
from psr_tui.models import Record, Risk, RiskMatrix, RiskStatus
from psr_tui.screens.base import Change, SectionScreen
from psr_tui.screens.importing import ask_and_import
from psr_tui.store import StoreError
from psr_tui.widgets.risk_table import RiskTable


class RiskScreen(SectionScreen):
    """A screen showing risks, with the keys that change the selected one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add_risk", "Add", tooltip="Add a risk", id="risks.add"),
        Binding("e", "edit_risk", "Edit", tooltip="Edit the selected risk", id="risks.edit"),
        Binding(
            "R",
            "review_risk",
            "Review",
            tooltip="Record a review of the selected risk",
            id="risks.review",
        ),
        Binding(
            "c",
            "close_risk",
            "Close risk",
            tooltip="Close the selected risk on a date, with a reason (its history stays)",
            id="risks.close",
        ),
        Binding(
            "I",
            "import_risks",
            "Import CSV",
            tooltip="Add or update risks from a CSV file (an exported register re-imports)",
            id="risks.import",
            show=False,
        ),
    ]

    def selected_ref(self) -> str | None:
        """The ref of the risk the keys act on."""
        return None

    def _selected(self) -> tuple[RiskMatrix, Record[Risk]] | None:
        matrix = self.psr.snapshot.matrix()
        if matrix is None:
            self.notify("There is no risk matrix yet: psr import matrix FILE", severity="error")
            return None
        ref = self.selected_ref()
        # A change acts on the risk as it is stored, also when the screen shows it as at a
        # date looked back to: its form, its merge base and its checks are today's.
        record = self.psr.stored.risk(ref) if ref else None
        if record is None:
            self.notify("Choose a risk first", severity="warning")
            return None
        return matrix, record

    def action_add_risk(self) -> None:
        matrix = self.psr.snapshot.matrix()
        if matrix is None:
            self.notify("There is no risk matrix yet: psr import matrix FILE", severity="error")
            return
        taken = {r.model.ref.lower() for r in self.psr.stored.risks()}

        def open_form(form: RiskForm) -> None:
            def chosen(values: dict[str, Any] | None) -> None:
                if values is None:
                    return

                def added(record: Record[Risk]) -> None:
                    self.risk_saved(record.model, f"Added {record.model.ref}")
                    # After the redraw that lists it: then e, R and c act on the new risk.
                    self.call_later(self._show_risk, record.model.ref)

                def refused(error: StoreError) -> None:
                    self.call_later(open_form, form.refill(values, f"Not saved: {error}"))

                self.psr.save(
                    lambda tx: risk_changes.add_risk(tx, values), done=added, failed=refused
                )

            self.app.push_screen(form, chosen)

        open_form(RiskForm(matrix, None, taken, self.psr.as_at))

    def action_edit_risk(self) -> None:
        selected = self._selected()
        if selected is None:
            return
        matrix, record = selected

        def open_form(form: RiskForm) -> None:
            def chosen(values: dict[str, Any] | None) -> None:
                if values is None:
                    return
                base = record.model
                changes = {k: v for k, v in values.items() if getattr(base, k) != v}
                if not changes:
                    self.notify("Nothing changed")
                    return
                self.save_change(
                    lambda tx, overwrite: risk_changes.edit_risk(
                        tx, record.doc_id, base, changes, overwrite=overwrite
                    ),
                    f"edited {base.ref}",
                    done=lambda risk: self.risk_saved(risk, f"Edited {base.ref}"),
                    failed=lambda error: open_form(form.refill(values, f"Not saved: {error}")),
                )

            self.app.push_screen(form, chosen)

        open_form(RiskForm(matrix, record.model, set(), self.psr.as_at))

    def action_review_risk(self) -> None:
        selected = self._selected()
        if selected is None:
            return
        matrix, record = selected

        def chosen(result: tuple[date, str, str, str] | None) -> None:
            if result is None:
                return
            day, likelihood, impact, note = result
            self.save_risk_change(
                lambda tx, overwrite: risk_changes.review_risk(
                    tx,
                    record.doc_id,
                    record.model,
                    day,
                    likelihood,
                    impact,
                    note,
                    overwrite=overwrite,
                ),
                f"reviewed {record.model.ref}",
            )

        self.app.push_screen(ReviewForm(matrix, record.model, self.psr.as_at), chosen)

    def action_close_risk(self) -> None:
        selected = self._selected()
        if selected is None:
            return
        _matrix, record = selected
        if record.model.status == RiskStatus.CLOSED:
            self.notify(f"{record.model.ref} is already closed")
            return

        def chosen(result: tuple[date, str] | None) -> None:
            if result is None:
                return
            day, reason = result
            self.save_risk_change(
                lambda tx, overwrite: risk_changes.close_risk(
                    tx, record.doc_id, record.model, day, reason, overwrite=overwrite
                ),
                f"closed {record.model.ref}",
            )

        self.app.push_screen(CloseRiskForm(record.model, self.psr.as_at), chosen)

    def action_import_risks(self) -> None:
        ask_and_import(
            self,
            "Import risks from the CSV file (ref,description,likelihood,impact,...; "
            "an exported register re-imports):",
            "risks",
            imports.prepare_risks,
            imports.apply_risks,
        )

    def save_risk_change(self, change: Change[Risk], what: str) -> None:
        """Run `change`; a clash asks reload or overwrite (`save_change`)."""
        self.save_change(
            change, what, done=lambda risk: self.risk_saved(risk, what[0].upper() + what[1:])
        )

    def _show_risk(self, ref: str) -> None:
        """Put the cursor on the risk, if this screen lists it."""
        for table in self.query(RiskTable):
            position = table.get_row_index(ref)
            if position is not None:
                table.move_cursor(position)

    def risk_saved(self, risk: Risk, message: str) -> None:
        self.notify(message)
