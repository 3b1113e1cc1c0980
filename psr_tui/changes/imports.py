"""Every import: a responses CSV, a risks CSV, a framework, a risk matrix.

Each is two steps, so that a big file never holds the lock while it is read and checked:
`prepare_*` reads and validates the file against a snapshot, without the lock;
`apply_*` writes it in one transaction, having checked that what the file was validated
against (the matrix, the framework, the round) is still what is stored.

A re-import follows the rule of every edit. A row equal to the stored record changes
nothing (no new revision, no audit entry). A row that differs updates the record through
the merge, unless the record changed since the file was exported (the export's `rev`
column says which revision the row was read from): then it is a conflict, named by the
record, and the whole import is refused unless the caller passes `overwrite`. A row
without a rev (a file made by hand) means "set these values".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any

from psr_tui.changes.risks import with_closure
from psr_tui.errors import (
    ConflictError,
    FieldClash,
    ImportConflictError,
    InvalidRecordError,
    StoreError,
)
from psr_tui.exports.definitions import load_model
from psr_tui.exports.register_io import RiskRow, read_risks
from psr_tui.exports.responses_io import ResponseRow, read_responses, respondent_identity
from psr_tui.exports.tables import TableImportError
from psr_tui.formatting import stored_date
from psr_tui.models import (
    Framework,
    Response,
    Risk,
    RiskMatrix,
    RiskStatus,
    Round,
    RoundStatus,
    Stamped,
)
from psr_tui.store import NewRecords, Snapshot, Store, Transaction, field_changes


def _again(path: Path, what: str) -> StoreError:
    return StoreError(
        f"{path}: {what} while the file was checked; nothing was imported: import it again"
    )


def _conflict(table: str, label: str, stored: Stamped, edited: Stamped) -> ConflictError:
    """The record changed since the export: each field the file would change is a clash
    (what the export held is not known, so neither side can be taken as the change)."""
    clashes = tuple(
        FieldClash(path, None, theirs, mine)
        for path, (theirs, mine) in field_changes(stored, edited).items()
    )
    return ConflictError(table, label, stored.updated_by, stored.updated_at, clashes)


@dataclass(frozen=True)
class _Edit:
    doc_id: int
    stored: Stamped
    edited: Stamped


def _write(
    tx: Transaction,
    table: str,
    path: Path,
    edits: list[_Edit],
    conflicts: list[ConflictError],
    overwrite: bool,
) -> None:
    if conflicts and not overwrite:
        raise ImportConflictError(path, tuple(conflicts))
    for edit in edits:
        # The stored record is the base: the merge writes just the fields the row changes.
        tx.merge(table, edit.doc_id, edit.stored, edit.edited, overwrite=True)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


# --- risks CSV ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RisksImport:
    """A risks CSV read and checked: its rows, and its new risks validated and ready."""

    path: Path
    matrix: RiskMatrix
    rows: list[RiskRow]
    new: NewRecords[Risk]  # the rows whose refs were not in the register
    new_at: dict[int, int]  # row number -> its position in `new`
    as_at: date


def prepare_risks(snapshot: Snapshot, path: Path) -> RisksImport:
    """Read and check a risks CSV against the register as `snapshot` holds it (no lock)."""
    path = Path(path)
    matrix = snapshot.matrix()
    if matrix is None:
        raise InvalidRecordError("the database has no risk matrix: `psr import matrix FILE` first")
    rows = read_risks(path, matrix)
    known = snapshot.ids_by("risks", "ref")
    fresh = [row for row in rows if row.fields["ref"].lower() not in known]
    values = [
        {**row.fields, "date_identified": row.fields.get("date_identified") or snapshot.as_at}
        for row in fresh
    ]
    new: NewRecords[Risk] = snapshot.check_new("risks", values)
    if new.problems:
        raise TableImportError(
            path, [f"row {fresh[index].number}: {problem}" for index, problem in new.problems]
        )
    new_at = {row.number: position for position, row in enumerate(fresh)}
    return RisksImport(path, matrix, rows, new, new_at, snapshot.as_at)


def _as_stored(value: Any) -> Any:
    """A parsed cell as the file's JSON holds it."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return stored_date(value)  # "2016-02" for a date known to the month
    return value


def _same_as_stored(fields: Mapping[str, Any], row: Mapping[str, Any]) -> bool:
    return all(_as_stored(value) == row.get(name) for name, value in fields.items())


def _risk_edited(stored: Risk, row: RiskRow, prepared: RisksImport, user: str) -> Risk:
    edited = stored.model_copy(update={**row.fields, "ref": stored.ref})
    if edited.status == RiskStatus.CLOSED and stored.status != RiskStatus.CLOSED:
        reopened = edited.model_copy(update={"status": stored.status})
        reason = f"imported from {prepared.path.name}"
        edited = with_closure(prepared.matrix, reopened, prepared.as_at, reason, user)
    return edited


def apply_risks(tx: Transaction, prepared: RisksImport, overwrite: bool = False) -> str:
    """Add the file's new risks and update the others (see the module's rule)."""
    if tx.matrix() != prepared.matrix:
        raise _again(prepared.path, "the risk matrix was changed in another session")
    ids = tx.ids_by("risks", "ref")
    adding: list[int] = []
    edits: list[_Edit] = []
    conflicts: list[ConflictError] = []
    unchanged = 0
    for row in prepared.rows:
        ref = row.fields["ref"]
        doc_id = ids.get(ref.lower())
        new = prepared.new_at.get(row.number)
        if doc_id is None:
            if new is None:
                raise _again(prepared.path, f"risk {ref} was deleted in another session")
            adding.append(new)
            continue
        stored_row = tx.row("risks", doc_id)
        if new is None and stored_row is not None and _same_as_stored(row.fields, stored_row):
            unchanged += 1
            continue
        stored: Risk = tx.get("risks", doc_id).model
        edited = _risk_edited(stored, row, prepared, tx.user)
        if not field_changes(stored, edited):
            unchanged += 1
            continue
        # Added meanwhile by another session, or changed since the export: not ours to set.
        if new is not None or (row.rev is not None and row.rev != stored.rev):
            conflicts.append(_conflict("risks", stored.ref, stored, edited))
        edits.append(_Edit(doc_id, stored, edited))
    _write(tx, "risks", prepared.path, edits, conflicts, overwrite)
    added = tx.add_checked(prepared.new.only(adding))
    total = len(prepared.rows)
    return (
        f"imported {_plural(total, 'risk')} ({len(added)} new, {len(edits)} updated, "
        f"{unchanged} unchanged)"
    )


# --- responses CSV -----------------------------------------------------------------------


@dataclass(frozen=True)
class ResponsesImport:
    """A responses CSV read and checked against its round's framework and groups."""

    path: Path
    round: Round
    created: bool  # the round is new: the import creates it
    framework: Framework
    rows: list[ResponseRow]


def _round_for(
    snapshot: Snapshot, round_name: str, framework_name: str | None
) -> tuple[Round, bool]:
    """The round to import into, and whether it is new (not yet stored)."""
    record = snapshot.round(round_name)
    if record is not None:
        round_ = record.model
        if round_.status == RoundStatus.CLOSED:
            raise InvalidRecordError(
                f"round {round_.name!r} is closed; reopen it before importing responses"
            )
        if framework_name and framework_name.strip().lower() != round_.framework.lower():
            raise InvalidRecordError(
                f"round {round_.name!r} uses framework {round_.framework!r}, not {framework_name!r}"
            )
        return round_, False
    frameworks = [r.model for r in snapshot.frameworks()]
    names = ", ".join(repr(f.name) for f in frameworks) or "none: import one first"
    if framework_name:
        wanted = framework_name.strip().lower()
        framework = next((f for f in frameworks if f.name.lower() == wanted), None)
        if framework is None:
            raise InvalidRecordError(f"no framework {framework_name!r} (the file has {names})")
    elif len(frameworks) == 1:
        framework = frameworks[0]
    else:
        latest = snapshot.latest_round()
        if latest is None or len(frameworks) == 0:
            raise InvalidRecordError(
                f"round {round_name!r} is new: choose its framework with --framework ({names})"
            )
        framework = next(f for f in frameworks if f.name == latest.model.framework)
    return Round(name=round_name.strip(), date=snapshot.as_at, framework=framework.name), True


def prepare_responses(
    snapshot: Snapshot, path: Path, round_name: str, framework_name: str | None = None
) -> ResponsesImport:
    """Read and check a responses CSV for a round (created by the import if new)."""
    path = Path(path)
    round_, created = _round_for(snapshot, round_name, framework_name)
    framework = snapshot.framework(round_.framework)
    if framework is None:
        raise InvalidRecordError(f"round {round_.name!r} uses an unknown framework")
    rows = read_responses(path, framework, round_.groups)
    return ResponsesImport(path, round_, created, framework, rows)


def _response_edited(stored: Response, row: ResponseRow) -> Response:
    scores = {**stored.scores, **row.scores}
    comments = {k: v for k, v in {**stored.comments, **row.comments}.items() if v}
    return stored.model_copy(update={"group": row.group, "scores": scores, "comments": comments})


def apply_responses(tx: Transaction, prepared: ResponsesImport, overwrite: bool = False) -> str:
    """Add the file's new respondents and update the others (see the module's rule): only
    the domains the file has columns for change; the others keep their values."""
    path, round_ = prepared.path, prepared.round
    record = tx.round(round_.name)
    if prepared.created:
        if record is not None:
            raise _again(path, f"round {round_.name!r} was created in another session")
    elif record is None:
        raise _again(path, f"round {round_.name!r} was deleted in another session")
    elif record.model.status == RoundStatus.CLOSED:
        raise _again(path, f"round {round_.name!r} was closed in another session")
    if tx.framework(round_.framework) != prepared.framework:
        raise _again(path, f"framework {round_.framework!r} was changed in another session")
    if prepared.created:
        tx.add("rounds", [round_])
    existing = {
        respondent_identity(r.model.name, r.model.organisation): r
        for r in tx.responses(round_.name)
    }
    added: list[Response] = []
    edits: list[_Edit] = []
    conflicts: list[ConflictError] = []
    for row in prepared.rows:
        found = existing.get(respondent_identity(row.name, row.organisation))
        if found is None:
            added.append(
                Response(
                    round=round_.name,
                    name=row.name,
                    organisation=row.organisation,
                    group=row.group,
                    scores=row.scores,
                    comments={k: v for k, v in row.comments.items() if v},
                )
            )
            continue
        edited = _response_edited(found.model, row)
        if not field_changes(found.model, edited):
            continue
        if row.rev is not None and row.rev != found.model.rev:
            label = f"{round_.name}: {found.model.name}"
            conflicts.append(_conflict("responses", label, found.model, edited))
        edits.append(_Edit(found.doc_id, found.model, edited))
    _write(tx, "responses", path, edits, conflicts, overwrite)
    tx.add("responses", added)
    count = _plural(len(prepared.rows), "response")
    if prepared.created:
        return f"imported {count} into {round_.name!r} (created the round)"
    unchanged = len(prepared.rows) - len(added) - len(edits)
    return (
        f"imported {count} into {round_.name!r} "
        f"({len(added)} new, {len(edits)} updated, {unchanged} unchanged)"
    )


# --- framework and matrix JSON ----------------------------------------------------------


def prepare_framework(path: Path) -> Framework:
    return load_model(Path(path), Framework)


def apply_framework(tx: Transaction, path: Path, framework: Framework) -> Framework:
    """Add a framework; one of the same name is replaced only if no round uses it."""
    existing = next((r for r in tx.frameworks() if r.model.name == framework.name), None)
    if existing is None:
        return tx.add("frameworks", [framework])[0].model
    used_by = [r.model.name for r in tx.rounds() if r.model.framework == framework.name]
    if used_by and existing.model.model_dump(exclude={"rev", "updated_by", "updated_at"}) != (
        framework.model_dump(exclude={"rev", "updated_by", "updated_at"})
    ):
        raise InvalidRecordError(
            f"{path}: framework {framework.name!r} already exists and rounds use it "
            f"({', '.join(used_by)}); give the new one another name"
        )
    return tx.merge("frameworks", existing.doc_id, existing.model, framework)


def prepare_matrix(path: Path) -> RiskMatrix:
    return load_model(Path(path), RiskMatrix)


_AXES = (
    ("likelihood", "likelihood"),
    ("inherent_likelihood", "likelihood"),
    ("impact", "impact"),
    ("inherent_impact", "impact"),
)


def _labels_lacking(matrix: RiskMatrix, rows: Iterable[Mapping[str, Any]]) -> list[str]:
    """Each label stored risks use that `matrix` lacks, with the refs using it, open first."""
    finders = {"likelihood": matrix.find_likelihood, "impact": matrix.find_impact}
    users: dict[tuple[str, str], dict[str, list[str]]] = {}
    for row in rows:
        status = "closed" if row.get("status") == RiskStatus.CLOSED.value else "open"
        for field, axis in _AXES:
            label = row.get(field)
            if isinstance(label, str) and finders[axis](label) is None:
                refs = users.setdefault((axis, label), {"open": [], "closed": []})[status]
                if str(row.get("ref")) not in refs:
                    refs.append(str(row.get("ref")))
    described = []
    for (axis, label), by_state in users.items():
        who = "; ".join(f"{state} {', '.join(refs)}" for state, refs in by_state.items() if refs)
        described.append(f"{axis} {label!r} ({who})")
    return described


def apply_matrix(tx: Transaction, path: Path, matrix: RiskMatrix) -> RiskMatrix:
    """Set the risk matrix; refused while any risk, open or closed, uses a label it lacks
    (a closed risk keeps its labels: its history and `psr check` read them)."""
    lacking = _labels_lacking(matrix, tx.rows("risks"))
    if lacking:
        raise InvalidRecordError(
            f"{path}: risks use labels the new matrix lacks: {', '.join(lacking)}; nothing "
            "was imported: edit those risks first"
        )
    current = tx.records("matrix")
    if not current:
        return tx.add("matrix", [matrix])[0].model
    stored: RiskMatrix = current[0].model
    return tx.merge("matrix", current[0].doc_id, stored, matrix)


# --- from the command line: check, then write --------------------------------------------


def import_risks(store: Store, path: Path, *, overwrite: bool = False) -> str:
    """`psr import risks`: the file checked without the lock, then written under it."""
    prepared = prepare_risks(store.snapshot(), path)
    with store.transaction() as tx:
        return apply_risks(tx, prepared, overwrite=overwrite)


def import_responses(
    store: Store,
    path: Path,
    round_name: str,
    framework_name: str | None = None,
    *,
    overwrite: bool = False,
) -> str:
    """`psr import responses`: the file checked without the lock, then written under it."""
    prepared = prepare_responses(store.snapshot(), path, round_name, framework_name)
    with store.transaction() as tx:
        return apply_responses(tx, prepared, overwrite=overwrite)


def import_framework(store: Store, path: Path) -> Framework:
    framework = prepare_framework(path)
    with store.transaction() as tx:
        return apply_framework(tx, Path(path), framework)


def import_matrix(store: Store, path: Path) -> RiskMatrix:
    matrix = prepare_matrix(path)
    with store.transaction() as tx:
        return apply_matrix(tx, Path(path), matrix)
