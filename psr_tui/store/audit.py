"""The audit log: an append-only JSON-lines file beside the database.

Kept out of the main file so that a growing history never slows a write.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import orjson
from pydantic import ValidationError

from psr_tui.models import AuditEntry


def audit_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".audit.jsonl")


def append(db_path: Path, entries: Iterable[AuditEntry]) -> None:
    """Append entries (call under the database lock, so appends never interleave)."""
    lines = b"".join(orjson.dumps(e.model_dump(mode="json")) + b"\n" for e in entries)
    if not lines:
        return
    fd = os.open(audit_path(db_path), os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o666)
    try:
        size = os.fstat(fd).st_size
        if size and os.pread(fd, 1, size - 1) != b"\n":
            # A writer killed mid-append left a torn last line: end it, or this entry would be
            # glued onto it and skipped as damaged too.
            lines = b"\n" + lines
        view = memoryview(lines)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)


def read(db_path: Path, limit: int | None = None) -> list[AuditEntry]:
    """Entries oldest first; `limit` keeps the newest ones. Damaged lines are skipped."""
    try:
        raw = audit_path(db_path).read_bytes()
    except FileNotFoundError:
        return []
    lines = raw.splitlines()
    if limit is not None:
        lines = lines[-limit:]
    entries = []
    for line in lines:
        try:
            entries.append(AuditEntry.model_validate(orjson.loads(line)))
        except (orjson.JSONDecodeError, ValidationError):
            continue  # a line cut short by a crash mid-append
    return entries


def read_since(db_path: Path, offset: int) -> tuple[list[AuditEntry], int]:
    """Entries appended after byte `offset`, and the offset to pass next time."""
    try:
        with audit_path(db_path).open("rb") as handle:
            handle.seek(offset)
            raw = handle.read()
    except FileNotFoundError:
        return [], 0
    complete = raw[: raw.rfind(b"\n") + 1]  # leave a line still being appended for next time
    entries = []
    for line in complete.splitlines():
        try:
            entries.append(AuditEntry.model_validate(orjson.loads(line)))
        except (orjson.JSONDecodeError, ValidationError):
            continue
    return entries, offset + len(complete)


def end_offset(db_path: Path) -> int:
    try:
        return audit_path(db_path).stat().st_size
    except FileNotFoundError:
        return 0
