"""The base of the screens that show risks, with the keys that change the selected one.

Every change is a function of the stored risk (a patch), applied in the transaction to
the latest record with the rev this session read. When another session saved in between,
the user is told who and when and chooses: reload (drop this change) or overwrite (apply
the same patch to the newest version), so nothing is lost without being asked.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, ClassVar

from textual.binding import Binding, BindingType

from psr_tui import analysis
from psr_tui.dialogs.confirm import ConfirmDialog
from psr_tui.dialogs.conflict import ConflictDialog
from psr_tui.dialogs.risk_forms import ReviewForm, RiskForm
from psr_tui.errors import ConflictError, InvalidRecordError
from psr_tui.models import Record, Risk, RiskMatrix, RiskStatus
from psr_tui.screens.base import SectionScreen
from psr_tui.store import Transaction

Patch = Callable[[Risk], Risk]


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
            tooltip="Close the selected risk (its history stays)",
            id="risks.close",
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
        record = self.psr.snapshot.risk(ref) if ref else None
        if record is None:
            self.notify("Choose a risk first", severity="warning")
            return None
        return matrix, record

    def action_add_risk(self) -> None:
        matrix = self.psr.snapshot.matrix()
        if matrix is None:
            self.notify("There is no risk matrix yet: psr import matrix FILE", severity="error")
            return
        taken = {r.model.ref.lower() for r in self.psr.snapshot.risks()}

        def chosen(values: dict[str, Any] | None) -> None:
            if values is None:
                return

            def change(tx: Transaction) -> Risk:
                if tx.risk(values["ref"]) is not None:
                    raise InvalidRecordError(
                        f"risk {values['ref']} was added by another session meanwhile"
                    )
                risk = Risk.model_validate(values)
                tx.insert("risks", risk)
                return risk

            self.psr.save(change, done=lambda risk: self.risk_saved(risk, f"Added {risk.ref}"))

        self.app.push_screen(RiskForm(matrix, None, taken, self.psr.as_at), chosen)

    def action_edit_risk(self) -> None:
        selected = self._selected()
        if selected is None:
            return
        matrix, record = selected

        def chosen(values: dict[str, Any] | None) -> None:
            if values is None:
                return
            original = record.model
            changes = {k: v for k, v in values.items() if getattr(original, k) != v}
            if not changes:
                self.notify("Nothing changed")
                return
            self.save_patch(
                record,
                lambda risk: risk.model_copy(update=changes),
                f"edited {original.ref}",
            )

        self.app.push_screen(RiskForm(matrix, record.model, set(), self.psr.as_at), chosen)

    def action_review_risk(self) -> None:
        selected = self._selected()
        if selected is None:
            return
        matrix, record = selected

        def chosen(result: tuple[date, str, str, str] | None) -> None:
            if result is None:
                return
            day, likelihood, impact, note = result
            user = self.psr.store.user
            self.save_patch(
                record,
                lambda risk: analysis.with_review(
                    matrix, risk, day, likelihood, impact, note, user
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

        def chosen(yes: bool | None) -> None:
            if yes:
                self.save_patch(
                    record,
                    lambda risk: risk.model_copy(update={"status": RiskStatus.CLOSED}),
                    f"closed {record.model.ref}",
                )

        self.app.push_screen(
            ConfirmDialog(
                f"Close {record.model.ref}? It stays in the register with its history.",
                "Close it",
            ),
            chosen,
        )

    def save_patch(
        self, record: Record[Risk], patch: Patch, what: str, rev: int | None = None
    ) -> None:
        """Apply `patch` to the stored risk if it is still at the rev this screen read."""
        doc_id = record.doc_id
        expected = record.model.rev if rev is None else rev

        def change(tx: Transaction) -> Risk:
            return tx.update(
                "risks",
                doc_id,
                patch(tx.get("risks", doc_id).model),
                expected_rev=expected,
            )

        def conflict(error: ConflictError) -> None:
            def chosen(overwrite: bool | None) -> None:
                latest = self.psr.store.snapshot().risk(record.model.ref)
                if overwrite and latest is not None:
                    self.save_patch(latest, patch, what)
                else:
                    self.notify(f"Reloaded {record.model.ref}: your change was not saved")
                    self.psr.reload()

            # Pushed from this screen's own message loop: the save callback arrives from the
            # writer thread's context, where a new screen cannot find its app.
            self.call_later(self.app.push_screen, ConflictDialog(error, what), chosen)

        self.psr.save(
            change,
            done=lambda risk: self.risk_saved(risk, what[0].upper() + what[1:]),
            conflict=conflict,
        )

    def risk_saved(self, risk: Risk, message: str) -> None:
        self.notify(message)
