"""The programme's changes: phases, themes and their lists, activities.

A rename of a phase or a theme carries its activities in the same transaction, so no
activity is ever left naming a phase or theme that no longer exists. A theme's workstreams,
objectives and deliverables are lists inside one record: each item is found in the latest
list by what identifies it (a workstream's name, an objective's or deliverable's text) and
changed there, field by field, so two officers editing different items of one theme at
once never clash and neither loses the other's edit. Warnings (a due date outside its
phase) come back with what was saved, for the caller to show; they never refuse a save.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar

from psr_tui import analysis
from psr_tui.changes import delete_as_read, validated
from psr_tui.errors import ConflictError, FieldClash, InvalidRecordError, NotFoundError
from psr_tui.models import (
    Activity,
    ActivityStatus,
    Deliverable,
    Model,
    Phase,
    Record,
    Stamped,
    Theme,
    Workstream,
)
from psr_tui.store import Snapshot, Transaction

S = TypeVar("S", bound=Stamped)
M = TypeVar("M", bound=Model)
Values = Mapping[str, Any]


@dataclass(frozen=True)
class Saved(Generic[S]):
    """What a change saved, and what the user should be told about it."""

    record: Record[S]
    warnings: tuple[str, ...] = ()


def _edited(base: M, values: Values) -> M:
    """`base` with `values` applied, validated as its model (a bad value is refused here)."""
    return validated(type(base), {**base.model_dump(), **values})


def _unique_name(kind: str, name: str, others: Collection[str]) -> None:
    if name.casefold() in {other.casefold() for other in others}:
        raise InvalidRecordError(f"there is already a {kind} called {name!r}: choose another name")


# --- phases -------------------------------------------------------------------------------


def add_phase(tx: Transaction, values: Values) -> Saved[Phase]:
    """A new phase from its name, start and end."""
    phase = validated(Phase, values)
    _unique_name("phase", phase.name, [p.model.name for p in tx.phases()])
    return Saved(tx.add("phases", [phase])[0])


def edit_phase(
    tx: Transaction, doc_id: int, base: Phase, values: Values, *, overwrite: bool = False
) -> Saved[Phase]:
    """Change a phase's name or dates; a rename moves its activities with it. Warns of its
    activities whose due dates fall outside the phase's (new) dates."""
    before = tx.get("phases", doc_id).model.name
    edited = _edited(base, values)
    if edited.name != base.name:
        _unique_name(
            "phase", edited.name, [p.model.name for p in tx.phases() if p.doc_id != doc_id]
        )
    saved = tx.merge("phases", doc_id, base, edited, overwrite=overwrite)
    if saved.name != before:
        _carry(tx, "phase", before, saved.name)
    outside = sum(
        1
        for a in tx.activities()
        if a.model.phase == saved.name and analysis.due_outside_phase(a.model, [saved])
    )
    warnings: tuple[str, ...] = ()
    if outside:
        verb = "is" if outside == 1 else "are"
        warnings = (
            f"{_plural(outside, 'activity', 'activities')} of {saved.name} {verb} due outside "
            f"its dates ({analysis.phase_dates(saved)})",
        )
    return Saved(Record(doc_id, saved), warnings)


def check_phase_empty(snap: Snapshot, name: str) -> None:
    """Refuse to delete a phase that still has activities (InvalidRecordError says so)."""
    used = sum(1 for a in snap.activities() if a.model.phase == name)
    if used:
        raise InvalidRecordError(
            f"{name} has {_plural(used, 'activity', 'activities')}: "
            "move or delete them before the phase"
        )


def delete_phase(tx: Transaction, doc_id: int, base: Phase, *, overwrite: bool = False) -> None:
    """Delete an empty phase: one with activities is refused, even if another session
    added them since the user looked."""
    check_phase_empty(tx, tx.get("phases", doc_id).model.name)
    delete_as_read(tx, "phases", doc_id, base, overwrite=overwrite)


def _plural(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count == 1 else plural}"


def _carry(tx: Transaction, field: Literal["phase", "theme"], old: str, new: str) -> None:
    """Move every activity naming `old` (in the latest data) to `new`."""
    for activity in tx.activities():
        if getattr(activity.model, field) == old:
            moved = activity.model.model_copy(update={field: new})
            tx.merge("activities", activity.doc_id, activity.model, moved)


# --- themes -------------------------------------------------------------------------------


def add_theme(tx: Transaction, values: Values) -> Saved[Theme]:
    """A new theme from its name, lead and kind; its lists start empty."""
    theme = validated(Theme, values)
    _unique_name("theme", theme.name, [t.model.name for t in tx.themes()])
    return Saved(tx.add("themes", [theme])[0])


def edit_theme(
    tx: Transaction, doc_id: int, base: Theme, values: Values, *, overwrite: bool = False
) -> Saved[Theme]:
    """Change a theme's name, lead or kind; a rename moves its activities with it."""
    before = tx.get("themes", doc_id).model.name
    edited = _edited(base, values)
    if edited.name != base.name:
        _unique_name(
            "theme", edited.name, [t.model.name for t in tx.themes() if t.doc_id != doc_id]
        )
    saved = tx.merge("themes", doc_id, base, edited, overwrite=overwrite)
    if saved.name != before:
        _carry(tx, "theme", before, saved.name)
    return Saved(Record(doc_id, saved))


def theme_activities(snap: Snapshot, theme: str) -> list[Record[Activity]]:
    """The activities of a theme: what deleting the theme deletes with it."""
    return [a for a in snap.activities() if a.model.theme == theme]


def delete_theme(
    tx: Transaction,
    doc_id: int,
    base: Theme,
    activity_ids: Collection[int],
    *,
    overwrite: bool = False,
) -> int:
    """Delete a theme and its activities together; returns how many activities went.

    `activity_ids` are the activities the user was told would go with it: if another
    session has added one to the theme or moved one away since, the user confirmed
    something else, so that is a conflict unless `overwrite`.
    """
    name = tx.get("themes", doc_id).model.name
    own = theme_activities(tx, name)
    if not overwrite and {a.doc_id for a in own} != set(activity_ids):
        # Named by whoever added the newest of them; a removed one leaves no trace here.
        added = [a.model for a in own if a.doc_id not in activity_ids]
        newest = max(added, key=lambda a: a.rev, default=None)
        raise ConflictError(
            "activities",
            f"the activities of {name}",
            newest.updated_by if newest else "",
            newest.updated_at if newest else None,
        )
    delete_as_read(tx, "themes", doc_id, base, overwrite=overwrite)
    for activity in own:
        tx.delete("activities", activity.doc_id)
    return len(own)


# --- a theme's workstreams, objectives and deliverables ----------------------------------

ListField = Literal["workstreams", "objectives", "deliverables"]
Item = Workstream | Deliverable | str
ITEM_KIND: dict[ListField, str] = {
    "workstreams": "workstream",
    "objectives": "objective",
    "deliverables": "deliverable",
}


def item_label(item: Item) -> str:
    """What identifies an item in its list, and names it to the user."""
    if isinstance(item, Workstream):
        return item.name
    if isinstance(item, Deliverable):
        return item.text
    return item


def _fields(item: Item) -> dict[str, Any]:
    return {"text": item} if isinstance(item, str) else item.model_dump()


def _locate(items: list[Item], wanted: Item, index: int) -> int | None:
    """Where `wanted` (as the session read it, at `index`) is in the latest list."""
    key = item_label(wanted).casefold()
    found = [i for i, item in enumerate(items) if item_label(item).casefold() == key]
    if index in found:
        return index
    return found[0] if found else None


def _theme_items(tx: Transaction, theme_id: int, field: ListField) -> tuple[Theme, list[Item]]:
    theme: Theme = tx.get("themes", theme_id).model
    return theme, list(getattr(theme, field))


def _write_items(
    tx: Transaction, theme_id: int, theme: Theme, field: ListField, items: list[Item]
) -> Saved[Theme]:
    # The theme was read in this transaction, so this writes the one list and nothing else.
    saved = tx.merge("themes", theme_id, theme, theme.model_copy(update={field: items}))
    return Saved(Record(theme_id, saved))


def _not_found(theme: Theme, field: ListField, item: Item) -> NotFoundError:
    return NotFoundError(
        f"the {ITEM_KIND[field]} {item_label(item)!r} of {theme.name} was renamed or deleted "
        "in another session: look again"
    )


def _check_label(
    theme: Theme, field: ListField, items: list[Item], item: Item, skip: int | None
) -> None:
    others = [item_label(x) for i, x in enumerate(items) if i != skip]
    if item_label(item).casefold() in {o.casefold() for o in others}:
        raise InvalidRecordError(
            f"{theme.name} already has the {ITEM_KIND[field]} {item_label(item)!r}"
        )


def _add_item(tx: Transaction, theme_id: int, field: ListField, item: Item) -> Saved[Theme]:
    theme, items = _theme_items(tx, theme_id, field)
    _check_label(theme, field, items, item, None)
    return _write_items(tx, theme_id, theme, field, [*items, item])


def _edit_item(
    tx: Transaction,
    theme_id: int,
    field: ListField,
    index: int,
    base: Item,
    edited: Item,
    overwrite: bool,
) -> Saved[Theme]:
    """Apply what this session changed in one item (base -> edited) to that item in the
    latest list: the same three-way rule as `Transaction.merge`, one level down."""
    theme, items = _theme_items(tx, theme_id, field)
    at = _locate(items, base, index)
    if at is None:
        raise _not_found(theme, field, base)
    latest, mine, was = _fields(items[at]), _fields(edited), _fields(base)
    where = (field, item_label(base))
    clashes = tuple(
        # An objective is its text: the item itself is the field.
        FieldClash(where if isinstance(base, str) else (*where, name), was[name], theirs, now)
        for name, now in mine.items()
        if now != was[name] and (theirs := latest[name]) not in (was[name], now)
    )
    if clashes and not overwrite:
        raise ConflictError(
            "themes",
            f"the {ITEM_KIND[field]} {item_label(base)!r} of {theme.name}",
            theme.updated_by,
            theme.updated_at,
            clashes,
        )
    merged = {**latest, **{k: v for k, v in mine.items() if v != was[k]}}
    item: Item = merged["text"] if isinstance(base, str) else validated(type(base), merged)
    _check_label(theme, field, items, item, at)
    items[at] = item
    return _write_items(tx, theme_id, theme, field, items)


def _delete_item(
    tx: Transaction, theme_id: int, field: ListField, index: int, base: Item, overwrite: bool
) -> Saved[Theme]:
    theme, items = _theme_items(tx, theme_id, field)
    at = _locate(items, base, index)
    if at is None:
        raise _not_found(theme, field, base)
    if items[at] != base and not overwrite:
        raise ConflictError(
            "themes",
            f"the {ITEM_KIND[field]} {item_label(base)!r} of {theme.name}",
            theme.updated_by,
            theme.updated_at,
        )
    del items[at]
    return _write_items(tx, theme_id, theme, field, items)


def add_workstream(tx: Transaction, theme_id: int, values: Values) -> Saved[Theme]:
    """A new workstream (name, lead, funded) at the end of the theme's list."""
    return _add_item(tx, theme_id, "workstreams", validated(Workstream, values))


def edit_workstream(
    tx: Transaction,
    theme_id: int,
    index: int,
    base: Workstream,
    values: Values,
    *,
    overwrite: bool = False,
) -> Saved[Theme]:
    return _edit_item(tx, theme_id, "workstreams", index, base, _edited(base, values), overwrite)


def delete_workstream(
    tx: Transaction, theme_id: int, index: int, base: Workstream, *, overwrite: bool = False
) -> Saved[Theme]:
    return _delete_item(tx, theme_id, "workstreams", index, base, overwrite)


def add_objective(tx: Transaction, theme_id: int, text: str) -> Saved[Theme]:
    return _add_item(tx, theme_id, "objectives", _objective(text))


def edit_objective(
    tx: Transaction, theme_id: int, index: int, base: str, text: str, *, overwrite: bool = False
) -> Saved[Theme]:
    return _edit_item(tx, theme_id, "objectives", index, base, _objective(text), overwrite)


def delete_objective(
    tx: Transaction, theme_id: int, index: int, base: str, *, overwrite: bool = False
) -> Saved[Theme]:
    return _delete_item(tx, theme_id, "objectives", index, base, overwrite)


def _objective(text: str) -> str:
    if not text.strip():
        raise InvalidRecordError("an objective needs some text")
    return text.strip()


def add_deliverable(tx: Transaction, theme_id: int, values: Values) -> Saved[Theme]:
    """A new deliverable (text, status) at the end of the theme's list."""
    return _add_item(tx, theme_id, "deliverables", validated(Deliverable, values))


def edit_deliverable(
    tx: Transaction,
    theme_id: int,
    index: int,
    base: Deliverable,
    values: Values,
    *,
    overwrite: bool = False,
) -> Saved[Theme]:
    return _edit_item(tx, theme_id, "deliverables", index, base, _edited(base, values), overwrite)


def set_deliverable_status(
    tx: Transaction,
    theme_id: int,
    index: int,
    base: Deliverable,
    status: ActivityStatus,
    *,
    overwrite: bool = False,
) -> Saved[Theme]:
    return edit_deliverable(tx, theme_id, index, base, {"status": status}, overwrite=overwrite)


def delete_deliverable(
    tx: Transaction, theme_id: int, index: int, base: Deliverable, *, overwrite: bool = False
) -> Saved[Theme]:
    return _delete_item(tx, theme_id, "deliverables", index, base, overwrite)


# --- activities ---------------------------------------------------------------------------


def _activity_saved(tx: Transaction, record: Record[Activity]) -> Saved[Activity]:
    warning = analysis.outside_phase_warning(record.model, [p.model for p in tx.phases()])
    return Saved(record, (warning,) if warning else ())


def add_activity(tx: Transaction, values: Values) -> Saved[Activity]:
    """A new activity from its fields (title, theme, phase, lead, due, status, note)."""
    return _activity_saved(tx, tx.add("activities", [validated(Activity, values)])[0])


def edit_activity(
    tx: Transaction, doc_id: int, base: Activity, values: Values, *, overwrite: bool = False
) -> Saved[Activity]:
    saved = tx.merge("activities", doc_id, base, _edited(base, values), overwrite=overwrite)
    return _activity_saved(tx, Record(doc_id, saved))


def set_activity_status(
    tx: Transaction,
    doc_id: int,
    base: Activity,
    status: ActivityStatus,
    *,
    overwrite: bool = False,
) -> Saved[Activity]:
    return edit_activity(tx, doc_id, base, {"status": status}, overwrite=overwrite)


def delete_activity(
    tx: Transaction, doc_id: int, base: Activity, *, overwrite: bool = False
) -> None:
    delete_as_read(tx, "activities", doc_id, base, overwrite=overwrite)
