"""Home's figures worked out in a child process while `psr` starts.

On its own path `psr` draws its first frame, then imports pydantic and the models and
reads the file: one after the other, since both need this process's GIL, and the import
alone takes about as long as Textual's first frame. So before Textual is imported, `psr`
forks a child that reads the file and works out Home's figures (`home_figures.work_out`,
the same code Home runs) on the machine's other core, and hands them back pickled through a
pipe only the two of them hold. Home shows them as soon as they come, until the app's own
reading of the file replaces them; if the child fails, nothing is shown early and the app's
own reading says what is wrong with the file. The child only reads.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import select
import signal
from pathlib import Path
from typing import NoReturn

from psr_tui.home_figures import RECENT_CHANGES, HomeFigures


class EarlyFigures:
    """A child working out Home's figures for one file, and the end of the pipe they come by."""

    def __init__(self, pid: int, pipe: int) -> None:
        self._pid = pid
        self._pipe = pipe
        self._done = False

    @classmethod
    def start(cls, path: Path) -> EarlyFigures | None:
        """Fork the child (call before any thread is started); None where it cannot be."""
        if not hasattr(os, "fork"):
            return None
        try:
            reading, writing = os.pipe()
        except OSError:
            return None
        try:
            pid = os.fork()
        except OSError:
            os.close(reading)
            os.close(writing)
            return None
        if pid == 0:
            os.close(reading)
            _work_out_and_send(path, writing)
        os.close(writing)
        return cls(pid, reading)

    def ready_within(self, seconds: float) -> bool:
        """Whether the child is done (its figures sent, or failed) within `seconds`."""
        if self._done:
            return True
        readable, _, _ = select.select([self._pipe], [], [], seconds)
        return bool(readable)

    def wait(self) -> HomeFigures | None:
        """The child's figures once it is done (blocks: call it from a thread), or None if
        it failed or was stopped."""
        if self._done:
            return None
        chunks = []
        try:
            while chunk := os.read(self._pipe, 1 << 16):
                chunks.append(chunk)
        except OSError:
            chunks = []
        finally:
            self._reap()
        try:
            # From our own child, through a pipe nothing else holds.
            figures = pickle.loads(b"".join(chunks)) if chunks else None
        except Exception:  # a child killed mid-write leaves a truncated pickle
            return None
        return figures if isinstance(figures, HomeFigures) else None

    def stop(self) -> None:
        """End the child if it is still at work (the app is leaving, or read the file first)."""
        if not self._done:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._pid, signal.SIGKILL)

    def _reap(self) -> None:
        if self._done:
            return
        self._done = True
        os.close(self._pipe)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self._pid, 0)


def _work_out_and_send(path: Path, pipe: int) -> NoReturn:
    """The child: read `path`, work out the figures Home would, write them, and leave
    without running anything of the parent's (no atexit handlers, no buffered output)."""
    try:
        # The terminal is the parent's: nothing of the child's may reach it.
        quiet = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(quiet, fd)
        # A short-lived child: its objects die with it.
        gc.disable()
        from psr_tui import analysis, home_figures
        from psr_tui.store import Store

        store = Store(path)
        snap = store.snapshot()
        latest = snap.latest_round()
        matrix, as_at = snap.matrix(), snap.as_at
        figures = home_figures.work_out(
            snap,
            latest.model.name if latest else None,
            as_at,
            # Counted, not listed: the register's order is not needed (a third of the time).
            lambda: analysis.unordered_facts(matrix, (r.model for r in snap.risks()), as_at),
            lambda: store.history(limit=RECENT_CHANGES),
        )
        data = memoryview(pickle.dumps(figures))
        while data:
            data = data[os.write(pipe, data) :]
    except BaseException:  # the parent's own reading of the file reports any problem
        os._exit(1)
    os._exit(0)
