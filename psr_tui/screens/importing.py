"""A file import from a screen: checked in a worker, written by the app's writer thread.

The file (a CSV, or returned assessment forms) is read and checked against the data on
screen in a thread (no lock, the UI stays responsive, a box in the corner says so); the
named change then writes it in one transaction. When rows would change records another
session changed since the file was exported (or a form, scores psr was given since it was
sent), the user is shown which and asked whether to put the file's values over theirs;
nothing is written otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from psr_tui.changes.clashes import clash_texts
from psr_tui.dialogs.confirm import ConfirmDialog
from psr_tui.dialogs.text_input import TextInputDialog
from psr_tui.errors import FormConflictError, ImportConflictError, StoreError
from psr_tui.store import Snapshot, Transaction

if TYPE_CHECKING:
    from psr_tui.screens.base import SectionScreen

P = TypeVar("P")
# Writes what `prepare` checked; the flag says to put the file's values over others'.
Apply = Callable[[Transaction, P, bool], str]
SHOWN_CONFLICTS = 4
# A refusal names at most this many problems on screen (the command line names them all).
SHOWN_PROBLEMS = 12


def refusal_text(error: StoreError) -> str:
    """An import's refusal: each problem (the first SHOWN_PROBLEMS) on its own line, or the
    one reason."""
    problems: list[str] = getattr(error, "problems", [])
    if not problems:
        return str(error)
    count = len(problems)
    path = getattr(error, "path", None)
    where = f"{path}: " if path else ""
    lines = [f"{where}{count} problem{'s' if count != 1 else ''}; nothing was imported:"]
    lines += problems[:SHOWN_PROBLEMS]
    if count > SHOWN_PROBLEMS:
        lines.append(f"and {count - SHOWN_PROBLEMS} more (the command line lists them all)")
    return "\n".join(lines)


def conflict_question(error: ImportConflictError | FormConflictError) -> str:
    """Which records changed since the export (or the form was sent), and how the file
    differs from each."""
    if isinstance(error, FormConflictError):
        count = len(error.conflicts)
        return "\n".join(
            [
                f"The forms clash with what psr already has for {count} "
                f"respondent{'s' if count != 1 else ''}:",
                *error.conflicts[:SHOWN_PROBLEMS],
                *([f"and {count - SHOWN_PROBLEMS} more"] if count > SHOWN_PROBLEMS else []),
                "Nothing was imported. Put the forms' values over psr's in those domains (y), "
                "or leave it (n)?",
            ]
        )
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
    from psr_tui.screens.export import ExportIndicator

    app = screen.psr
    indicator = ExportIndicator(f"Checking the {what} to import…")
    screen.mount(indicator)

    def say_refused(reason: str) -> None:
        app.notify(reason, title="Import refused", severity="error", timeout=30)

    def checked(prepared: P | None, reason: str) -> None:
        indicator.remove()
        if prepared is None:
            say_refused(reason)
        else:
            write(prepared, False)

    def write(prepared: P, overwrite: bool) -> None:
        def refused(error: StoreError) -> None:
            if isinstance(error, ImportConflictError | FormConflictError) and not overwrite:
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
            done=lambda result: app.notify(
                result[:1].upper() + result[1:], title=f"Imported {what}"
            ),
            failed=refused,
        )

    def check() -> None:
        try:
            prepared = prepare(app.snapshot)
        except StoreError as error:
            app.call_from_thread(checked, None, refusal_text(error))
            return
        except Exception as error:  # a bug: logged and told, and the app carries on
            from psr_tui.errorlog import one_line

            app.call_from_thread(checked, None, one_line(error, f"checking {what} to import"))
            return
        app.call_from_thread(checked, prepared, "")

    screen.run_worker(check, thread=True, exclusive=True, group="import", exit_on_error=False)
