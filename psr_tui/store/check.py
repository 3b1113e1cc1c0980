"""Whole-file validation for `psr check`: every problem, each named by table and record.

The rules are the store's own (`psr_tui.store.rules`), read the way the store reads the
file, so the check fails exactly when the app would refuse to open the file. Warnings (a
value an older psr let in, an activity due outside its phase, two records that look the
same) do not fail it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from psr_tui.models import Record, describe_validation_error
from psr_tui.store import files
from psr_tui.store.rules import (
    TABLES,
    Problem,
    context,
    lookalike_warnings,
    programme_warnings,
    validate_rows,
    value_warnings,
)
from psr_tui.store.store import Meta, read_meta


class _FileCheck:
    """The file's tables read as a snapshot reads them, collecting problems instead of
    stopping at the first."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.problems: list[Problem] = []
        self._records: dict[str, list[Record[Any]]] = {}

    def records(self, table: str) -> list[Record[Any]]:
        if table not in self._records:
            rows = self.data.get(table, {})
            table_context = context(table, self.records)
            records, problems, _ = validate_rows(table, rows, table_context)
            self._records[table] = records
            self.problems += problems
            if isinstance(rows, dict):
                self.problems += value_warnings(table, rows, records, table_context, problems)
            self.problems += lookalike_warnings(table, records)
        return self._records[table]


def check_file(path: Path) -> list[Problem]:
    """Problems found in the file, errors and warnings; no errors means the app opens it.
    A file that cannot be read as a psr database at all is a StoreError, as elsewhere."""
    data = files.read_file(path)
    read_meta(path, data)
    checked = _FileCheck(data)
    checked.problems += _meta_warnings(data)
    for table in TABLES:
        checked.records(table)
    phases = [r.model for r in checked.records("phases")]
    checked.problems += programme_warnings(checked.records("activities"), phases)
    return checked.problems


def _meta_warnings(data: dict[str, Any]) -> list[Problem]:
    row = next(iter(data["meta"].values()))
    try:
        Meta.model_validate(row)
    except ValidationError as exc:
        message = describe_validation_error(exc)
        return [Problem("meta", "settings", f"{message} (saved by an older psr; correct it)", True)]
    return []
