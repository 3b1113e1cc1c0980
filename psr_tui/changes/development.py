"""The development plan's changes: actions for a domain, their status and their evidence.

An edit is merged field by field (the evidence figure by figure), so an officer recording
the evidence and another moving the status on at the same time both keep their change.
"""

from __future__ import annotations

from datetime import date

from psr_tui.changes import delete_as_read
from psr_tui.models import ActionStatus, DevelopmentAction, Evidence, Record
from psr_tui.store import Transaction


def add_action(tx: Transaction, action: DevelopmentAction) -> Record[DevelopmentAction]:
    """Add an action (checked against its framework and the offers); returns it stored."""
    return tx.add("actions", [action])[0]


def edit_action(
    tx: Transaction,
    doc_id: int,
    base: DevelopmentAction,
    edited: DevelopmentAction,
    *,
    overwrite: bool = False,
) -> DevelopmentAction:
    return tx.merge("actions", doc_id, base, edited, overwrite=overwrite)


def set_action_status(
    tx: Transaction,
    doc_id: int,
    base: DevelopmentAction,
    status: ActionStatus,
    today: date,
    *,
    overwrite: bool = False,
) -> DevelopmentAction:
    """Move the action to `status`; completing one not yet dated completes it `today`."""
    update: dict[str, object] = {"status": status}
    if status == ActionStatus.COMPLETE and base.completed is None:
        update["completed"] = today
    return edit_action(tx, doc_id, base, base.model_copy(update=update), overwrite=overwrite)


def record_evidence(
    tx: Transaction,
    doc_id: int,
    base: DevelopmentAction,
    evidence: Evidence,
    *,
    overwrite: bool = False,
) -> DevelopmentAction:
    """What the action achieved: participants, sessions, measures and a note."""
    edited = base.model_copy(update={"evidence": evidence})
    return edit_action(tx, doc_id, base, edited, overwrite=overwrite)


def delete_action(
    tx: Transaction, doc_id: int, base: DevelopmentAction, *, overwrite: bool = False
) -> None:
    delete_as_read(tx, "actions", doc_id, base, overwrite=overwrite)
