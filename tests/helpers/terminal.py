"""The real `psr` in a pseudo-terminal, as an officer's SSH session runs it.

`Terminal` starts `psr --db FILE` on a pty of a fixed size with TERM=xterm-256color, keeps
reading what it draws (so it never blocks on a full pty), and writes keys as raw bytes:
one `write` sends a whole sequence at once, as a burst over SSH or a paste delivers it.
"""

from __future__ import annotations

import fcntl
import os
import re
import struct
import subprocess
import termios
import threading
import time
from pathlib import Path
from types import TracebackType

from tests.conftest import PSR

# Control sequences (CSI, OSC, single-character escapes) between the characters drawn.
_CONTROL = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-_]")

TAB, ENTER, ESCAPE = b"\t", b"\r", b"\x1b"
CTRL_S = b"\x13"


def bracketed_paste(text: str) -> bytes:
    """What a terminal sends when `text` is pasted (psr turns bracketed paste mode on)."""
    return b"\x1b[200~" + text.encode() + b"\x1b[201~"


class Terminal:
    def __init__(
        self,
        db: Path,
        *,
        columns: int = 120,
        rows: int = 36,
        command: list[str] | None = None,
    ) -> None:
        """`command` instead of `psr --db DB`: a script that runs psr's own `main`."""
        self._master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(columns)}
        env["LINES"] = str(rows)
        self.process = subprocess.Popen(
            command or [str(PSR), "--db", str(db)],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
        )
        os.close(slave)
        self._output = bytearray()
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self._master, 65536)
            except OSError:  # the child has gone: the pty reports EIO
                return
            if not chunk:
                return
            with self._lock:
                self._output += chunk

    def text(self) -> str:
        """Everything drawn so far, without the control sequences."""
        with self._lock:
            drawn = bytes(self._output)
        return _CONTROL.sub(b"", drawn).decode(errors="replace")

    def wait_for(self, text: str, timeout: float = 60) -> None:
        """Wait until `text` has been drawn."""
        deadline = time.monotonic() + timeout
        while text not in self.text():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"{text!r} never appeared; the screen showed:\n{self.text()}")
            time.sleep(0.05)

    def send(self, keys: bytes) -> None:
        """Write the whole sequence in one write, as keys that arrive together."""
        assert os.write(self._master, keys) == len(keys)

    def wait_for_exit(self, timeout: float = 60) -> int:
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"psr still running; the screen showed:\n{self.text()}") from None

    def __enter__(self) -> Terminal:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self._reader.join(timeout=5)
        os.close(self._master)
