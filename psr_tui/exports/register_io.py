"""Risks CSV reading and register CSV/xlsx export (the contract format in DESIGN.md).

The CSV header is `ref,description,category,date_identified,controls,likelihood,impact,
actions,owner,action_date,status` (any order, any case; columns other than ref,
description, likelihood and impact may be left out). An export adds score, band and
overdue (worked out again on import, so ignored) and `rev`: the revision each risk had
when exported, which lets a re-import tell a row someone edited in the file from a risk
another session changed since (`psr_tui.changes.imports`). Rows are numbered as a
spreadsheet shows them: the header is row 1. The whole file is checked at once and every
problem listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from psr_tui import analysis
from psr_tui.exports.tables import TableImportError, read_csv, write_table
from psr_tui.formatting import parse_date, stored_date
from psr_tui.models import RiskMatrix, RiskStatus
from psr_tui.store import Snapshot, StoreError

COLUMNS = (
    "ref",
    "description",
    "category",
    "date_identified",
    "controls",
    "likelihood",
    "impact",
    "actions",
    "owner",
    "action_date",
    "status",
)
REQUIRED = ("ref", "description", "likelihood", "impact")
DATE_COLUMNS = ("date_identified", "action_date")
DERIVED = ("score", "band", "overdue")
REV = "rev"
EXPORT_COLUMNS = (*COLUMNS, *DERIVED, REV)


@dataclass(frozen=True)
class RiskRow:
    """One row of a risks CSV, checked: its fields by name, and the rev it was exported at."""

    number: int
    fields: dict[str, Any]
    rev: int | None


def _header(header: list[str], problems: list[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, raw in enumerate(header):
        name = raw.strip().lower().replace(" ", "_")
        if name in DERIVED:
            # An exported register re-imports: its derived columns are worked out again.
            continue
        if name not in (*COLUMNS, REV):
            problems.append(
                f"unknown column {raw.strip()!r} (the columns are {', '.join(COLUMNS)})"
            )
        elif name in columns:
            problems.append(f"column {name!r} appears twice")
        else:
            columns[name] = index
    for name in REQUIRED:
        if name not in columns:
            problems.append(f"no {name!r} column")
    return columns


def _label(matrix: RiskMatrix, axis: str, value: str, where: str, problems: list[str]) -> str:
    labels = matrix.likelihood if axis == "likelihood" else matrix.impact
    found = matrix.find_likelihood(value) if axis == "likelihood" else matrix.find_impact(value)
    if found is None:
        if value:
            problems.append(
                f"{where}, {axis}: {value!r} is not in the matrix (choose from {', '.join(labels)})"
            )
        else:
            problems.append(f"{where}, {axis}: missing (choose from {', '.join(labels)})")
        return ""
    return found


def _row_fields(
    cells: list[str], columns: dict[str, int], matrix: RiskMatrix, where: str, problems: list[str]
) -> dict[str, Any]:
    """The row's values by field name, parsed; problems appended, never raised."""
    raw = {
        name: (cells[index].strip() if index < len(cells) else "")
        for name, index in columns.items()
    }
    fields: dict[str, Any] = {name: value for name, value in raw.items() if name != REV}
    if not raw["ref"]:
        problems.append(f"{where}, ref: missing")
    if not raw["description"]:
        problems.append(f"{where}, description: missing")
    for axis in ("likelihood", "impact"):
        fields[axis] = _label(matrix, axis, raw[axis], where, problems)
    for name in DATE_COLUMNS:
        if name in raw:
            try:
                fields[name] = parse_date(raw[name]) if raw[name] else None
            except ValueError as exc:
                problems.append(f"{where}, {name}: {exc}")
    if "status" in raw:
        status = raw["status"].lower() or RiskStatus.OPEN.value
        if status in {s.value for s in RiskStatus}:
            fields["status"] = RiskStatus(status)
        else:
            problems.append(f"{where}, status: {raw['status']!r} is not open or closed")
    return fields


def _rev(text: str, where: str, problems: list[str]) -> int | None:
    if not text:
        return None
    if not text.isdigit():
        problems.append(f"{where}, rev: {text!r} is not a revision number (leave it as exported)")
        return None
    return int(text)


def read_risks(path: Path, matrix: RiskMatrix) -> list[RiskRow]:
    """Every row of a risks CSV, checked against the matrix; TableImportError lists every
    problem of the file (nothing is imported from a file with one)."""
    path = Path(path)
    rows = read_csv(path)
    if not rows or not any(c.strip() for c in rows[0]):
        raise StoreError(f"{path}: the file is empty; expected the header {','.join(COLUMNS)}")
    problems: list[str] = []
    columns = _header(rows[0], problems)
    if problems:
        raise TableImportError(path, problems)
    parsed: list[RiskRow] = []
    seen: dict[str, int] = {}
    for number, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        where = f"row {number}"
        if len(cells) > len(rows[0]):
            problems.append(f"{where} has {len(cells)} cells but the header has {len(rows[0])}")
            continue
        fields = _row_fields(cells, columns, matrix, where, problems)
        rev = _rev(cells[columns[REV]].strip(), where, problems) if REV in columns else None
        ref = fields["ref"].lower()
        if ref and ref in seen:
            problems.append(f"{where}: ref {fields['ref']} is already in row {seen[ref]}")
        seen[ref] = number
        parsed.append(RiskRow(number, fields, rev))
    if problems:
        raise TableImportError(path, problems)
    if not parsed:
        raise StoreError(f"{path}: the header is there but no risks follow it")
    return parsed


# --- export ------------------------------------------------------------------------------


def _iso(day: date | None) -> str:
    return stored_date(day) if day else ""


def register_rows(snapshot: Snapshot) -> list[list[str]]:
    """The register as rows of cells, header first: the import columns, then score, band,
    overdue and the rev of each risk."""
    rows = [list(EXPORT_COLUMNS)]
    for facts in analysis.register_facts(snapshot.matrix(), snapshot.risks(), snapshot.as_at):
        risk = facts.risk
        rows.append(
            [
                risk.ref,
                risk.description,
                risk.category,
                _iso(risk.date_identified),
                risk.controls,
                risk.likelihood,
                risk.impact,
                risk.actions,
                risk.owner,
                _iso(risk.action_date),
                risk.status.value,
                "" if facts.score is None else str(facts.score),
                facts.band.name if facts.band else "",
                "yes" if facts.overdue else "no",
                str(risk.rev),
            ]
        )
    return rows


def export_register(snapshot: Snapshot, out_path: Path) -> None:
    """Write the register to .csv (re-importable) or .xlsx, atomically."""
    out_path = Path(out_path)
    write_table(out_path, "Risk register", register_rows(snapshot))
