"""A file import from a screen: checked in a worker, written by the app's writer thread.

The file is read and checked against the data on screen in a thread (no lock, the UI stays
responsive); the named change then writes it in one transaction. When rows would change
records another session changed since the file was exported, the user is shown which and
asked whether to put the file's values over theirs; nothing is written otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from psr_tui.changes.clashes import clash_texts
from psr_tui.dialogs.confirm import ConfirmDialog
from psr_tui.dialogs.text_input import TextInputDialog
from psr_tui.errors import ImportConflictError, StoreError
from psr_tui.store import Snapshot, Transaction

if TYPE_CHECKING:
    from psr_tui.screens.base import SectionScreen

P = TypeVar("P")
# Writes what `prepare` checked; the flag says to put the file's values over others'.
Apply = Callable[[Transaction, P, bool], str]
SHOWN_CONFLICTS = 4


def refusal_text(error: StoreError) -> str:
    """An import's refusal: every problem of the file on its own line, or the one reason."""
    problems: list[str] = getattr(error, "problems", [])
    if not problems:
        return str(error)
    return "\n".join([f"{getattr(error, 'path', '')}: nothing was imported", *problems])


def conflict_question(error: ImportConflictError) -> str:
    """Which records changed since the export, and how the file differs from each."""
    lines = []
    for conflict in error.conflicts[:SHOWN_CONFLICTS]:
        fields = "; ".join(
            f"{c.field} theirs {c.theirs}, file {c.mine}" for c in clash_texts(conflict)
        )
        lines.append(f"{conflict}: {fields}")
    more = len(error.conflicts) - SHOWN_CONFLICTS
    if more > 0:
        lines.append(f"and {more} more")
    count = len(error.conflicts)
    return (
        f"{error.path}: {count} record{'s' if count != 1 else ''} changed since the file was "
        "exported, and the file differs:\n"
        + "\n".join(lines)
        + "\nNothing was imported. Put the file's values over theirs (y), or leave it (n)?"
    )


def ask_and_import(
    screen: SectionScreen,
    prompt: str,
    what: str,
    prepare: Callable[[Snapshot, Path], P],
    apply: Apply[P],
) -> None:
    """Ask for the file's path, then import it (see `import_file`)."""

    def check(text: str) -> str | None:
        path = Path(text.strip()).expanduser()
        return None if path.is_file() else f"There is no file {text.strip()!r}"

    def chosen(text: str | None) -> None:
        if text is not None:
            path = Path(text.strip()).expanduser()
            import_file(screen, what, lambda snapshot: prepare(snapshot, path), apply)

    screen.app.push_screen(TextInputDialog(prompt, check=check), chosen)


def import_file(
    screen: SectionScreen, what: str, prepare: Callable[[Snapshot], P], apply: Apply[P]
) -> None:
    """Check the file with `prepare` in a worker, then write it with `apply`."""
    app = screen.psr

    def say_refused(reason: str) -> None:
        app.notify(reason, title="Import refused", severity="error", timeout=30)

    def write(prepared: P, overwrite: bool) -> None:
        def refused(error: StoreError) -> None:
            if isinstance(error, ImportConflictError) and not overwrite:
                # From this screen's message loop: the save callback comes from the writer's.
                screen.call_later(
                    screen.app.push_screen,
                    ConfirmDialog(conflict_question(error), confirm_label="Overwrite"),
                    lambda yes: write(prepared, True) if yes else None,
                )
            else:
                say_refused(refusal_text(error))

        app.save(
            lambda tx: apply(tx, prepared, overwrite),
            done=lambda result: app.notify(result, title=f"Imported {what}"),
            failed=refused,
        )

    def check() -> None:
        try:
            prepared = prepare(app.snapshot)
        except StoreError as error:
            app.call_from_thread(say_refused, refusal_text(error))
            return
        except Exception as error:  # a bug: logged and told, and the app carries on
            from psr_tui.errorlog import one_line

            app.call_from_thread(say_refused, one_line(error, f"checking {what} to import"))
            return
        app.call_from_thread(write, prepared, False)

    screen.run_worker(check, thread=True, exclusive=True, group="import", exit_on_error=False)
