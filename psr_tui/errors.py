"""The errors a user can act on, shared by the core, the CLI and the screens.

Dependency-free (no pydantic, no Textual), so the CLI can catch them without importing the
store, and every layer raises the same kinds. `str()` of each is one line for the user.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

EXIT_USER_ERROR = 1
EXIT_USAGE = 2


def os_reason(exc: OSError) -> str:
    """What an OS error means, in words, for a one-line message."""
    if exc.errno == errno.ELOOP:
        return "it is a symbolic link, which psr does not follow"
    return exc.strerror or str(exc)


class UserError(Exception):
    """A mistake in what the user asked for; printed as one line, no traceback."""


class StoreError(UserError):
    """A problem with the data file that the user can act on."""


class CorruptFileError(StoreError):
    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path} is not a valid psr database ({reason}); it was left unchanged")
        self.path = path


class MissingFileError(StoreError):
    def __init__(self, path: Path) -> None:
        super().__init__(
            f"no database at {path}: create one with `psr init --name NAME` or `psr demo`"
        )
        self.path = path


class SchemaTooNewError(StoreError):
    def __init__(self, path: Path, found: int, understood: int) -> None:
        super().__init__(
            f"{path} has schema version {found} but this psr understands up to "
            f"{understood}: upgrade psr-tui; the file was left unchanged"
        )


@dataclass(frozen=True)
class FieldClash:
    """One field both sessions changed: what this session read, and each side's value.

    `path` names the field in the record: ("likelihood",), or ("scores", "governance") for
    one key of a mapping field. A value absent from a mapping is None.
    """

    path: tuple[str, ...]
    base: Any
    theirs: Any
    mine: Any


class ConflictError(StoreError):
    """Another session changed the record since it was read: for an edit, the same field
    (`clashes` lists each); for a delete, anything."""

    def __init__(
        self,
        table: str,
        label: str,
        by: str,
        at: datetime | None,
        clashes: tuple[FieldClash, ...] = (),
    ) -> None:
        when = at.astimezone().strftime("%d %b %Y %H:%M") if at else "an unknown time"
        super().__init__(f"{label} was changed by {by or 'someone'} at {when}")
        self.table, self.label, self.by, self.at = table, label, by, at
        self.clashes = clashes


class ImportConflictError(StoreError):
    """Rows of an imported file whose records another session changed since the file was
    exported, and that the file would change: nothing was imported. `conflicts` holds one
    ConflictError per record, its clashes naming each field the file and they differ in."""

    SHOWN = 5

    def __init__(self, path: Path, conflicts: tuple[ConflictError, ...]) -> None:
        count = len(conflicts)
        named = "; ".join(str(c) for c in conflicts[: self.SHOWN])
        more = f" (and {count - self.SHOWN} more)" if count > self.SHOWN else ""
        super().__init__(
            f"{path}: {count} record{'s' if count != 1 else ''} changed since the file was "
            f"exported, and the file would change {'them' if count != 1 else 'it'}: "
            f"{named}{more}; nothing was imported"
        )
        self.path, self.conflicts = path, conflicts


class NotFoundError(StoreError):
    """A record, round or file the user named does not exist (or was deleted meanwhile)."""


class InvalidRecordError(StoreError):
    """A change would leave a record the models refuse."""


class NotSavedError(StoreError):
    """A change that could not be written (a full disk, a file this user may not write, an
    audit file that cannot take its entry): nothing of it reached the file."""

    def __init__(self, reason: str, what: str = "") -> None:
        super().__init__(f"{reason}; nothing was saved" + (f" ({what})" if what else ""))
        self.reason, self.what = reason, what


class ExportError(StoreError):
    """A report cannot be made from this data (no round, no matrix...)."""


class FormsRefusedError(InvalidRecordError):
    """Returned forms with problems: `problems` lists every one, each naming its file (and
    the domain and value where there is one); nothing was imported."""

    def __init__(self, problems: list[str]) -> None:
        count = len(problems)
        super().__init__(
            f"{count} problem{'s' if count != 1 else ''} in the forms: {'; '.join(problems)}; "
            "nothing was imported"
        )
        self.problems = problems


class FormConflictError(StoreError):
    """Returned forms that would change scores or comments their respondents were given
    in psr since the forms were sent: `conflicts` names each respondent, the file and each
    clashing value; nothing was imported."""

    def __init__(self, conflicts: list[str]) -> None:
        count = len(conflicts)
        who = f"{count} respondent{'s' if count != 1 else ''}"
        super().__init__(
            f"the forms clash with what psr already has for {who}: {'; '.join(conflicts)}; "
            "nothing was imported"
        )
        self.conflicts = conflicts
