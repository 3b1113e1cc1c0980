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

# A tail read starts with this many bytes (~200 entries) and doubles up to the maximum.
TAIL_BLOCK = 64 * 1024
MAX_TAIL_BLOCK = 1024 * 1024


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
    """Entries oldest first; `limit` keeps the newest ones. Damaged lines are skipped.

    With a limit only the end of the file is read, so a long history costs no more to show.
    """
    try:
        if limit is None:
            return _entries(audit_path(db_path).read_bytes().splitlines())
        return _tail(audit_path(db_path), limit)
    except FileNotFoundError:
        return []


def _tail(path: Path, limit: int) -> list[AuditEntry]:
    """The newest `limit` entries, reading blocks backwards from the end until enough."""
    newest_first: list[AuditEntry] = []
    fd = os.open(path, os.O_RDONLY)
    try:
        end = os.fstat(fd).st_size
        block = TAIL_BLOCK
        # The start of the earliest line read so far: its beginning is in an earlier block.
        rest = b""
        while end > 0 and len(newest_first) < limit:
            start = max(0, end - block)
            pieces = (os.pread(fd, end - start, start) + rest).split(b"\n")
            rest = pieces.pop(0) if start else b""
            for line in reversed(pieces):
                entry = _entry(line)
                if entry is not None:
                    newest_first.append(entry)
                    if len(newest_first) == limit:
                        break
            end = start
            block = min(block * 2, MAX_TAIL_BLOCK)
    finally:
        os.close(fd)
    return newest_first[::-1]


def _entry(line: bytes) -> AuditEntry | None:
    try:
        return AuditEntry.model_validate(orjson.loads(line))
    except (orjson.JSONDecodeError, ValidationError):
        return None  # a line cut short by a crash mid-append


def _entries(lines: Iterable[bytes]) -> list[AuditEntry]:
    return [entry for line in lines if (entry := _entry(line)) is not None]


def read_since(db_path: Path, offset: int) -> tuple[list[AuditEntry], int]:
    """Entries appended after byte `offset`, and the offset to pass next time."""
    try:
        with audit_path(db_path).open("rb") as handle:
            handle.seek(offset)
            raw = handle.read()
    except FileNotFoundError:
        return [], 0
    complete = raw[: raw.rfind(b"\n") + 1]  # leave a line still being appended for next time
    return _entries(complete.splitlines()), offset + len(complete)


def end_offset(db_path: Path) -> int:
    try:
        return audit_path(db_path).stat().st_size
    except FileNotFoundError:
        return 0
