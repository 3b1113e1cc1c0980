"""The write lock on a database file: exclusive between processes and threads, and fair.

Two `flock` files sit beside the database: `<db>.lock` is the lock itself and
`<db>.queue.lock` a turnstile in front of it. A writer takes the turnstile, then the lock,
then lets the turnstile go, so at most one writer waits at the lock. A writer that has just
released the lock must pass the turnstile again, which the waiter holds until it has the
lock: so no session can take the lock twice in a row while another waits (with filelock's
polling, a script saving in a loop kept the lock for its whole run and an officer's save
timed out). Waits block in the kernel, which wakes the next writer the moment the lock is
released; a helper thread does the blocking so that the wait can time out.

The kernel drops a `flock` when its holder dies, so a killed writer never leaves the file
locked. Lock files are created 0o666 less the umask, like the database, and opened
read-only, so another member of the team can lock a lock file they did not create.
"""

from __future__ import annotations

import fcntl
import os
import threading
from pathlib import Path


class LockTimeout(Exception):
    """The lock stayed held by another session for the whole timeout."""


def _open(path: Path) -> int:
    try:
        return os.open(path, os.O_RDONLY | os.O_CREAT | os.O_CLOEXEC, 0o666)
    except PermissionError:
        # A sticky shared directory (fs.protected_regular) refuses O_CREAT on an existing
        # file that another user owns; opening it without O_CREAT is allowed.
        return os.open(path, os.O_RDONLY | os.O_CLOEXEC)


def _try_lock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _unlock(fd: int) -> None:
    # Unlock before closing: a process forked meanwhile shares the descriptor.
    try:
        fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


class _Waiter:
    """Takes the turnstile then the lock, blocking, on a helper thread that owns both fds.

    If the caller gives up first, the helper releases whatever it gets instead of handing
    it over.
    """

    def __init__(self, queue_fd: int, lock_fd: int) -> None:
        self._queue_fd = queue_fd
        self._lock_fd = lock_fd
        self._done = threading.Event()
        self._gate = threading.Lock()
        self._abandoned = False
        self._error: OSError | None = None
        threading.Thread(target=self._run, name="psr-lock-wait", daemon=True).start()

    def _run(self) -> None:
        try:
            fcntl.flock(self._queue_fd, fcntl.LOCK_EX)  # a no-op if already held
            fcntl.flock(self._lock_fd, fcntl.LOCK_EX)
        except OSError as exc:
            self._error = exc
        finally:
            _unlock(self._queue_fd)
        with self._gate:
            if self._abandoned or self._error is not None:
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
        return self._lock_fd


class FairLock:
    """The write lock for one database path. Not re-entrant: a nested hold is a bug."""

    def __init__(self, db_path: Path, timeout: float) -> None:
        self.lock_path = db_path.with_name(db_path.name + ".lock")
        self.queue_path = db_path.with_name(db_path.name + ".queue.lock")
        self.timeout = timeout
        self._holding = threading.local()

    def acquire(self) -> int:
        """Take the lock; returns the fd to pass to `release`. Raises LockTimeout."""
        if getattr(self._holding, "fd", None) is not None:
            raise RuntimeError(
                f"a transaction on {self.lock_path.with_suffix('')} is already open in this "
                "thread; nested transactions would overwrite each other"
            )
        queue_fd = _open(self.queue_path)
        try:
            lock_fd = _open(self.lock_path)
        except BaseException:
            os.close(queue_fd)
            raise
        if _try_lock(queue_fd) and _try_lock(lock_fd):
            _unlock(queue_fd)
        else:
            lock_fd = _Waiter(queue_fd, lock_fd).wait(self.timeout)
        self._holding.fd = lock_fd
        return lock_fd

    def release(self, fd: int) -> None:
        self._holding.fd = None
        _unlock(fd)
