"""Low-level file handling: parse, atomic replace that keeps the mode, change signature."""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from psr_tui.errors import CorruptFileError, MissingFileError, StoreError


def parse(path: Path, raw: bytes) -> dict[str, Any]:
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise CorruptFileError(path, f"JSON error: {exc}") from None
    if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
        raise CorruptFileError(path, "the top level is not a set of tables")
    for name, table in data.items():
        for doc_id, row in table.items():
            # TinyDB needs integer ids and object rows; anything else would crash later, far
            # from the file, instead of being reported as the file's fault.
            if not (doc_id.isdecimal() and doc_id.isascii() and isinstance(row, dict)):
                raise CorruptFileError(path, f"table {name}: entry {doc_id!r} is not a record")
    return data


def read_file(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise MissingFileError(path) from None
    except OSError as exc:
        raise StoreError(f"cannot read {path}: {exc.strerror}") from None
    return parse(path, raw)


def dump(data: dict[str, Any]) -> bytes:
    return orjson.dumps(data)


def _new_file_mode() -> int:
    """0o666 less the process umask, as `open()` would create it."""
    with contextlib.suppress(OSError), open("/proc/self/status") as status:
        for line in status:
            if line.startswith("Umask:"):
                return 0o666 & ~int(line.split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def atomic_write(path: Path, payload: bytes) -> None:
    """Write to a temp file beside `path`, fsync, then rename over it.

    Readers see the old file or the new one, never a half-written one. The result keeps
    the mode and group of the file it replaces; a new file gets 0o666 less the umask.
    """
    try:
        existing = path.stat()
    except FileNotFoundError:
        existing = None
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            # A strictly later mtime than the file it replaces, so that `signature()` always
            # changes: inode numbers are recycled at once and some kernels stamp mtimes with
            # a coarse (jiffy) clock, so two same-size writes could otherwise look identical.
            stamp = time.time_ns()
            if existing is not None:
                stamp = max(stamp, existing.st_mtime_ns + 1)
            os.utime(handle.fileno(), ns=(stamp, stamp))
            if existing is not None:
                os.fchmod(handle.fileno(), existing.st_mode & 0o7777)
                with contextlib.suppress(OSError):
                    os.fchown(handle.fileno(), -1, existing.st_gid)
            else:
                os.fchmod(handle.fileno(), _new_file_mode())
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
    fsync_directory(path.parent)


def fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_orphan_temp_files(path: Path) -> None:
    """Delete temp files left by a writer that died mid-write (call under the lock)."""
    for orphan in path.parent.glob(f".{path.name}.*.tmp"):
        with contextlib.suppress(OSError):
            orphan.unlink()


@dataclass(frozen=True)
class FileSignature:
    """Changes whenever another process replaces the file; costs one stat()."""

    inode: int
    mtime_ns: int
    size: int


def signature(path: Path) -> FileSignature | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return FileSignature(st.st_ino, st.st_mtime_ns, st.st_size)
