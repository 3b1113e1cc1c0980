"""The rules a whole file keeps, in one place: the store applies them when it reads a table
and when it writes, and `psr check` lists every break of them, so a file passes the check
exactly when the app opens it.

- Each record is checked by its model against its table's `context`: the records it refers
  to (a round's framework, a response's round and its framework's domains and levels, a
  risk's matrix labels, an activity's phase and theme, an action's framework, domain and
  offer).
- No two records of a table share an identity (a round's name, a risk's reference, a
  respondent's name and organisation in a round, ignoring case); there is one risk matrix.
  A new identity may not even look like one already there (`looks_like`): that is refused
  when written, not when read, so a file that already holds two stays readable.
- Reading the file is lenient about value rules only (`"stored"` in the context): a value
  an older psr let through (a date in 9999) loads, and the check lists it as a warning,
  as it does an activity due outside its phase.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from psr_tui.formatting import clip, format_date
from psr_tui.models import (
    Activity,
    AgendaItem,
    Decision,
    DevelopmentAction,
    DevelopmentOffer,
    Framework,
    Meeting,
    MeetingAction,
    Phase,
    Record,
    Response,
    Risk,
    RiskMatrix,
    Round,
    Stamped,
    Theme,
    describe_validation_error,
)

STORED = {"stored": True}


@dataclass(frozen=True)
class TableSpec:
    model: type[Stamped]
    label: Callable[[Any], str]
    noun: str  # one record, as a person says it: "risk"
    # The fields no two records share, ignoring case (empty: duplicates are allowed).
    identity: tuple[str, ...] = ()
    # The tables whose records this one's refer to.
    refers_to: tuple[str, ...] = ()
    # What the records that refer to this table rely on: when it changes (or the record
    # goes), those records are checked again before the change is written.
    reference: Callable[[Any], Hashable] | None = None


def identity_of(table: str, record: Stamped | Mapping[str, Any]) -> tuple[str, ...] | None:
    """What no two records of `table` share (a risk's reference, a respondent's name and
    organisation in a round, ignoring case), from a model or a stored row; None when the
    table allows duplicates. The matrix's is the same for every record: there is one."""
    if table == "matrix":
        return ("the risk matrix",)
    fields = TABLES[table].identity
    if not fields:
        return None
    read = record.__getattribute__ if isinstance(record, Stamped) else record.get
    if len(fields) == 1:  # a risk's ref, a round's name: once for each of 10,000 risks read
        return (str(read(fields[0]) or "").strip().lower(),)
    return tuple(str(read(f) or "").strip().lower() for f in fields)


# In the order a table's references come before it.
TABLES: dict[str, TableSpec] = {
    "frameworks": TableSpec(
        Framework,
        lambda m: m.name,
        "framework",
        ("name",),
        reference=lambda m: (m.name, len(m.levels), tuple(d.key for d in m.domains)),
    ),
    "rounds": TableSpec(
        Round,
        lambda m: m.name,
        "round",
        ("name",),
        refers_to=("frameworks",),
        reference=lambda m: (m.name, m.framework),
    ),
    "responses": TableSpec(
        Response,
        lambda m: f"{m.round}: {m.name}",
        "respondent",
        ("round", "name", "organisation"),
        refers_to=("rounds", "frameworks"),
    ),
    "matrix": TableSpec(
        RiskMatrix,
        lambda m: m.name,
        "risk matrix",
        reference=lambda m: (tuple(m.likelihood), tuple(m.impact)),
    ),
    "risks": TableSpec(Risk, lambda m: m.ref, "risk", ("ref",), refers_to=("matrix",)),
    "phases": TableSpec(Phase, lambda m: m.name, "phase", ("name",), reference=lambda m: m.name),
    "themes": TableSpec(Theme, lambda m: m.name, "theme", ("name",), reference=lambda m: m.name),
    "activities": TableSpec(
        Activity, lambda m: m.title, "activity", refers_to=("phases", "themes")
    ),
    "offers": TableSpec(
        DevelopmentOffer,
        lambda m: m.name,
        "development offer",
        ("name",),
        reference=lambda m: m.name.lower(),
    ),
    "actions": TableSpec(
        DevelopmentAction,
        lambda m: f"{m.domain}: {m.title}",
        "development action",
        refers_to=("frameworks", "offers"),
    ),
    # Meetings: one of a body a day; items, decisions and actions refer by key.
    "meetings": TableSpec(
        Meeting,
        lambda m: f"{m.body} {format_date(m.date)}",
        "meeting",
        ("body", "date"),
        reference=lambda m: m.key,
    ),
    "agenda_items": TableSpec(
        AgendaItem,
        lambda m: m.title,
        "agenda item",
        ("key",),
        refers_to=("meetings",),
        reference=lambda m: m.key,
    ),
    "decisions": TableSpec(
        Decision, lambda m: clip(m.text, 60), "decision", ("key",), refers_to=("agenda_items",)
    ),
    "meeting_actions": TableSpec(
        MeetingAction,
        lambda m: clip(m.description, 60),
        "meeting action",
        ("key",),
        refers_to=("agenda_items",),
    ),
}


def referring_tables(table: str) -> list[str]:
    """The tables whose records refer to records of `table`."""
    return [name for name, spec in TABLES.items() if table in spec.refers_to]


Records = Callable[[str], list[Record[Any]]]


def context(table: str, records: Records) -> dict[str, Any]:
    """The other records a table's records are checked against, read through `records`."""

    def models(name: str) -> list[Any]:
        return [r.model for r in records(name)]

    if table == "rounds":
        return {"frameworks": {f.name: f for f in models("frameworks")}}
    if table == "responses":
        frameworks = {f.name: f for f in models("frameworks")}
        return {"rounds": {r.name: frameworks.get(r.framework) for r in models("rounds")}}
    if table == "risks":
        matrices = models("matrix")
        return {"matrix": matrices[0] if matrices else None}
    if table == "activities":
        return {"phases": models("phases"), "themes": models("themes")}
    if table == "actions":
        return {"frameworks": models("frameworks"), "offers": models("offers")}
    if table == "agenda_items":
        return {"meetings": {m.key for m in models("meetings")}}
    if table in ("decisions", "meeting_actions"):
        return {"agenda_items": {i.key for i in models("agenda_items")}}
    return {}


@dataclass(frozen=True)
class Problem:
    """One break of the rules, named by table and record. A warning does not stop the app."""

    table: str
    record: str
    message: str
    warning: bool = False
    doc_id: int | None = None

    def __str__(self) -> str:
        where = f"{self.table} {self.record!r}" if self.record else self.table
        return f"{'warning: ' if self.warning else ''}{where}: {self.message}"


@dataclass
class Validated:
    """One table's rows as last read and the records validated from them, against
    `context`: a row read again unchanged, against an equal context, is the same record
    (comparing two rows costs a fraction of validating one)."""

    context: Mapping[str, Any]
    rows: dict[str, tuple[Any, Record[Any]]]
    # Each reused record's identity (`identity_of`) by doc id, worked out once per record:
    # the check for duplicates need not read 10,000 models again for one changed row.
    identities: dict[int, tuple[str, ...] | None] = field(default_factory=dict)


def validate_rows(
    table: str,
    rows: Any,
    table_context: Mapping[str, Any],
    earlier: Validated | None = None,
) -> tuple[list[Record[Any]], list[Problem], Validated]:
    """The records of one table as read from the file, every problem with them, and what
    a later read of the table can reuse (`earlier`, from the read before).

    A record that breaks only a rule about other records is still returned, so the tables
    that refer to it are checked against it rather than reported as broken too.
    """
    reusable = earlier.rows if earlier is not None and earlier.context == table_context else {}
    known = earlier.identities if reusable and earlier is not None else {}
    now = Validated(table_context, {})
    if not isinstance(rows, dict):
        return [], [Problem(table, "", "the table is not a set of records")], now
    spec = TABLES[table]
    stored = {**table_context, **STORED}
    records: list[Record[Any]] = []
    problems: list[Problem] = []
    unkept: list[int] = []  # records validated alone, not kept for the next read
    for key, row in rows.items():
        before = reusable.get(key)
        # A row handed over unchanged by a child reader is the very object read before.
        if before is not None and (before[0] is row or before[0] == row):
            records.append(before[1])
            now.rows[key] = before
            doc_id = before[1].doc_id
            if doc_id in known:
                now.identities[doc_id] = known[doc_id]
            # The snapshot keeps the row read before, equal to this one: this copy is freed
            # here, a row at a time, not all 10,000 at once on the UI thread when the app
            # lets the snapshot go for the next one.
            rows[key] = before[0]
            continue
        if not key.isdigit():
            problems.append(Problem(table, f"record {key}", "its id is not a number"))
            continue
        try:
            record = Record(int(key), spec.model.model_validate(row, context=stored))
            records.append(record)
            now.rows[key] = (row, record)
            continue
        except ValidationError as exc:
            message = describe_validation_error(exc)
        try:
            alone = spec.model.model_validate(row, context=STORED)
        except ValidationError:
            problems.append(Problem(table, f"record {key}", message))
            continue
        problems.append(Problem(table, spec.label(alone), message, doc_id=int(key)))
        records.append(Record(int(key), alone))
        unkept.append(int(key))
    found = problems + duplicates(table, records, now.identities)
    # Only the records the next read can reuse carry their identity on to it.
    for doc_id in unkept:
        now.identities.pop(doc_id, None)
    return records, found, now


def duplicates(
    table: str,
    records: list[Record[Any]],
    identities: dict[int, tuple[str, ...] | None] | None = None,
) -> list[Problem]:
    """Each record whose identity another record before it has; `identities` holds the
    identities already known by doc id, and takes the ones worked out here."""
    spec = TABLES[table]
    if table == "matrix" and len(records) > 1:
        return [Problem(table, "", f"there are {len(records)} risk matrices; there should be one")]
    known = identities if identities is not None else {}
    first: dict[Hashable, Record[Any]] = {}
    problems = []
    for record in records:
        if record.doc_id in known:
            key = known[record.doc_id]
        else:
            key = identity_of(table, record.model)
            known[record.doc_id] = key
        if key is None:
            return []
        if key in first:
            problems.append(
                Problem(
                    table,
                    spec.label(record.model),
                    f"there is another {spec.noun} {spec.label(first[key].model)!r} "
                    f"(record {first[key].doc_id})",
                    doc_id=record.doc_id,
                )
            )
        else:
            first[key] = record
    return problems


def identities(table: str, rows: Mapping[str, Any]) -> dict[tuple[str, ...], int]:
    """Each stored row's identity (`identity_of`) -> its record's id, in one pass over the
    rows (no record validated); empty when the table allows duplicates."""
    if table == "matrix":
        return {("the risk matrix",): int(next(iter(rows)))} if rows else {}
    fields = TABLES[table].identity
    if not fields:
        return {}
    if len(fields) == 1:  # a risk's ref, a round's name: no tuple made per field
        (name,) = fields
        return {(str(row.get(name) or "").strip().lower(),): int(key) for key, row in rows.items()}
    return {
        tuple(str(row.get(f) or "").strip().lower() for f in fields): int(key)
        for key, row in rows.items()
    }


# Why two identities that `looks_like` makes one are refused, or warned of.
_LOOK_ALIKE = (
    "on screen and on paper (they differ only in case, invisible characters or the form of "
    "their letters)"
)


def _is_ascii(identity: tuple[str, ...]) -> bool:
    return all(map(str.isascii, identity))


def looks_like(identity: tuple[str, ...]) -> tuple[str, ...]:
    """An identity as it looks on screen and on paper: each letter in its plain form (the
    full-width Ｒ９ is R9), without the characters that take no room (zero-width spaces and
    joiners, soft hyphens, direction marks), in any case. An ASCII identity is its own."""
    if _is_ascii(identity):
        return identity
    return tuple(
        " ".join(
            "".join(
                c for c in unicodedata.normalize("NFKC", part) if unicodedata.category(c) != "Cf"
            )
            .casefold()
            .split()
        )
        for part in identity
    )


def refuse_duplicates(
    table: str,
    taken: Mapping[tuple[str, ...], int],
    models: Sequence[Stamped],
    replacing: int | None = None,
) -> str | None:
    """Why adding `models` to the records whose identities are `taken` (`identities`), or
    putting one in place of record `replacing`, would give two records one identity, or
    two that look the same; None when it would not. No stored record is validated for it."""
    spec = TABLES[table]
    if identity_of(table, {}) is None:
        return None
    # Only identities beyond ASCII look like others: the rest are their own look.
    looks = {looks_like(key): holder for key, holder in taken.items() if not _is_ascii(key)}
    added: set[tuple[str, ...] | None] = set()
    added_looks: set[tuple[str, ...]] = set()
    for model in models:
        key = identity_of(table, model)
        holder = taken.get(key) if key is not None else None
        if key in added or (holder is not None and holder != replacing):
            if table == "matrix":
                return "there is already a risk matrix: replace it instead"
            return f"there is already a {spec.noun} {spec.label(model)!r}"
        added.add(key)
        if key is None:
            continue
        look = looks_like(key)
        alike = [taken.get(look), looks.get(look)]
        if look in added_looks or any(h is not None and h != replacing for h in alike):
            return (
                f"there is already a {spec.noun} that looks the same as {spec.label(model)!r} "
                f"{_LOOK_ALIKE}: choose another"
            )
        added_looks.add(look)
    return None


def value_warnings(
    table: str,
    rows: Mapping[str, Any],
    records: list[Record[Any]],
    table_context: Mapping[str, Any],
    errors: list[Problem],
) -> list[Problem]:
    """Values in the file that today's rules refuse at input but the app still shows (in
    the records without `errors`)."""
    spec = TABLES[table]
    broken = {p.doc_id for p in errors}
    problems = []
    for record in records:
        if record.doc_id in broken:
            continue
        try:
            spec.model.model_validate(rows[str(record.doc_id)], context=table_context)
        except ValidationError as exc:
            problems.append(
                Problem(
                    table,
                    spec.label(record.model),
                    f"{describe_validation_error(exc)} (saved by an older psr; correct it)",
                    warning=True,
                    doc_id=record.doc_id,
                )
            )
    return problems


def lookalike_warnings(table: str, records: list[Record[Any]]) -> list[Problem]:
    """Each record that looks the same as one before it (`looks_like`) without sharing its
    identity: let in by an editor or an older psr. The app still opens the file; writing
    another such record is refused."""
    if identity_of(table, {}) is None or table == "matrix":
        return []
    spec = TABLES[table]
    first_of_look: dict[tuple[str, ...], tuple[tuple[str, ...], Record[Any]]] = {}
    problems = []
    for record in records:
        identity = identity_of(table, record.model)
        assert identity is not None
        look = looks_like(identity)
        first = first_of_look.setdefault(look, (identity, record))
        if first[0] != identity:  # the same identity twice is an error (`duplicates`)
            problems.append(
                Problem(
                    table,
                    spec.label(record.model),
                    f"looks the same as the {spec.noun} {spec.label(first[1].model)!r} "
                    f"{_LOOK_ALIKE}: rename one of them",
                    warning=True,
                    doc_id=record.doc_id,
                )
            )
    return problems


def programme_warnings(activities: list[Record[Any]], phases: list[Phase]) -> list[Problem]:
    problems = []
    for record in activities:
        activity: Activity = record.model
        warning = activity.outside_phase_warning(phases)
        if warning is not None:
            problems.append(Problem("activities", activity.title, warning, warning=True))
    return problems
