"""An audit entry in the words a person uses: "response Baseline, Feb 2016: Chief Executive",
"Governance 2 → 3", never a table's or a domain's internal key.

History, Home's recent changes and the note of a colleague's change word entries here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from psr_tui.models import AuditEntry, AuditField
from psr_tui.store import Snapshot
from psr_tui.store.rules import TABLES

# Mapping fields keyed by a framework's domain keys, and how a domain's value is named.
_DOMAIN_FIELDS = {"scores": "{}", "comments": "{} evidence", "targets": "{} target"}
# Tables whose record label starts with a domain key ("workforce: Roll out ...").
_LABELLED_BY_DOMAIN = {"actions"}

_PAST_TENSE = {
    "add": "added",
    "edit": "edited",
    "delete": "deleted",
    "create": "created",
    "close": "closed",
    "delete review": "deleted a review of",
}


def past_tense(action: str) -> str:
    """An audit action as a verb: add -> added."""
    return _PAST_TENSE.get(action, action)


def domain_names(snap: Snapshot) -> dict[str, str]:
    """Every framework's domain keys with their names."""
    return {d.key: d.name for f in snap.frameworks() for d in f.model.domains}


def named(text: str, domains: Mapping[str, str]) -> str:
    """`text` with each domain key that is not just its name in lower case
    ("financial_and_contractual_mechanisms") given as the domain's name."""
    for key, name in domains.items():
        if key != name.lower() and key in text:
            text = re.sub(rf"\b{re.escape(key)}\b", name, text)
    return text


def record_words(entry: AuditEntry, domains: Mapping[str, str], *, kind: bool = True) -> str:
    """What the entry changed: the kind of record (unless not `kind`, where room is short)
    and its name."""
    if entry.table == "meta":
        return "the partnership's settings"
    spec = TABLES.get(entry.table)
    noun = spec.noun if spec else entry.table.replace("_", " ")
    label = entry.record
    if entry.table in _LABELLED_BY_DOMAIN:
        key, sep, rest = label.partition(": ")
        if sep and key in domains:
            label = f"{domains[key]}: {rest}"
    return f"{noun} {label}" if kind else label


def field_label(field: AuditField, domains: Mapping[str, str]) -> str:
    """'Governance' (a score), 'Governance evidence', 'Action date'."""
    name, _, key = field.field.partition(".")
    if key and name in _DOMAIN_FIELDS:
        return _DOMAIN_FIELDS[name].format(domains.get(key, key.replace("_", " ")))
    label = field.field.replace("_", " ").replace(".", " ")
    return label[:1].upper() + label[1:]


def field_words(field: AuditField, domains: Mapping[str, str]) -> str:
    """'Governance 2 → 3', 'Action date 2016-02 → 2016-03', 'Owner (none) → PMO'."""
    label = field_label(field, domains)
    return f"{label} {field.before or '(none)'} → {field.after or '(none)'}"


def change_words(entry: AuditEntry, domains: Mapping[str, str], width: int = 0) -> str:
    """The change itself: field by field where the entry has them, else its before/after.
    Given a `width` it does not fit, several fields are named rather than cut after the
    first ("Description, Owner changed")."""
    if not entry.fields:
        parts = (entry.before, entry.after)
        return " → ".join(named(part, domains) for part in parts if part)
    text = "; ".join(field_words(f, domains) for f in entry.fields)
    if width and len(text) > width and len(entry.fields) > 1:
        return ", ".join(field_label(f, domains) for f in entry.fields) + " changed"
    return text
