"""Reading the newest audit entries from the end of a long log, torn lines skipped."""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from psr_tui.models import AuditEntry
from psr_tui.store import Store, audit
from psr_tui.store.audit import audit_path

ENTRIES = 50_000
START = datetime(2016, 2, 16, 9, 0, tzinfo=UTC)


def entry(number: int) -> AuditEntry:
    return AuditEntry(
        at=START + timedelta(seconds=number),
        user="alice",
        action="edit",
        table="risks",
        record=f"R{number}",
        before="likelihood: Low",
        after="likelihood: High",
    )


def append(db: Path, entries: Iterable[AuditEntry]) -> None:
    """Append as a save does."""
    with audit.Appender(db) as log:
        log.write(entries)


def records(entries: list[AuditEntry]) -> list[str]:
    return [e.record for e in entries]


@pytest.fixture(scope="module")
def long_log(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The bytes of a log of ENTRIES entries, written once by the real append."""
    db = tmp_path_factory.mktemp("long") / "psr.json"
    append(db, (entry(n) for n in range(ENTRIES)))
    return audit_path(db).read_bytes()


@pytest.fixture
def db(tmp_path: Path, long_log: bytes) -> Path:
    db = tmp_path / "psr.json"
    audit_path(db).write_bytes(long_log)
    return db


def test_limit_returns_the_newest_entries_oldest_first(db: Path) -> None:
    newest = Store(db).history(limit=20)
    assert records(newest) == [f"R{n}" for n in range(ENTRIES - 20, ENTRIES)]
    assert newest == audit.read(db)[-20:]


def test_a_torn_last_line_is_skipped(db: Path) -> None:
    # A writer killed mid-append leaves half a line with no newline.
    with audit_path(db).open("ab") as handle:
        handle.write(b'{"at": "2016-02-16T10:00:00Z", "user": "ki')
    assert records(audit.read(db, 20)) == [f"R{n}" for n in range(ENTRIES - 20, ENTRIES)]
    # The next append ends the torn line first; the torn line stays skipped.
    append(db, [entry(ENTRIES)])
    assert records(audit.read(db, 3)) == [f"R{n}" for n in range(ENTRIES - 2, ENTRIES + 1)]


def test_a_damaged_line_inside_the_tail_does_not_shorten_it(db: Path) -> None:
    append(db, [entry(ENTRIES)])
    with audit_path(db).open("ab") as handle:
        handle.write(b'{"at": "2016-02-16T10:00:00Z", "user": "ki\n')
    append(db, [entry(ENTRIES + 1)])
    assert records(audit.read(db, 3)) == [f"R{ENTRIES - 1}", f"R{ENTRIES}", f"R{ENTRIES + 1}"]


def test_only_the_end_of_the_file_is_read(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    read_bytes: list[int] = []
    pread = os.pread

    def counting_pread(fd: int, length: int, offset: int) -> bytes:
        data = pread(fd, length, offset)
        read_bytes.append(len(data))
        return data

    monkeypatch.setattr(os, "pread", counting_pread)
    assert len(audit.read(db, 20)) == 20
    assert sum(read_bytes) == audit.TAIL_BLOCK
    assert sum(read_bytes) < audit_path(db).stat().st_size / 100


@pytest.mark.parametrize("limit", [1, 7, 450, 4_999, ENTRIES, ENTRIES + 10])
def test_lines_split_across_blocks_come_back_whole(
    db: Path, monkeypatch: pytest.MonkeyPatch, limit: int
) -> None:
    # Blocks shorter than one line (~190 bytes): every line straddles a block boundary.
    monkeypatch.setattr(audit, "TAIL_BLOCK", 100)
    monkeypatch.setattr(audit, "MAX_TAIL_BLOCK", 150_000)
    everything = audit.read(db)
    assert len(everything) == ENTRIES
    assert audit.read(db, limit) == everything[-limit:]


def test_no_entries_when_none_are_asked_for_or_there_is_no_log(db: Path, tmp_path: Path) -> None:
    assert audit.read(db, 0) == []
    assert audit.read(tmp_path / "missing.json", 20) == []
    audit_path(db).write_bytes(b"")
    assert audit.read(db, 20) == []
