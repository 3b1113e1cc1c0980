"""The write lock on a database file: exclusive between processes and threads, fair, and
not lost when a file beside the database is deleted or replaced.

The lock is a `flock` on the database's directory. A lock file is a lock only while it is
the file at its path: when `<db>.lock` was deleted or replaced while a transaction was
open, the next writer created a fresh one and locked it at once, so two writers were in at
the same time and one overwrote the other. Checking the lock file after taking it (below)
stops a writer that was already waiting, not one that arrives later. A directory cannot
be deleted while the database is in it, and renaming it away is caught by that check. The
price: writers of two databases kept in one directory take turns as well, which costs
little, as a write holds the lock for milliseconds.

`<db>.queue.lock` is a turnstile in front of the lock. A writer takes the turnstile, then
the lock, then lets the turnstile go, so at most one writer waits at the lock. A writer
that has just released the lock must pass the turnstile again, which the waiter holds
until it has the lock: so no session can take the lock twice in a row while another waits
(with filelock's polling, a script saving in a loop kept the lock for its whole run and an
officer's save timed out). Waits block in the kernel, which wakes the next writer the
moment the lock is released; a helper thread does the blocking so that the wait can time
out. The turnstile only orders the writers: if it is deleted, writers that still hold the
old one are not kept out, they merely lose their place in the queue.

Every lock is checked after it is taken: the descriptor locked must still be the file or
directory at its path (the same device and inode, `fstat` against `lstat`), else it is let
go and taken again. Nothing is opened through a symbolic link (`O_NOFOLLOW`): a turnstile
replaced by a link to another file is refused, not followed.

The kernel drops a `flock` when its holder dies, so a killed writer never leaves the
database locked. The turnstile is created 0o666 less the umask, like the database, and
opened read-only, so another member of the team can lock one they did not create.
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Callable
from pathlib import Path


class LockTimeout(Exception):
    """The lock stayed held by another session for the whole timeout."""


class LockLost(Exception):
    """The directory locked is no longer the database's directory."""


def _open_file(path: Path) -> int:
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    try:
        fd = os.open(path, flags | os.O_CREAT, 0o666)
    except PermissionError:
        # A sticky shared directory (fs.protected_regular) refuses O_CREAT on an existing
        # file that another user owns; opening it without O_CREAT is allowed.
        fd = os.open(path, flags)
    return fd


def _open_directory(path: Path) -> int:
    return os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)


def _is_current(fd: int, path: Path) -> bool:
    """True if `fd` is still the file at `path` (not deleted, renamed away or replaced)."""
    try:
        there = os.lstat(path)
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    return (held.st_dev, held.st_ino) == (there.st_dev, there.st_ino)


def _unlock(fd: int) -> None:
    # Unlock before closing: a process forked meanwhile shares the descriptor.
    try:
        fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _take(path: Path, opener: Callable[[Path], int], *, block: bool) -> int | None:
    """A descriptor of the file at `path`, exclusively locked and checked to be that file
    after the lock was taken; None if `block` is false and another holder has it."""
    while True:
        fd = opener(path)
        try:
            if block:
                fcntl.flock(fd, fcntl.LOCK_EX)
            else:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    os.close(fd)
                    return None
            if _is_current(fd, path):
                return fd
        except BaseException:
            _unlock(fd)
            raise
        # Locked a file that has left its path meanwhile: that lock keeps nobody out.
        _unlock(fd)


class _Waiter:
    """Takes the turnstile (unless already held) then the lock, blocking, on a helper
    thread that owns both descriptors.

    If the caller gives up first, the helper releases whatever it gets instead of handing
    it over.
    """

    def __init__(self, lock: FairLock, queue_fd: int | None) -> None:
        self._lock = lock
        self._queue_fd = queue_fd
        self._lock_fd: int | None = None
        self._done = threading.Event()
        self._gate = threading.Lock()
        self._abandoned = False
        self._error: OSError | None = None
        threading.Thread(target=self._run, name="psr-lock-wait", daemon=True).start()

    def _run(self) -> None:
        lock = self._lock
        try:
            queue_fd = self._queue_fd
            if queue_fd is None:
                queue_fd = _take(lock.queue_path, _open_file, block=True)
            assert queue_fd is not None
            try:
                self._lock_fd = _take(lock.directory, _open_directory, block=True)
            finally:
                _unlock(queue_fd)
        except OSError as exc:
            self._error = exc
        with self._gate:
            if self._abandoned and self._lock_fd is not None:
                _unlock(self._lock_fd)
            if not self._abandoned:
                self._done.set()

    def wait(self, timeout: float) -> int:
        """The locked fd, or LockTimeout; an OSError from the wait is raised here."""
        try:
            self._done.wait(timeout)
        finally:
            # Also on KeyboardInterrupt: a lock acquired after we stopped waiting must be
            # released by the helper, or it would be held until this process exits.
            with self._gate:
                if not self._done.is_set():
                    self._abandoned = True
        if self._abandoned:
            raise LockTimeout
        if self._error is not None:
            raise self._error
        assert self._lock_fd is not None
        return self._lock_fd


class FairLock:
    """The write lock for one database path. Not re-entrant: a nested hold is a bug.

    `db_path` must be the real path (symbolic links resolved): the lock is its directory.
    """

    def __init__(self, db_path: Path, timeout: float) -> None:
        self.db_path = db_path
        self.directory = db_path.parent
        self.queue_path = db_path.with_name(db_path.name + ".queue.lock")
        self.timeout = timeout
        self._holding = threading.local()

    def acquire(self) -> int:
        """Take the lock; returns the fd to pass to `release`.

        Raises LockTimeout, or OSError when a lock cannot be opened (say, the turnstile is
        a symbolic link, or the directory is not readable)."""
        if getattr(self._holding, "fd", None) is not None:
            raise RuntimeError(
                f"a transaction on {self.db_path} is already open in this thread; nested "
                "transactions would overwrite each other"
            )
        queue_fd = _take(self.queue_path, _open_file, block=False)
        lock_fd = None
        if queue_fd is not None:
            try:
                lock_fd = _take(self.directory, _open_directory, block=False)
            except BaseException:
                _unlock(queue_fd)
                raise
            if lock_fd is not None:
                _unlock(queue_fd)
        if lock_fd is None:
            # The helper keeps the turnstile if we hold it: our place in the queue.
            lock_fd = _Waiter(self, queue_fd).wait(self.timeout)
        self._holding.fd = lock_fd
        return lock_fd

    def check_still_held(self) -> None:
        """Raise LockLost unless this thread's lock is still on the database's directory.

        Called just before the database is replaced: a directory renamed away (and another
        put in its place) while the lock was held means others may be writing there.
        """
        fd = getattr(self._holding, "fd", None)
        if fd is None or not _is_current(fd, self.directory):
            raise LockLost(f"the folder {self.directory} was moved or replaced while saving")

    def release(self, fd: int) -> None:
        self._holding.fd = None
        _unlock(fd)
