"""Low-level file handling: parse, atomic replace that keeps mode and owner, signature."""

from __future__ import annotations

import contextlib
import os
import pwd
import stat
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson

from psr_tui.errors import (
    CorruptFileError,
    InvalidRecordError,
    MissingFileError,
    StoreError,
)


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
    try:
        return orjson.dumps(data)
    except orjson.JSONEncodeError as exc:
        # A value no JSON reader could take back (an integer beyond 64 bits): refuse it
        # here rather than write a file that would not open again.
        raise InvalidRecordError(f"a value cannot be stored in the file ({exc})") from None


def _user_name(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def _mode_lets_write(st: os.stat_result) -> bool:
    """Whether the permission bits let this process write the file (ACLs aside)."""
    uid = os.geteuid()
    if st.st_uid == uid:
        return bool(st.st_mode & stat.S_IWUSR)
    if st.st_gid == os.getegid() or st.st_gid in os.getgroups():
        return bool(st.st_mode & stat.S_IWGRP)
    return bool(st.st_mode & stat.S_IWOTH)


def check_replaceable(path: Path) -> None:
    """Refuse (StoreError) to replace a file this user may not write.

    Replacing a file needs only write permission on its directory: without this check
    bob's save replaced alice's 0644 file with his own copy (which then belonged to him),
    and a `chmod 444` file was rewritten. The kernel's own answer (`os.access`) counts
    ACLs; root is told yes for every file, so for root the permission bits decide: root
    does not take over a file its owner has not opened to it either.
    """
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return
    with contextlib.suppress(OSError):
        if os.statvfs(path).f_flag & os.ST_RDONLY:
            raise StoreError(f"{path} is on a read-only file system")
    if os.geteuid() == 0:
        allowed = _mode_lets_write(st)
    else:
        allowed = os.access(path, os.W_OK, effective_ids=os.access in os.supports_effective_ids)
    if allowed:
        return
    raise StoreError(
        f"{path} belongs to {_user_name(st.st_uid)} and has mode "
        f"{stat.S_IMODE(st.st_mode):04o} ({stat.filemode(st.st_mode)[1:]}): "
        f"{_user_name(os.geteuid())} may not write it"
    )


def _new_file_mode() -> int:
    """0o666 less the process umask, as `open()` would create it."""
    with contextlib.suppress(OSError), open("/proc/self/status") as status:
        for line in status:
            if line.startswith("Umask:"):
                return 0o666 & ~int(line.split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def _keep_owner(fd: int, existing: os.stat_result) -> None:
    """Give the new file the owner (root can) or at least the group of the old one."""
    try:
        os.fchown(fd, existing.st_uid, existing.st_gid)
    except OSError:
        with contextlib.suppress(OSError):
            os.fchown(fd, -1, existing.st_gid)


def atomic_write(
    path: Path, payload: bytes, *, before_replace: Callable[[], None] | None = None
) -> None:
    """Write to a temp file beside `path`, fsync, then rename over it.

    Readers see the old file or the new one, never a half-written one. A file this user
    may not write is refused (`check_replaceable`). The result keeps the mode, group (and
    for root the owner) of the file it replaces; a new file gets 0o666 less the umask.
    `before_replace` runs once the new file is on disk, just before the rename: if it
    raises, nothing is replaced.
    """
    check_replaceable(path)
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
                # Owner first: a change of owner clears the setuid and setgid bits.
                _keep_owner(handle.fileno(), existing)
                os.fchmod(handle.fileno(), existing.st_mode & 0o7777)
            else:
                os.fchmod(handle.fileno(), _new_file_mode())
            os.fsync(handle.fileno())
        if before_replace is not None:
            before_replace()
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
    # The new file is in place: a directory that cannot be fsynced (some file systems
    # refuse) makes the rename less durable, not undone, so it is not a failed save.
    with contextlib.suppress(OSError):
        fsync_directory(path.parent)


def copy_file(source: Path, target: Path) -> None:
    """Copy `source` to a new file `target` (FileExistsError if there is one), with the
    same mode and group; the copy is never readable by more users than the original."""
    info = source.stat()
    data = source.read_bytes()
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            _keep_owner(handle.fileno(), info)
            os.fchmod(handle.fileno(), info.st_mode & 0o777)
            os.fsync(handle.fileno())
    except BaseException:
        target.unlink(missing_ok=True)
        raise


def backup_copy(path: Path) -> Path:
    """Copy `path` to a new dated file beside it (psr.backup-20160216-140233.json);
    returns the copy's path."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    for attempt in range(1, 100):
        tag = stamp if attempt == 1 else f"{stamp}-{attempt}"
        target = path.with_name(f"{path.stem}.backup-{tag}{path.suffix}")
        try:
            copy_file(path, target)
        except FileExistsError:
            continue
        return target
    raise StoreError(f"cannot find a free name for a backup of {path}")


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
    """None if the file is missing or cannot be looked at (reading it says why)."""
    try:
        st = path.stat()
    except OSError:
        return None
    return FileSignature(st.st_ino, st.st_mtime_ns, st.st_size)
