"""The shared TinyDB store.

Every change is one transaction: take the file lock, read the latest file, apply the
changes to a fresh TinyDB over that data, write a temp file, fsync, rename. No TinyDB
handle outlives its transaction, so no process works from a stale query or id cache.
"""

from __future__ import annotations

import getpass
import json
import os
from collections.abc import Callable, Collection, Iterator, Mapping, MutableMapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Generic, TypeVar, cast

from pydantic import Field, ValidationError
from tinydb import TinyDB
from tinydb.storages import Storage

from psr_tui.errors import (
    ConflictError,
    CorruptFileError,
    FieldClash,
    InvalidRecordError,
    NotFoundError,
    NotSavedError,
    SchemaTooNewError,
    StoreError,
    os_reason,
)
from psr_tui.formatting import stored_date
from psr_tui.models import (
    Activity,
    AuditEntry,
    AuditField,
    AuditValue,
    Day,
    Framework,
    Model,
    Phase,
    Record,
    Response,
    Risk,
    RiskMatrix,
    Round,
    Stamped,
    Theme,
    describe_validation_error,
    needed,
)
from psr_tui.store import audit, files, rules
from psr_tui.store.lock import FairLock, LockLost, LockTimeout
from psr_tui.store.rules import STORED, TABLES

if TYPE_CHECKING:
    from psr_tui.store.changed_rows import ChildReader

SCHEMA_VERSION = 1
LOCK_TIMEOUT_SECONDS = 30

T = TypeVar("T", bound=Stamped)
# How a change words its audit entry: action, before, after.
AuditText = tuple[str, str, str]


def record_label(table: str, model: Stamped) -> str:
    return TABLES[table].label(model)


def current_user() -> str:
    return os.environ.get("PSR_USER") or getpass.getuser()


class Meta(Model):
    schema_version: int = SCHEMA_VERSION
    partnership: Annotated[str, needed("partnership name")] = "Partnership"
    as_at: Day | None = None
    # The team's display names by login: the papers name "Victoria Willett", not "vwillett".
    team: dict[str, str] = Field(default_factory=dict)

    def display_name(self, login: str) -> str:
        """The name the papers give `login`: the team list's, else the login itself."""
        return self.team.get(login) or login


class _HeldStorage(Storage):
    """TinyDB storage over data already read from the file, for one snapshot or transaction."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.dirty = False

    def read(self) -> dict[str, Any]:
        return self.data

    def write(self, data: dict[str, Any]) -> None:
        self.data = data
        self.dirty = True


class Snapshot:
    """A consistent read of the whole file. Cheap to query, never written."""

    # A table read is checked against the records it refers to, as `psr check` does. A
    # transaction reads without: mid-change (a phase renamed, its activities not yet) the
    # references are in flux; it checks each record it writes, and at the end the records
    # that refer to what it changed (`Transaction.verify`).
    checks_references = True

    def __init__(
        self, path: Path, data: dict[str, Any], validated: dict[str, rules.Validated] | None = None
    ) -> None:
        self.path = path
        self._data = data
        self._cache: dict[str, list[Record[Any]]] = {}
        # Each table as the last snapshot of the same file validated it, shared with the
        # next: a colleague's one change is one record validated, not the whole file.
        self._validated = validated if validated is not None else {}
        # Where each cached record sits in its table's list, by doc id.
        self._positions: dict[str, dict[int, int]] = {}
        # Each table's stored identities (`rules.identities`), made once when first asked.
        self._identities: dict[str, dict[tuple[str, ...], int]] = {}
        self.meta = read_meta(path, data)
        # The data as orjson serialises it, once asked (`Store.snapshot_after`).
        self._canonical: bytes | None = None

    def canonical(self) -> bytes:
        """The data as orjson serialises it (the same bytes exactly for the same tables,
        rows, values and order): what a child reader compares the file with."""
        if self._canonical is None:
            self._canonical = files.dump(self._data)
        return self._canonical

    @property
    def as_at(self) -> date:
        return self.meta.as_at or date.today()

    def records(self, table: str) -> list[Record[Any]]:
        """The table's records, checked by the rules `psr check` applies (refused with the
        first problem otherwise)."""
        if table not in self._cache:
            context = self.validation_context(table) if self.checks_references else {}
            records, problems, validated = rules.validate_rows(
                table, self._data.get(table, {}), context, self._validated.get(table)
            )
            self._validated[table] = validated
            if problems:
                more = f" and {len(problems) - 1} more" if len(problems) > 1 else ""
                raise CorruptFileError(
                    self.path, f"{problems[0]}{more}; `psr check` lists every problem"
                )
            self._cache[table] = records
        return self._cache[table]

    def read_every_table(self) -> None:
        """Read and check every table now (as the app does on opening), so that a file the
        rules refuse is refused at once, not by whichever screen reads it first."""
        for table in TABLES:
            self.records(table)

    def get(self, table: str, doc_id: int) -> Record[Any]:
        if table in self._cache:
            position = self._position(table).get(doc_id)
            found = None if position is None else self._cache[table][position]
        else:
            # Validate just this row: an update inside a transaction must not cost a
            # validation of every record in the table.
            row = self._data.get(table, {}).get(str(doc_id))
            found = None if row is None else Record(doc_id, self._validate_row(table, row))
        if found is None:
            raise NotFoundError(
                f"no record {doc_id} in {table}: another session may have deleted it"
            )
        return found

    def _position(self, table: str) -> dict[int, int]:
        positions = self._positions.get(table)
        if positions is None:
            positions = {r.doc_id: i for i, r in enumerate(self._cache[table])}
            self._positions[table] = positions
        return positions

    def identities(self, table: str) -> dict[tuple[str, ...], int]:
        """What no two records of the table share -> the record that has it, read from the
        stored rows once (no record validated): the look-up before an add and the check
        that refuses a duplicate share it."""
        found = self._identities.get(table)
        if found is None:
            found = rules.identities(table, self._data.get(table, {}))
            self._identities[table] = found
        return found

    def find_id(self, table: str, field: str, value: str) -> int | None:
        """The id of a record whose text `field` is `value` (ignoring case and surrounding
        space), read from the stored rows: no record of the table is validated for it."""
        wanted = value.strip().lower()
        if TABLES[table].identity == (field,):
            return self.identities(table).get((wanted,))
        for doc_id, row in self._data.get(table, {}).items():
            found = row.get(field)
            if isinstance(found, str) and found.strip().lower() == wanted:
                return int(doc_id)
        return None

    def rows(self, table: str) -> list[dict[str, Any]]:
        """The stored rows of a table as JSON data, not validated (for a scan of one field)."""
        return list(self._data.get(table, {}).values())

    def ids_by(self, table: str, field: str) -> dict[str, int]:
        """Each record's text `field` (lower case) -> its id, from the stored rows."""
        return {
            str(row.get(field, "")).strip().lower(): int(doc_id)
            for doc_id, row in self._data.get(table, {}).items()
        }

    def row(self, table: str, doc_id: int) -> dict[str, Any] | None:
        """The stored row of a record as JSON data (not validated), or None."""
        found: dict[str, Any] | None = self._data.get(table, {}).get(str(doc_id))
        return found

    def _validate_row(self, table: str, row: dict[str, Any]) -> Any:
        try:
            return TABLES[table].model.model_validate(row, context=STORED)
        except ValidationError as exc:
            raise CorruptFileError(
                self.path, f"table {table}: {describe_validation_error(exc)}"
            ) from None

    # Typed accessors used across the app.

    def frameworks(self) -> list[Record[Framework]]:
        return self.records("frameworks")

    def framework(self, name: str) -> Framework | None:
        return next((r.model for r in self.frameworks() if r.model.name == name), None)

    def rounds(self) -> list[Record[Round]]:
        return sorted(self.records("rounds"), key=lambda r: (r.model.date, r.doc_id))

    def round(self, name: str) -> Record[Round] | None:
        wanted = name.strip().lower()
        return next((r for r in self.rounds() if r.model.name.lower() == wanted), None)

    def previous_round(self, name: str) -> Record[Round] | None:
        """The round of the same framework just before the named one, if any."""
        found = self.round(name)
        if found is None:
            return None
        same = [r for r in self.rounds() if r.model.framework == found.model.framework]
        index = [r.doc_id for r in same].index(found.doc_id)
        return same[index - 1] if index > 0 else None

    def latest_round(self) -> Record[Round] | None:
        rounds = self.rounds()
        return rounds[-1] if rounds else None

    def round_or_latest(self, name: str | None) -> Record[Round] | None:
        return self.round(name) if name else self.latest_round()

    def assessment_round(self, name: str | None) -> tuple[Round, Framework]:
        """The named round (else the latest) and its framework, or NotFoundError saying why."""
        record = self.round_or_latest(name)
        if record is None:
            known = ", ".join(r.model.name for r in self.rounds()) or "none yet"
            wanted = f"no round named {name!r}" if name else "no assessment rounds"
            raise NotFoundError(f"{wanted} (rounds: {known})")
        framework = self.framework(record.model.framework)
        if framework is None:
            raise NotFoundError(
                f"round {record.model.name!r} uses unknown framework {record.model.framework!r}"
            )
        return record.model, framework

    def responses(self, round_name: str | None = None) -> list[Record[Response]]:
        records: list[Record[Response]] = self.records("responses")
        if round_name is None:
            return records
        return [r for r in records if r.model.round == round_name]

    def matrix(self) -> RiskMatrix | None:
        records: list[Record[RiskMatrix]] = self.records("matrix")
        return records[0].model if records else None

    def risks(self) -> list[Record[Risk]]:
        return self.records("risks")

    def risk(self, ref: str) -> Record[Risk] | None:
        wanted = ref.strip().lower()
        return next((r for r in self.risks() if r.model.ref.lower() == wanted), None)

    def phases(self) -> list[Record[Phase]]:
        return sorted(self.records("phases"), key=lambda r: (r.model.start, r.doc_id))

    def themes(self) -> list[Record[Theme]]:
        return self.records("themes")

    def activities(self) -> list[Record[Activity]]:
        return self.records("activities")

    def validation_context(self, table: str) -> dict[str, Any]:
        """The other records a table's records are checked against (`rules.context`)."""
        return rules.context(table, self.records)

    def check_new(
        self, table: str, items: Sequence[Stamped | Mapping[str, Any]]
    ) -> NewRecords[Any]:
        """Validate records to add (models, or their field values) against this snapshot's
        data and make their stored rows, with no lock: `Transaction.add_checked` stores
        them if nothing they were checked against has changed since. An item that fails
        is listed in `problems` by its index, and none is stored while any is."""
        model_type = TABLES[table].model
        new: NewRecords[Any] = NewRecords(table)
        context: dict[str, Any] = {}
        for index, item in enumerate(items):
            values = item.model_dump() if isinstance(item, Model) else item
            try:
                if index == 0:
                    context = self.validation_context(table)
                model = model_type.model_validate(values, context=context)
            except ValidationError as exc:
                new.problems.append((index, describe_validation_error(exc)))
                continue
            row = model.model_dump(mode="json")
            new.models.append(model)
            new.contexts.append(context)
            new.rows.append(row)
            new.summaries.append(_row_summary(row))
        return new


@dataclass
class NewRecords(Generic[T]):
    """Records validated for adding, with their rows and audit text (`Snapshot.check_new`)."""

    table: str
    models: list[T] = field(default_factory=list)
    contexts: list[dict[str, Any]] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    summaries: list[str] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)

    def only(self, keep: Collection[int]) -> NewRecords[T]:
        """The records at the positions `keep` (of those that passed)."""
        picked = sorted(set(keep))
        return NewRecords(
            self.table,
            [self.models[i] for i in picked],
            [self.contexts[i] for i in picked],
            [self.rows[i] for i in picked],
            [self.summaries[i] for i in picked],
            list(self.problems),
        )


def read_meta(path: Path, data: dict[str, Any]) -> Meta:
    rows = list(data.get("meta", {}).values())
    if not rows:
        raise CorruptFileError(path, "it has no meta table")
    found = rows[0].get("schema_version")
    if not isinstance(found, int):
        raise CorruptFileError(path, "its schema version is missing")
    if found > SCHEMA_VERSION:
        raise SchemaTooNewError(path, found, SCHEMA_VERSION)
    try:
        return Meta.model_validate(rows[0], context=STORED)
    except ValidationError as exc:
        raise CorruptFileError(path, f"meta: {describe_validation_error(exc)}") from None


class Transaction(Snapshot):
    """Changes applied to the latest data under the lock; written once at the end."""

    checks_references = False

    def __init__(self, path: Path, data: dict[str, Any], user: str) -> None:
        super().__init__(path, data)
        self._storage = _HeldStorage(data)
        self._db = TinyDB(storage=lambda: self._storage)
        self.user = user
        self.audit: list[AuditEntry] = []
        # Tables whose records others refer to, changed in a way those may depend on.
        self._references_changed: set[str] = set()

    @property
    def dirty(self) -> bool:
        return self._storage.dirty

    @property
    def data(self) -> dict[str, Any]:
        return self._storage.data

    def _stamp(self, model: T, rev: int) -> tuple[T, dict[str, Any]]:
        stamped = model.model_copy(
            update={"rev": rev, "updated_by": self.user, "updated_at": datetime.now(UTC)}
        )
        return stamped, stamped.model_dump(mode="json")

    def _checked(self, table: str, model: T) -> T:
        """Validate afresh as the table's model, by every value rule and against the records
        it refers to: models are mutable and skip validation on assignment, and a record
        that fails validation would make the file unreadable."""
        context = self.validation_context(table)
        try:
            checked = TABLES[table].model.model_validate(model.model_dump(), context=context)
        except ValidationError as exc:
            raise InvalidRecordError(describe_validation_error(exc)) from None
        return cast(T, checked)

    def verify(self) -> None:
        """Before the write: the records that refer to a changed or deleted record still
        find what they refer to (a deleted phase's activities, a risk whose label a new
        matrix dropped); InvalidRecordError names the first that would not."""
        for table in sorted(self._references_changed):
            for referring in rules.referring_tables(table):
                _, problems, _ = rules.validate_rows(
                    referring, self.data.get(referring, {}), self.validation_context(referring)
                )
                if problems:
                    raise InvalidRecordError(f"the change would leave {problems[0]}")

    def _log(
        self,
        action: str,
        table: str,
        label: str,
        before: str = "",
        after: str = "",
        fields: list[AuditField] | None = None,
        *,
        doc_id: int | None = None,
        values: dict[str, tuple[AuditValue, AuditValue]] | None = None,
    ) -> None:
        self.audit.append(
            AuditEntry(
                at=datetime.now(UTC),
                user=self.user,
                action=action,
                table=table,
                record=label,
                before=before,
                after=after,
                fields=fields or [],
                doc_id=doc_id,
                values=values or {},
            )
        )

    def _changed(
        self, table: str, doc_id: int, model: Stamped | None, *, added: bool = False
    ) -> None:
        """Keep an already-read table in step with a change (None = deleted), so that a
        loop of changes never re-reads and re-validates the whole table."""
        identities = self._identities.get(table)
        if identities is not None:
            if added and model is not None:
                identities[rules.identity_of(table, model) or ()] = doc_id
            else:
                del self._identities[table]  # made again from the rows when next asked
        cached = self._cache.get(table)
        if cached is None:
            return
        positions = self._position(table)
        position = positions.get(doc_id)
        if model is None:
            if position is not None:
                del cached[position]
                del self._positions[table]  # the records after it moved up: found again
        elif position is None:
            positions[doc_id] = len(cached)
            cached.append(Record(doc_id, model))
        else:
            cached[position] = Record(doc_id, model)

    def insert(self, table: str, model: T) -> int:
        return self.add(table, [model])[0].doc_id

    def insert_many(self, table: str, models: list[T]) -> list[int]:
        return [record.doc_id for record in self.add(table, models)]

    def add(self, table: str, models: Sequence[T]) -> list[Record[T]]:
        """Add records in one step, each validated once, and return them as stored."""
        return self.add_checked(self.check_new(table, models))

    def add_checked(self, new: NewRecords[T]) -> list[Record[T]]:
        """Store records checked by `check_new` (here or on a snapshot, before the lock).

        Refused if any failed its check, or if what one was checked against (the matrix,
        the framework...) is no longer what this transaction reads. One step because
        TinyDB rebuilds a table on every insert: adding thousands of records one by one
        would take time quadratic in their number.
        """
        if new.problems:
            raise InvalidRecordError(new.problems[0][1])
        table = new.table
        clash = rules.refuse_duplicates(table, self.identities(table), new.models)
        if clash:
            raise InvalidRecordError(clash)
        confirmed: set[int] = set()
        for context in new.contexts:
            if id(context) not in confirmed:
                if self.validation_context(table) != context:
                    raise StoreError(
                        f"what the new {table} were checked against was changed in another "
                        "session meanwhile: nothing was added, try again"
                    )
                confirmed.add(id(context))
        now = datetime.now(UTC)
        stamp = {"rev": 1, "updated_by": self.user, "updated_at": now}
        for model in new.models:
            model.__dict__.update(stamp)  # as stored; the models are this batch's own
        # Written as the table's model writes them: its schema is built already, where
        # Stamped's would be built for this alone (a few ms of every `psr risk add`).
        stamp_json = new.models[0].model_dump(mode="json", include=set(stamp)) if new.models else {}
        doc_ids = self._db.table(table).insert_multiple([{**row, **stamp_json} for row in new.rows])
        records = []
        for doc_id, model, summary in zip(doc_ids, new.models, new.summaries, strict=True):
            self._changed(table, doc_id, model, added=True)
            self.audit.append(
                AuditEntry(
                    at=now,
                    user=self.user,
                    action="add",
                    table=table,
                    record=record_label(table, model),
                    before="",
                    after=summary,
                    doc_id=doc_id,
                )
            )
            records.append(Record(doc_id, model))
        return records

    def update(
        self,
        table: str,
        doc_id: int,
        model: T,
        expected_rev: int | None = None,
        *,
        audit: AuditText | None = None,
    ) -> T:
        """Replace a record. `expected_rev` is the rev the caller read; a newer one conflicts.
        `audit` words the audit entry (action, before, after) instead of the field diff."""
        current = self.get(table, doc_id).model
        if expected_rev is not None and current.rev != expected_rev:
            raise ConflictError(
                table, record_label(table, current), current.updated_by, current.updated_at
            )
        model = self._checked(table, model)
        spec = TABLES[table]
        if rules.identity_of(table, model) != rules.identity_of(table, current):
            clash = rules.refuse_duplicates(table, self.identities(table), [model], doc_id)
            if clash:
                raise InvalidRecordError(clash)
        if spec.reference is not None and spec.reference(model) != spec.reference(current):
            self._references_changed.add(table)
        stamped, row = self._stamp(model, current.rev + 1)
        self._db.table(table).update(_replace_with(row), doc_ids=[doc_id])
        self._changed(table, doc_id, stamped)
        action, before, after = audit or ("edit", *_diff(current, model))
        fields = None if audit else audit_fields(current, model)
        self._log(
            action,
            table,
            record_label(table, model),
            before,
            after,
            fields,
            doc_id=doc_id,
            values=plain_changes(current, model),
        )
        return stamped

    def merge(
        self,
        table: str,
        doc_id: int,
        base: T,
        edited: T,
        *,
        overwrite: bool = False,
        audit: AuditText | None = None,
    ) -> T:
        """Save what this session changed, `base` (as it read the record) -> `edited`, onto
        the latest version of the record: the three-way merge every edit goes through.

        Only the changed fields are written, so another session's change to any other field
        stays. A field that both changed to different values is a clash: ConflictError lists
        each one, unless `overwrite` says to put this session's values over theirs (still
        only in the fields this session changed). A mapping field (a response's scores)
        merges key by key, so two officers scoring different domains never clash.
        """
        current = self.get(table, doc_id).model
        changes = field_changes(base, edited)
        if not changes:
            return cast(T, current)
        latest = current.model_dump()
        clashes = []
        for path, (was, now) in changes.items():
            theirs = _value_at(latest, path)
            if theirs != was and theirs != now:
                clashes.append(FieldClash(path, was, theirs, now))
        if clashes and not overwrite:
            raise ConflictError(
                table,
                record_label(table, current),
                current.updated_by,
                current.updated_at,
                tuple(clashes),
            )
        for path, (_was, now) in changes.items():
            _set_value_at(latest, path, now)
        try:
            # Read as stored: `update` then checks the result by every rule.
            merged = cast(T, type(current).model_validate(latest, context=STORED))
        except ValidationError as exc:
            # Each side was sound; together they break a rule that ties fields (a meeting
            # moved before the day its papers were issued).
            raise InvalidRecordError(
                f"{record_label(table, current)} was changed by "
                f"{current.updated_by or 'another session'} meanwhile, and with that change "
                f"this one is refused: {describe_validation_error(exc)}"
            ) from None
        if merged == current:
            return merged
        return self.update(table, doc_id, merged, audit=audit)

    def delete(self, table: str, doc_id: int, expected_rev: int | None = None) -> None:
        current = self.get(table, doc_id).model
        if expected_rev is not None and current.rev != expected_rev:
            raise ConflictError(
                table, record_label(table, current), current.updated_by, current.updated_at
            )
        self._db.table(table).remove(doc_ids=[doc_id])
        if TABLES[table].reference is not None:
            self._references_changed.add(table)
        self._changed(table, doc_id, None)
        self._log(
            "delete",
            table,
            record_label(table, current),
            before=_summary(current),
            doc_id=doc_id,
        )

    def set_meta(self, **changes: Any) -> Meta:
        before = self.meta
        try:
            self.meta = Meta.model_validate({**before.model_dump(), **changes})
        except ValidationError as exc:
            raise InvalidRecordError(describe_validation_error(exc)) from None
        self._db.table("meta").update(_replace_with(self.meta.model_dump(mode="json")), doc_ids=[1])
        before_text, after_text = _diff(before, self.meta)
        self._log("edit", "meta", "settings", before_text, after_text)
        return self.meta


def _replace_with(new: dict[str, Any]) -> Callable[[MutableMapping[Any, Any]], None]:
    def transform(doc: MutableMapping[Any, Any]) -> None:
        doc.clear()
        doc.update(new)

    return transform


_SKIP_IN_AUDIT = {"rev", "updated_by", "updated_at"}
# Not told in an entry's text either: the text id other records refer to a record by.
_SKIP_IN_TEXT = {*_SKIP_IN_AUDIT, "key"}

FieldPath = tuple[str, ...]


def field_changes(base: Model, edited: Model) -> dict[FieldPath, tuple[Any, Any]]:
    """The fields `edited` changed from `base`, each with its value before and after.

    A mapping field counts key by key (an absent key is None); any other field, a list
    included, counts as one value.
    """
    old = base.model_dump(exclude=_SKIP_IN_AUDIT)
    new = edited.model_dump(exclude=_SKIP_IN_AUDIT)
    changes: dict[FieldPath, tuple[Any, Any]] = {}
    for name in new:
        was, now = old.get(name), new[name]
        if was == now:
            continue
        if isinstance(was, dict) and isinstance(now, dict):
            for key in {**was, **now}:
                if was.get(key) != now.get(key):
                    changes[(name, key)] = (was.get(key), now.get(key))
        else:
            changes[(name,)] = (was, now)
    return changes


def _value_at(data: dict[str, Any], path: FieldPath) -> Any:
    value: Any = data
    for part in path:
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _set_value_at(data: dict[str, Any], path: FieldPath, value: Any) -> None:
    *parents, last = path
    target = data
    for part in parents:
        if not isinstance(target.get(part), dict):
            target[part] = {}
        target = target[part]
    if value is None and parents:
        target.pop(last, None)  # a mapping key set to nothing is removed
    else:
        target[last] = value


def _plain_fields(model: Model) -> dict[str, AuditValue]:
    """A record's plain values as JSON, a mapping's keys flattened ("scores.leadership")."""
    plain: dict[str, AuditValue] = {}
    for name, value in model.model_dump(mode="json", exclude=_SKIP_IN_AUDIT).items():
        if isinstance(value, dict):
            for key, item in value.items():
                if _is_plain(item):
                    plain[f"{name}.{key}"] = item
        elif _is_plain(value):
            plain[name] = value
    return plain


def _is_plain(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def plain_changes(before: Model, after: Model) -> dict[str, tuple[AuditValue, AuditValue]]:
    """Each plain field that differs between two versions of a record, with its value
    before and after: an edit's audit entry's `fields`."""
    old, new = _plain_fields(before), _plain_fields(after)
    return {
        name: (old.get(name), new.get(name))
        for name in {**old, **new}
        if old.get(name) != new.get(name)
    }


_AUDIT_TEXT_LIMIT = 200


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _summary(model: Model) -> str:
    return _row_summary(model.model_dump(mode="json"))


def _row_summary(row: Mapping[str, Any]) -> str:
    text = ", ".join(
        f"{k}={_short(v)}"
        for k, v in row.items()
        if k not in _SKIP_IN_TEXT and v not in (None, "", [], {})
    )
    return text[:_AUDIT_TEXT_LIMIT]


def _diff(before: Model, after: Model) -> tuple[str, str]:
    old = before.model_dump(mode="json", exclude=_SKIP_IN_TEXT)
    new = after.model_dump(mode="json", exclude=_SKIP_IN_TEXT)
    changed = [k for k in new if old.get(k) != new[k]]
    return (
        "; ".join(f"{k}: {_short(old.get(k))}" for k in changed)[:_AUDIT_TEXT_LIMIT],
        "; ".join(f"{k}: {_short(new[k])}" for k in changed)[:_AUDIT_TEXT_LIMIT],
    )


def audit_fields(before: Model, after: Model) -> list[AuditField]:
    """The fields an edit changed, a mapping's keys one by one, each value whole up to a
    limit: two long texts that differ late still read differently."""
    return [
        AuditField(field=".".join(path), before=_field_text(was), after=_field_text(now))
        for path, (was, now) in field_changes(before, after).items()
    ]


def _field_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        text = value
    elif isinstance(value, date):
        text = stored_date(value)
    else:
        text = json.dumps(value, default=str, ensure_ascii=False)
    return text if len(text) <= _AUDIT_TEXT_LIMIT else text[: _AUDIT_TEXT_LIMIT - 1] + "…"


def describe_entries(entries: list[AuditEntry]) -> str:
    """What a change does, for a message: 'add risks R9', or a count and the first."""
    if not entries:
        return ""
    first = entries[0]
    text = f"{first.action} {first.table} {first.record}"
    if len(entries) > 1:
        text = f"{len(entries)} changes: {text}, …"
    return text


class Store:
    """One partnership's data file. Cheap to construct; holds no open handle.

    `path` is resolved to the real file once, here: a symbolic link to the database stays a
    link, and every session that reaches the file by any name locks and replaces the same
    file (the lock was taken beside the link, and the link replaced by a plain file).
    """

    def __init__(self, path: Path | str, user: str | None = None) -> None:
        self.path = Path(os.path.realpath(Path(path).expanduser()))
        self.user = user or current_user()
        self._lock = FairLock(self.path, timeout=LOCK_TIMEOUT_SECONDS)
        self._snapshot: tuple[files.FileSignature | None, Snapshot] | None = None
        self._validated: dict[str, rules.Validated] = {}
        self._child_reader: ChildReader | None = None

    def exists(self) -> bool:
        return self.path.exists()

    def signature(self) -> files.FileSignature | None:
        return files.signature(self.path)

    def snapshot(self) -> Snapshot:
        """The file as it is now; reuses the last parse while the file is unchanged."""
        sig = self.signature()
        if self._snapshot is not None and sig is not None and self._snapshot[0] == sig:
            return self._snapshot[1]
        # Take the signature before reading: if the file changes in between, the next call
        # sees a different signature and reads again.
        snap = Snapshot(self.path, files.read_file(self.path), self._validated)
        self._snapshot = (sig, snap)
        return snap

    # From this size on, `snapshot_after` reads through a child process: below it, parsing
    # and comparing in this process takes less than handing the data over.
    CHILD_READS_FROM_BYTES = 512 * 1024

    def snapshot_after(self, earlier: Snapshot) -> Snapshot:
        """The file as it is now, as `snapshot()` gives it, for a process that holds
        `earlier` (a snapshot of this file) and must not spend its GIL on the read: a large
        file is parsed and compared with `earlier` in a child process
        (`changed_rows`), and only the rows that changed are handed back; the result is
        checked to be the file exactly, and on any doubt the file is read here."""
        sig = self.signature()
        if self._snapshot is not None and sig is not None and self._snapshot[0] == sig:
            return self._snapshot[1]
        if sig is None or sig.size < self.CHILD_READS_FROM_BYTES:
            return self.snapshot()
        if self._child_reader is None:
            from psr_tui.store.changed_rows import ChildReader

            self._child_reader = ChildReader()
        read = self._child_reader.read(self.path, earlier._data, earlier.canonical())
        if read is None:
            return self.snapshot()
        data, canonical = read
        snap = Snapshot(self.path, data, self._validated)
        snap._canonical = canonical
        self._snapshot = (sig, snap)
        return snap

    def close(self) -> None:
        """End the child process `snapshot_after` reads through, if it started one."""
        if self._child_reader is not None:
            self._child_reader.close()

    @contextmanager
    def _locked(self) -> Iterator[None]:
        try:
            fd = self._lock.acquire()
        except LockTimeout:
            raise StoreError(
                f"{self.path} is locked by another psr session; try again in a moment"
            ) from None
        except OSError as exc:
            where = exc.filename or self.path.parent
            raise StoreError(
                f"cannot lock {self.path} for writing: {where}: {os_reason(exc)}"
            ) from None
        try:
            yield
        finally:
            self._lock.release(fd)

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        with self._locked():
            tx = Transaction(self.path, files.read_file(self.path), self.user)
            yield tx
            if tx.dirty:
                tx.verify()
                self._write(tx.data, tx.audit)

    def _write(self, data: dict[str, Any], entries: list[AuditEntry]) -> None:
        """Replace the file with `data` and append its audit `entries`, as one unit (see
        `audit.Appender`); call under the lock. Raises NotSavedError saying why when
        the file or its log cannot be written: then neither has changed."""
        payload = files.dump(data)
        what = describe_entries(entries)
        try:
            files.check_replaceable(self.path)
            files.remove_orphan_temp_files(self.path)
            with audit.Appender(self.path) as log:

                def land_entries() -> None:
                    self._lock.check_still_held()
                    log.write(entries)

                files.atomic_write(self.path, payload, before_replace=land_entries)
        except NotSavedError:
            raise
        except (StoreError, LockLost) as exc:
            raise NotSavedError(str(exc), what) from None
        except OSError as exc:
            raise NotSavedError(f"cannot save {self.path} ({os_reason(exc)})", what) from None

    def create(
        self,
        partnership: str,
        *,
        as_at: date | None = None,
        force: bool = False,
        populate: Callable[[Transaction], None] | None = None,
    ) -> Path | None:
        """Write a new database, filled by `populate`. Refuses an existing file unless `force`.

        Creation and filling are one write under the lock: no other session ever sees the
        file half-filled, and a failure in `populate` leaves no file behind.

        With `force`, the file replaced is first copied to a dated backup beside it
        (`files.backup_copy`), and so is its audit log: the copy is then a whole database
        that `psr --db BACKUP` opens with its history. The log itself stays and goes on
        (append-only: the replacement is one more entry, naming the backup). Returns the
        backup's path, or None when there was no file to replace.
        """
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._locked():
            replacing = self.path.exists()
            if replacing and not force:
                raise StoreError(f"{self.path} already exists; it was left unchanged")
            try:
                meta = Meta(partnership=partnership, as_at=as_at)
            except ValidationError as exc:
                raise InvalidRecordError(describe_validation_error(exc)) from None
            tx = Transaction(self.path, {"meta": {"1": meta.model_dump(mode="json")}}, self.user)
            created = AuditEntry(
                at=datetime.now(UTC),
                user=self.user,
                action="create",
                table="meta",
                record=partnership,
            )
            tx.audit.append(created)
            if populate is not None:
                populate(tx)
            backup = self._backup(created) if replacing else None
            try:
                self._write(tx.data, tx.audit)
            except BaseException:
                if backup is not None:
                    backup.unlink(missing_ok=True)
                    audit.audit_path(backup).unlink(missing_ok=True)
                raise
        return backup

    def _backup(self, created: AuditEntry) -> Path:
        """Copy the file about to be replaced, and its log, beside it (under the lock)."""
        try:
            files.check_replaceable(self.path)
            backup = files.backup_copy(self.path)
            log = audit.audit_path(self.path)
            if log.exists():
                try:
                    files.copy_file(log, audit.audit_path(backup))
                except BaseException:
                    backup.unlink(missing_ok=True)
                    raise
        except StoreError as exc:
            raise NotSavedError(str(exc), "the new database") from None
        except OSError as exc:
            raise NotSavedError(
                f"cannot keep a backup of {self.path} ({os_reason(exc)})", "the new database"
            ) from None
        created.before = f"replaced the previous file, kept at {backup}"
        return backup

    def history(self, limit: int | None = None) -> list[AuditEntry]:
        return audit.read(self.path, limit)
