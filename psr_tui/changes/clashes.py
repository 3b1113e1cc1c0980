"""What another session changed, in the words a person uses: the conflict dialog's text.

A FieldClash names a field by its path in the record (("likelihood",), ("scores",
"governance")); an officer reads "Likelihood" and "Governance score". The names come from
the record's table and, for the assessment's per-domain fields, the framework's domain
names (without the framework, a domain key is spelled out: "Information and it").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

from psr_tui.errors import ConflictError, FieldClash
from psr_tui.formatting import format_date
from psr_tui.models import Framework

# Per-domain mapping fields: the word after the domain's name.
_PER_DOMAIN = {"scores": "score", "comments": "evidence", "targets": "target"}

# Fields whose name in the forms differs from the spelled-out field name.
_FIELD_NAMES = {
    "risks": {
        "ref": "Reference",
        "controls": "Controls in place",
        "actions": "Actions planned",
        "reviews": "Review history",
    },
}

_LONGEST_VALUE = 80


@dataclass(frozen=True)
class ClashText:
    """One clashing field as the dialog shows it."""

    field: str
    theirs: str
    mine: str


def spelled_out(name: str) -> str:
    """`action_date` -> "Action date"."""
    words = name.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def field_name(table: str, path: tuple[str, ...], framework: Framework | None = None) -> str:
    """The name a person uses for the field at `path` of a record in `table`."""
    head = path[0]
    if len(path) > 1 and head in _PER_DOMAIN:
        domain = framework.domain(path[1]) if framework else None
        return f"{domain.name if domain else spelled_out(path[1])} {_PER_DOMAIN[head]}"
    name = _FIELD_NAMES.get(table, {}).get(head) or spelled_out(head)
    return " › ".join([name, *(spelled_out(p) for p in path[1:])])


def value_text(value: Any) -> str:
    """A stored value as an officer reads it: dates the British way, nothing as "(none)"."""
    if value is None:
        return "(none)"
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, datetime):
        return value.astimezone().strftime("%d %b %Y %H:%M")
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, list):
        return f"{len(value)} entr{'y' if len(value) == 1 else 'ies'}"
    if isinstance(value, dict):
        return ", ".join(f"{spelled_out(str(k))} {value_text(v)}" for k, v in value.items())
    text = " ".join(str(value).split())
    if not text:
        return "(empty)"
    return text if len(text) <= _LONGEST_VALUE else text[: _LONGEST_VALUE - 1] + "…"


def clash_text(table: str, clash: FieldClash, framework: Framework | None = None) -> ClashText:
    return ClashText(
        field_name(table, clash.path, framework), value_text(clash.theirs), value_text(clash.mine)
    )


def clash_texts(error: ConflictError, framework: Framework | None = None) -> list[ClashText]:
    """Each field both sessions changed, named and with both values."""
    return [clash_text(error.table, clash, framework) for clash in error.clashes]
