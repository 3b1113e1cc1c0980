"""The log of unexpected errors: a programming error is neither hidden nor a traceback.

An error psr did not expect (a bug, not the user's mistake or the machine's refusal) must
not crash the workbench with an officer's edit in it, nor print a traceback to a script;
but swallowed, nobody would ever fix it. So its traceback goes to `errors.log` in the
user's own state directory (not beside the shared database: tracebacks quote data, and
colleagues need not read them), the user gets one line naming that file, and carries on.
"""

from __future__ import annotations

import getpass
import os
import sys
import traceback
from datetime import datetime
from pathlib import Path

from psr_tui.errors import UserError, os_reason
from psr_tui.paths import state_dir


def log_path() -> Path:
    return state_dir() / "errors.log"


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no name for this uid: the log still says when and what
        return str(os.getuid())


def record(error: BaseException, context: str) -> str:
    """Append `error`'s traceback to the log; returns a one-line account for the user."""
    path = log_path()
    stamp = datetime.now().astimezone().isoformat(timespec="seconds")
    heading = f"--- {stamp} {_user()}: {context} (Python {sys.version.split()[0]})"
    entry = heading + "\n" + "".join(traceback.format_exception(error))
    name = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as handle:
            handle.write(entry)
    except OSError as exc:
        return (
            f"psr met an unexpected error ({name}); its details could not be written to "
            f"{path} ({os_reason(exc)})"
        )
    return f"psr met an unexpected error ({name}); the details are in {path}"


def one_line(error: BaseException, context: str) -> str:
    """The line to show for `error`: a user's mistake or the machine's refusal as it says
    (a file named where there is one), anything else logged by `record`."""
    if isinstance(error, UserError):
        return str(error)
    if isinstance(error, OSError):
        return f"{error.filename}: {os_reason(error)}" if error.filename else os_reason(error)
    return record(error, context)
