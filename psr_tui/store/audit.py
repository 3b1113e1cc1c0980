"""The audit log: an append-only JSON-lines file beside the database.

Kept out of the main file so that a growing history never slows a write.

A change and its entries land together or not at all (`Appender`): the log is opened
before anything is written, so a log this user cannot append to (another user's file, a
directory, a symbolic link) refuses the change; the entries are written and fsynced just
before the database is renamed into place, so a change is never on disk without them; and
if anything fails before the rename is done, the log is cut back to where it was, so no
entry tells of a change that was not saved. The one gap: a process killed (or a machine
that loses power) between the fsync of the entries and the rename leaves entries for a
change that did not land. That errs the safe way, naming a change that was stopped rather
than hiding one that was made, and closing it would take a second write on every save.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType

import orjson
from pydantic import ValidationError

from psr_tui.errors import StoreError, os_reason
from psr_tui.models import AuditEntry

# A tail read starts with this many bytes (~200 entries) and doubles up to the maximum.
TAIL_BLOCK = 64 * 1024
MAX_TAIL_BLOCK = 1024 * 1024


def audit_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".audit.jsonl")


class Appender:
    """The audit log opened for one change (use under the database lock, so appends never
    interleave, and as a context manager: a failure inside cuts the log back)."""

    def __init__(self, db_path: Path) -> None:
        self.path = audit_path(db_path)
        # O_NONBLOCK: a FIFO left in its place would otherwise hang the open.
        flags = os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK
        try:
            self._fd = os.open(self.path, flags | os.O_CLOEXEC, 0o666)
        except OSError as exc:
            raise StoreError(
                f"cannot write the audit file {self.path} ({os_reason(exc)})"
            ) from None
        info = os.fstat(self._fd)
        if not stat.S_ISREG(info.st_mode):
            os.close(self._fd)
            raise StoreError(f"the audit file {self.path} is not a regular file")
        self._start = info.st_size
        self._written = False

    def write(self, entries: Iterable[AuditEntry]) -> None:
        """Append the entries and fsync them."""
        lines = b"".join(orjson.dumps(e.model_dump(mode="json")) + b"\n" for e in entries)
        if not lines:
            return
        self._written = True
        try:
            if self._start and os.pread(self._fd, 1, self._start - 1) != b"\n":
                # A writer killed mid-append left a torn last line: end it, or this entry
                # would be glued onto it and skipped as damaged too.
                lines = b"\n" + lines
            view = memoryview(lines)
            while view:
                view = view[os.write(self._fd, view) :]
            os.fsync(self._fd)
        except OSError as exc:
            raise StoreError(
                f"cannot write the audit file {self.path} ({os_reason(exc)})"
            ) from None

    def _cannot_write(self, exc: OSError) -> StoreError:
        return StoreError(f"cannot write the audit file {self.path} ({os_reason(exc)})")

    def __enter__(self) -> Appender:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            if error is not None and self._written:
                # The change did not land: its entries (even half of one) go too.
                with contextlib.suppress(OSError):
                    os.ftruncate(self._fd, self._start)
                    os.fsync(self._fd)
        finally:
            os.close(self._fd)


def read(db_path: Path, limit: int | None = None) -> list[AuditEntry]:
    """Entries oldest first; `limit` keeps the newest ones. Damaged lines are skipped.

    With a limit only the end of the file is read, so a long history costs no more to show.
    Raises StoreError if the log is there but cannot be read.
    """
    path = audit_path(db_path)
    try:
        if limit is None:
            return _entries(path.read_bytes().splitlines())
        return _tail(path, limit)
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise StoreError(f"cannot read the audit file {path} ({os_reason(exc)})") from None


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
    """Entries appended after byte `offset`, and the offset to pass next time.

    Only tells other sessions' changes as they come: a log that cannot be read gives none.
    """
    try:
        with audit_path(db_path).open("rb") as handle:
            # A save that failed cut the log back below what was read already.
            offset = min(offset, os.fstat(handle.fileno()).st_size)
            handle.seek(offset)
            raw = handle.read()
    except FileNotFoundError:
        return [], 0
    except OSError:
        return [], offset
    complete = raw[: raw.rfind(b"\n") + 1]  # leave a line still being appended for next time
    return _entries(complete.splitlines()), offset + len(complete)


def end_offset(db_path: Path) -> int:
    try:
        return audit_path(db_path).stat().st_size
    except OSError:
        return 0
